//! The prefilter: which lines are worth parsing at all.
//!
//! Detectors declare literals; a line is a candidate when it contains one. How fast that
//! test runs decides how fast kensa is, because it looks at every byte of every log.
//! A multi-literal automaton (Teddy, inside `aho-corasick`) is fast only when the first
//! bytes of every literal are rare in the text; sendmail's attack literals are short and
//! start with bytes that every mail line is full of (`=`, `,`, `"`). So the literals are
//! split: every literal that contains a byte which is rare in logs (`|`, `~`) is covered
//! by a vectorised search for that byte alone (a line with a pipe in it is a candidate;
//! the detector decides); literals shorter than three bytes (`=/`) get a vectorised
//! substring search each; and only the remaining literals — long, distinctive ones like
//! `/etc/passwd`, whose first three bytes should be rare — go into the automaton. The
//! searches run lazily and are merged in position order, each resumed where it stopped,
//! so no byte is searched twice by the same search.
//!
//! The result is a superset test: every line containing a declared literal is a
//! candidate; a few more may be.

use aho_corasick::AhoCorasick;

/// Bytes rare enough in log text that finding each occurrence is cheaper than matching
/// the literals that contain them.
const RARE_BYTES: [u8; 2] = [b'|', b'~'];

/// A compiled candidate-line test.
#[derive(Debug, Clone)]
pub struct Prefilter {
    searches: Vec<Search>,
}

/// One of the searches a prefilter merges.
#[derive(Debug, Clone)]
enum Search {
    /// Up to three rare bytes.
    Bytes(Vec<u8>),
    /// One short literal.
    Short(Box<memchr::memmem::Finder<'static>>),
    /// The long literals.
    Literals(AhoCorasick),
}

impl Search {
    fn find(&self, hay: &[u8]) -> Option<usize> {
        match self {
            Search::Bytes(bytes) => match bytes.as_slice() {
                [] => None,
                [a] => memchr::memchr(*a, hay),
                [a, b] => memchr::memchr2(*a, *b, hay),
                [a, b, c, ..] => memchr::memchr3(*a, *b, *c, hay),
            },
            Search::Short(finder) => finder.find(hay),
            Search::Literals(ac) => ac.find(hay).map(|m| m.start()),
        }
    }
}

impl Prefilter {
    /// A prefilter for lines containing any of `needles`.
    pub fn new<'n>(needles: impl IntoIterator<Item = &'n str>) -> Prefilter {
        let mut rare = Vec::new();
        let mut short: Vec<&str> = Vec::new();
        let mut literals = Vec::new();
        for needle in needles {
            match RARE_BYTES.iter().find(|b| needle.as_bytes().contains(b)) {
                Some(&byte) => {
                    if !rare.contains(&byte) {
                        rare.push(byte);
                    }
                }
                None if needle.is_empty() => {}
                None if needle.len() < 3 => {
                    if !short.contains(&needle) {
                        short.push(needle);
                    }
                }
                None => literals.push(needle),
            }
        }
        rare.sort_unstable();
        let mut searches = Vec::new();
        if !rare.is_empty() {
            searches.push(Search::Bytes(rare));
        }
        for needle in short {
            searches.push(Search::Short(Box::new(
                memchr::memmem::Finder::new(needle.as_bytes()).into_owned(),
            )));
        }
        if !literals.is_empty() {
            // Leftmost-first: only then does aho-corasick use its vectorised Teddy
            // searcher; with standard semantics it steps the automaton byte by byte.
            let ac = AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                .build(&literals)
                .expect("a few short literals always compile");
            searches.push(Search::Literals(ac));
        }
        Prefilter { searches }
    }

    /// Whether `hay` contains a candidate position.
    pub fn is_match(&self, hay: &[u8]) -> bool {
        self.searches
            .iter()
            .any(|search| search.find(hay).is_some())
    }

    /// Positions in `hay`, in increasing order, where a literal (or a rare byte) starts.
    /// Several may fall into one line; the caller skips what it has consumed.
    pub fn positions<'p, 'h>(&'p self, hay: &'h [u8]) -> Positions<'p, 'h> {
        Positions {
            hay,
            prefilter: self,
            state: vec![(0, None); self.searches.len()],
        }
    }
}

/// Candidate positions of one haystack; see [`Prefilter::positions`].
pub struct Positions<'p, 'h> {
    hay: &'h [u8],
    prefilter: &'p Prefilter,
    /// Per search: where it resumes, and its pending hit.
    state: Vec<(usize, Option<usize>)>,
}

impl Positions<'_, '_> {
    /// The next candidate position at or after `from` (positions before it are skipped
    /// without being searched again).
    pub fn next_from(&mut self, from: usize) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (search, (resume, pending)) in self.prefilter.searches.iter().zip(self.state.iter_mut())
        {
            if pending.is_none_or(|at| at < from) {
                *resume = (*resume).max(from);
                *pending = self
                    .hay
                    .get(*resume..)
                    .and_then(|rest| search.find(rest))
                    .map(|i| *resume + i);
                *resume = pending.map_or(self.hay.len(), |at| at + 1);
            }
            if let Some(at) = *pending {
                best = Some(best.map_or(at, |b| b.min(at)));
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(prefilter: &Prefilter, hay: &[u8]) -> Vec<usize> {
        let mut out = Vec::new();
        let mut positions = prefilter.positions(hay);
        let mut from = 0;
        while let Some(at) = positions.next_from(from) {
            out.push(at);
            from = at + 1;
        }
        out
    }

    #[test]
    fn rare_bytes_and_literals_merge_in_order() {
        let p = Prefilter::new(["to=\"|", "/etc/passwd", "=~", "=/"]);
        assert_eq!(p.searches.len(), 3);
        let hay = b"a /etc/passwd b | c ~ d /etc/passwd to=/x";
        assert_eq!(all(&p, hay), vec![2, 16, 20, 24, 38]);
        assert!(!p.is_match(b"nothing here"));
        assert!(p.is_match(b"to=<|/bin/sh>"));
    }

    #[test]
    fn a_prefilter_without_needles_matches_nothing() {
        let p = Prefilter::new([]);
        assert!(!p.is_match(b"| ~ /etc/passwd"));
    }

    #[test]
    fn next_from_skips_consumed_positions() {
        let p = Prefilter::new(["|", "passwd"]);
        let hay = b"| | passwd\n| passwd";
        let mut positions = p.positions(hay);
        assert_eq!(positions.next_from(0), Some(0));
        assert_eq!(positions.next_from(11), Some(11));
        assert_eq!(positions.next_from(12), Some(13));
        assert_eq!(positions.next_from(14), None);
    }
}
