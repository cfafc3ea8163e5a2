//! The guessing loop: which hash gets which candidate, when, on how many threads, and
//! when to stop.
//!
//! Hashes are grouped into *jobs* — one per hash, except DES hashes that share a salt,
//! which form one job (one crypt answers for all of them) — and jobs into *schemes*
//! (a label such as `SHA-512 (5000 rounds)`), cheapest first. Each scheme gets an equal
//! share of what is left of the time budget when its turn comes, so time a cheap
//! scheme did not need goes to the expensive ones after it.
//!
//! Within a scheme, work goes in *rounds*: every job still running takes its next few
//! candidates (targeted ones first, then the common list, then the dictionary), and the
//! round is verified in parallel on a rayon pool. Round-robin keeps accounts fair (ten
//! SHA-512 accounts each get a tenth of the budget, not the first one all of it), and a
//! round is sized to take about [`ROUND_TARGET`], so a stop request or the deadline is
//! honoured within about that long — or one guess, for the slowest schemes.
//!
//! Memory: schemes that need memory per guess (yescrypt's 16 MiB, scrypt's 64 MiB)
//! run on a pool of at most `memory_cap / memory` threads.
//!
//! Stopping: the caller's `stop` flag (Ctrl-C) is checked between rounds; what was
//! found so far, and how far each account was tested, is returned as usual.

use crate::candidates::{Candidate, GuessClass, WordList};
use crate::verify::{Method, Prepared};
use rayon::prelude::*;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The time a round of guesses aims at.
pub const ROUND_TARGET: Duration = Duration::from_millis(100);

/// One hash to test, with the account words its targeted candidates came from.
#[derive(Debug, Clone)]
pub struct Target {
    /// The hash, as text.
    pub hash: String,
    /// How it is verified.
    pub prepared: Prepared,
    /// The account's own candidates ([`crate::candidates::targeted`]).
    pub targeted: Vec<Candidate>,
}

/// Why a search stopped before its candidates ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The scheme's share of the time budget was spent.
    Budget,
    /// The caller asked to stop (Ctrl-C).
    Interrupted,
}

/// What became of one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A candidate opened it.
    Found {
        /// The password.
        password: Vec<u8>,
        /// Its class.
        class: GuessClass,
        /// Candidates tried up to and including it.
        tried: u64,
    },
    /// No candidate opened it.
    NotFound {
        /// Candidates tried.
        tried: u64,
        /// Candidates there were.
        total: u64,
        /// Why the search stopped early, `None` when every candidate was tried.
        stopped: Option<Stop>,
    },
}

/// Progress, for a progress bar: counts of candidate verifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Candidate verifications done (one per job and candidate; a shared DES salt
    /// counts once).
    pub tested: u64,
    /// Verifications there would be if nothing were found and no budget ran out.
    pub total: u64,
    /// Accounts found so far.
    pub found: usize,
    /// Accounts being tested.
    pub accounts: usize,
}

/// What the loop needs besides the targets.
pub struct Settings<'a> {
    /// The common-password list.
    pub common: &'a WordList,
    /// The dictionary (possibly empty).
    pub dictionary: &'a WordList,
    /// Time for all schemes together.
    pub budget: Duration,
    /// Threads; 0 for every core.
    pub threads: usize,
    /// Bytes of memory guesses may use at once.
    pub memory_cap: u64,
    /// Set to stop early (Ctrl-C).
    pub stop: &'a AtomicBool,
    /// Called after every round.
    pub progress: &'a (dyn Fn(&Progress) + Sync),
}

struct Job {
    /// Indexes into the targets.
    members: Vec<usize>,
    /// Targeted candidates of every member, repeats removed.
    targeted: Vec<Candidate>,
    /// 0 targeted, 1 common, 2 dictionary, 3 done.
    phase: usize,
    pos: u64,
    tried: u64,
    total: u64,
}

impl Job {
    fn phase_len(&self, settings: &Settings<'_>) -> u64 {
        match self.phase {
            0 => self.targeted.len() as u64,
            1 => settings.common.len(),
            2 => settings.dictionary.len(),
            _ => 0,
        }
    }

    fn get(&self, settings: &Settings<'_>, index: u64) -> Option<Candidate> {
        match self.phase {
            0 => usize::try_from(index)
                .ok()
                .and_then(|i| self.targeted.get(i).cloned()),
            1 => settings.common.get(index),
            2 => settings.dictionary.get(index),
            _ => None,
        }
    }

    /// The job's next candidate, moving to the next phase when one runs out.
    fn next(&mut self, settings: &Settings<'_>) -> Option<Candidate> {
        while self.phase < 3 {
            let len = self.phase_len(settings);
            while self.pos < len {
                let candidate = self.get(settings, self.pos);
                self.pos += 1;
                if candidate.is_some() {
                    self.tried += 1;
                    return candidate;
                }
            }
            self.phase += 1;
            self.pos = 0;
        }
        None
    }
}

fn threads_for(settings: &Settings<'_>, memory: u64) -> usize {
    let cores = if settings.threads == 0 {
        std::thread::available_parallelism().map_or(1, usize::from)
    } else {
        settings.threads
    };
    if memory == 0 {
        return cores;
    }
    let fit = usize::try_from(settings.memory_cap / memory).unwrap_or(usize::MAX);
    cores.min(fit).max(1)
}

/// Runs every target to its first hit, its last candidate or its budget. Returns one
/// outcome per target, in order.
pub fn run(targets: &[Target], settings: &Settings<'_>) -> Vec<Outcome> {
    let shared = settings.common.len() + settings.dictionary.len();
    let mut outcomes: Vec<Option<Outcome>> = vec![None; targets.len()];
    // Jobs by scheme label, cheapest scheme first; DES hashes grouped by salt.
    let mut schemes: Vec<(String, u64, u64, Vec<Job>)> = Vec::new();
    for (i, target) in targets.iter().enumerate() {
        let p = &target.prepared;
        let slot = match schemes.iter().position(|s| s.0 == p.label) {
            Some(slot) => slot,
            None => {
                schemes.push((p.label.clone(), p.cost, p.memory, Vec::new()));
                schemes.len() - 1
            }
        };
        let jobs = &mut schemes[slot].3;
        let shared_salt = |job: &Job| {
            matches!(p.method, Method::Des { .. })
                && job
                    .members
                    .first()
                    .is_some_and(|&m| targets[m].prepared.method == p.method)
        };
        match jobs.iter_mut().find(|job| shared_salt(job)) {
            Some(job) => {
                job.members.push(i);
                let known: HashSet<&[u8]> =
                    job.targeted.iter().map(|t| t.password.as_slice()).collect();
                let new: Vec<Candidate> = target
                    .targeted
                    .iter()
                    .filter(|c| !known.contains(c.password.as_slice()))
                    .cloned()
                    .collect();
                job.targeted.extend(new);
                job.total = job.targeted.len() as u64 + shared;
            }
            None => jobs.push(Job {
                members: vec![i],
                targeted: target.targeted.clone(),
                phase: 0,
                pos: 0,
                tried: 0,
                total: target.targeted.len() as u64 + shared,
            }),
        }
    }
    schemes.sort_by_key(|s| (s.1, s.0.clone()));

    let mut progress = Progress {
        tested: 0,
        total: schemes.iter().flat_map(|s| &s.3).map(|job| job.total).sum(),
        found: 0,
        accounts: targets.len(),
    };
    let start = Instant::now();
    let count = schemes.len();
    for (n, (_label, _cost, memory, mut jobs)) in schemes.into_iter().enumerate() {
        let left = settings.budget.saturating_sub(start.elapsed());
        let deadline = Instant::now() + left / u32::try_from(count - n).unwrap_or(1);
        let threads = threads_for(settings, memory);
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build();
        let stopped = match &pool {
            Ok(pool) => pool.install(|| {
                run_scheme(
                    targets,
                    &mut jobs,
                    settings,
                    deadline,
                    threads,
                    &mut outcomes,
                    &mut progress,
                )
            }),
            Err(_) => run_scheme(
                targets,
                &mut jobs,
                settings,
                deadline,
                threads,
                &mut outcomes,
                &mut progress,
            ),
        };
        for job in &jobs {
            for &m in &job.members {
                if outcomes[m].is_none() {
                    outcomes[m] = Some(Outcome::NotFound {
                        tried: job.tried,
                        total: job.total,
                        stopped: (job.phase < 3).then_some(stopped.unwrap_or(Stop::Budget)),
                    });
                }
            }
        }
    }
    outcomes
        .into_iter()
        .map(|o| {
            o.unwrap_or(Outcome::NotFound {
                tried: 0,
                total: 0,
                stopped: Some(Stop::Interrupted),
            })
        })
        .collect()
}

/// Runs one scheme's jobs until done, the deadline or a stop request; returns why it
/// stopped early, if it did.
fn run_scheme(
    targets: &[Target],
    jobs: &mut [Job],
    settings: &Settings<'_>,
    deadline: Instant,
    threads: usize,
    outcomes: &mut [Option<Outcome>],
    progress: &mut Progress,
) -> Option<Stop> {
    let mut round_size = threads;
    loop {
        if settings.stop.load(Ordering::Relaxed) {
            return Some(Stop::Interrupted);
        }
        if Instant::now() >= deadline {
            return Some(Stop::Budget);
        }
        let alive: Vec<usize> = (0..jobs.len())
            .filter(|&j| {
                jobs[j].phase < 3 && jobs[j].members.iter().any(|&m| outcomes[m].is_none())
            })
            .collect();
        if alive.is_empty() {
            return None;
        }
        let per_job = (round_size / alive.len()).max(1);
        // (job, candidate, tried count of the job at this candidate)
        let mut work: Vec<(usize, Candidate, u64)> = Vec::with_capacity(round_size);
        for &j in &alive {
            for _ in 0..per_job {
                match jobs[j].next(settings) {
                    Some(candidate) => work.push((j, candidate, jobs[j].tried)),
                    None => break,
                }
            }
        }
        let began = Instant::now();
        let hits: Vec<Vec<usize>> = work
            .par_iter()
            .map(|(j, candidate, _)| {
                let job = &jobs[*j];
                match &targets[job.members[0]].prepared.method {
                    // One crypt for every hash of the salt.
                    Method::Des { salt } => {
                        let Some(out) = crate::verify::des_crypt(salt, &candidate.password) else {
                            return Vec::new();
                        };
                        job.members
                            .iter()
                            .copied()
                            .filter(|&m| targets[m].hash == out)
                            .collect()
                    }
                    _ => job
                        .members
                        .iter()
                        .copied()
                        .filter(|&m| {
                            outcomes[m].is_none()
                                && targets[m]
                                    .prepared
                                    .verify(&candidate.password, &targets[m].hash)
                        })
                        .collect(),
                }
            })
            .collect();
        let elapsed = began.elapsed();
        for ((_, candidate, tried), members) in work.iter().zip(hits) {
            for m in members {
                if outcomes[m].is_none() {
                    outcomes[m] = Some(Outcome::Found {
                        password: candidate.password.clone(),
                        class: candidate.class,
                        tried: *tried,
                    });
                    progress.found += 1;
                }
            }
        }
        progress.tested += work.len() as u64;
        (settings.progress)(progress);
        // Size the next round to take about ROUND_TARGET.
        if !work.is_empty() {
            let per_guess = elapsed.as_secs_f64() / work.len() as f64;
            let wanted = (ROUND_TARGET.as_secs_f64() * threads as f64 / per_guess.max(1e-9))
                .clamp(threads as f64, 65536.0);
            round_size = wanted as usize;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::candidates::{AccountWords, targeted};
    use crate::verify::prepare;
    use std::sync::Mutex;

    fn target(user: &str, hash: &str) -> Target {
        Target {
            hash: hash.to_string(),
            prepared: prepare(hash.as_bytes(), 1 << 30).unwrap(),
            targeted: targeted(&AccountWords {
                user,
                ..AccountWords::default()
            }),
        }
    }

    fn lists() -> (WordList, WordList) {
        (
            WordList::common(),
            WordList::new(
                Vec::new(),
                &[],
                GuessClass::Dictionary,
                GuessClass::DictionaryVariant,
            ),
        )
    }

    #[test]
    fn des_hashes_of_one_salt_share_each_crypt() {
        let salt_ab = |pw: &str| crate::verify::des_crypt("ab", pw.as_bytes()).unwrap();
        let targets = [
            target("tanaka", &salt_ab("tanaka")),
            target("kimura", &salt_ab("Qv7#tX2!")),
            target("sato", &salt_ab("letmein")),
        ];
        let (common, dictionary) = lists();
        let stop = AtomicBool::new(false);
        let seen = Mutex::new(Vec::new());
        let record = |p: &Progress| seen.lock().unwrap().push(*p);
        let settings = Settings {
            common: &common,
            dictionary: &dictionary,
            budget: Duration::from_secs(600),
            threads: 2,
            memory_cap: 1 << 30,
            stop: &stop,
            progress: &record,
        };
        let outcomes = run(&targets, &settings);
        assert!(matches!(
            outcomes[0],
            Outcome::Found {
                class: GuessClass::UserName,
                ..
            }
        ));
        assert!(matches!(
            outcomes[2],
            Outcome::Found {
                class: GuessClass::Common,
                ..
            }
        ));
        let Outcome::NotFound {
            tried,
            total,
            stopped: None,
        } = outcomes[1]
        else {
            panic!("{:?}", outcomes[1]);
        };
        // One job: the three accounts' targeted candidates once, then the common list.
        assert!(tried > common.words().len() as u64 && tried <= total);
        let seen = seen.lock().unwrap();
        let last = seen.last().unwrap();
        assert_eq!((last.found, last.accounts), (2, 3));
        assert_eq!(last.tested, tried);
        assert!(last.tested <= last.total);
    }

    #[test]
    fn budget_and_stop_leave_accounts_not_exhausted() {
        let hash = "$1$ows0Mp2t$oXgzp9lPUV7gzhrwPCxCw1"; // "tanaka", but called kimura
        let targets = [target("kimura", hash)];
        let (common, dictionary) = lists();
        let stop = AtomicBool::new(false);
        let mut settings = Settings {
            common: &common,
            dictionary: &dictionary,
            budget: Duration::ZERO,
            threads: 1,
            memory_cap: 1 << 30,
            stop: &stop,
            progress: &|_| {},
        };
        let outcomes = run(&targets, &settings);
        assert_eq!(
            outcomes[0],
            Outcome::NotFound {
                tried: 0,
                total: targets[0].targeted.len() as u64 + common.len(),
                stopped: Some(Stop::Budget)
            }
        );
        settings.budget = Duration::from_secs(600);
        stop.store(true, Ordering::Relaxed);
        let outcomes = run(&targets, &settings);
        assert!(matches!(
            outcomes[0],
            Outcome::NotFound {
                stopped: Some(Stop::Interrupted),
                ..
            }
        ));
    }

    #[test]
    fn memory_bounds_threads() {
        let (common, dictionary) = lists();
        let stop = AtomicBool::new(false);
        let settings = Settings {
            common: &common,
            dictionary: &dictionary,
            budget: Duration::ZERO,
            threads: 64,
            memory_cap: 100 << 20,
            stop: &stop,
            progress: &|_| {},
        };
        assert_eq!(threads_for(&settings, 16 << 20), 6);
        assert_eq!(threads_for(&settings, 0), 64);
        assert_eq!(threads_for(&settings, 1 << 30), 1);
    }
}
