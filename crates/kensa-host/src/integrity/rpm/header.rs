//! An rpm header blob, as the package databases store one per installed package.
//!
//! The blob is rpm's "on-disk header" without the 8-byte magic that `.rpm` files and
//! `rpmdb --exportdb` put in front (accepted too): two big-endian counts `il` (index
//! entries) and `dl` (data bytes), then `il` 16-byte entries — tag, type, offset into the
//! data, count — then the data. Installed headers keep the package's signed
//! *immutable region* (entry 0 is tag 63 `HEADERIMMUTABLE`, whose trailer in the data
//! says how many entries belong to it) and carry entries rpm added at install time after
//! it ("dribbles": `FILESTATES`, `INSTALLTIME`, relocated `BASENAMES`…). As rpm does when
//! it loads a header, an entry outside the region replaces one of the same tag inside.
//!
//! Every count and offset is checked against the blob before use: `il` and `dl` against
//! rpm's own limits and the blob's length, each entry's data against `dl`, each string
//! for its terminating NUL, and every array's size before it is allocated (a count can
//! never need more bytes than the data holds), so a hostile blob costs at most its own
//! size.

/// rpm's limit on index entries (`HEADER_TAGS_MAX`).
pub const MAX_ENTRIES: usize = 0xffff;

/// The longest path taken from a header (Linux's `PATH_MAX`).
pub const MAX_PATH: usize = 4096;
/// The most bytes of paths taken from one header (a large package has a few MB).
pub const MAX_PATH_BYTES: usize = 64 << 20;

/// The magic of a header with its preamble (`.rpm` files, `rpmdb --exportdb`).
const MAGIC: [u8; 8] = [0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0];

/// Tags read.
pub mod tag {
    /// The immutable region of a package header.
    pub const HEADERIMMUTABLE: u32 = 63;
    /// The region of a legacy header image.
    pub const HEADERIMAGE: u32 = 61;
    /// The region of a signature header.
    pub const HEADERSIGNATURES: u32 = 62;
    /// Package name.
    pub const NAME: u32 = 1000;
    /// Version.
    pub const VERSION: u32 = 1001;
    /// Release.
    pub const RELEASE: u32 = 1002;
    /// Epoch.
    pub const EPOCH: u32 = 1003;
    /// Architecture.
    pub const ARCH: u32 = 1022;
    /// Full paths (headers older than rpm 4's compressed file lists).
    pub const OLDFILENAMES: u32 = 1027;
    /// File sizes (32 bits).
    pub const FILESIZES: u32 = 1028;
    /// File states on this host (install-time).
    pub const FILESTATES: u32 = 1029;
    /// File modes.
    pub const FILEMODES: u32 = 1030;
    /// File digests, hexadecimal.
    pub const FILEDIGESTS: u32 = 1035;
    /// Symbolic link targets.
    pub const FILELINKTOS: u32 = 1036;
    /// File flags (`%config`, `%ghost`…).
    pub const FILEFLAGS: u32 = 1037;
    /// Index into `DIRNAMES` of each file.
    pub const DIRINDEXES: u32 = 1116;
    /// File names without their directory.
    pub const BASENAMES: u32 = 1117;
    /// Directories, with a trailing `/`.
    pub const DIRNAMES: u32 = 1118;
    /// File sizes (64 bits, for packages with a file of 4 GiB or more).
    pub const LONGFILESIZES: u32 = 5008;
    /// The file digest algorithm (OpenPGP numbering; MD5 when absent).
    pub const FILEDIGESTALGO: u32 = 5011;
}

/// Data types of index entries.
mod kind {
    pub const CHAR: u32 = 1;
    pub const INT8: u32 = 2;
    pub const INT16: u32 = 3;
    pub const INT32: u32 = 4;
    pub const INT64: u32 = 5;
    pub const STRING: u32 = 6;
    pub const BIN: u32 = 7;
    pub const STRING_ARRAY: u32 = 8;
    pub const I18NSTRING: u32 = 9;
}

/// File flags (`rpmfileAttrs`).
pub mod flag {
    /// `%config`.
    pub const CONFIG: u32 = 1 << 0;
    /// `%doc`.
    pub const DOC: u32 = 1 << 1;
    /// `%config(missingok)`: the file may be absent.
    pub const MISSINGOK: u32 = 1 << 3;
    /// `%config(noreplace)`.
    pub const NOREPLACE: u32 = 1 << 4;
    /// `%ghost`: owned, not installed from the package (logs, generated files).
    pub const GHOST: u32 = 1 << 6;
    /// `%license`.
    pub const LICENSE: u32 = 1 << 7;
}

/// File states (`rpmfileState`): only `NORMAL` files are on disk as the package has them.
pub mod state {
    /// Installed from this package.
    pub const NORMAL: u8 = 0;
    /// Replaced by another package's file.
    pub const REPLACED: u8 = 1;
    /// Not installed (`--excludedocs`, `%_install_langs`…).
    pub const NOT_INSTALLED: u8 = 2;
    /// On a network file system (`%_netsharedpath`).
    pub const NETSHARED: u8 = 3;
    /// Not installed: the other architecture's copy of a multilib file won.
    pub const WRONG_COLOR: u8 = 4;
}

/// `S_IFMT` and the file types of `FILEMODES`.
pub mod mode {
    /// The type bits.
    pub const TYPE: u16 = 0o170000;
    /// A regular file.
    pub const REGULAR: u16 = 0o100000;
    /// A symbolic link.
    pub const LINK: u16 = 0o120000;
    /// A directory.
    pub const DIR: u16 = 0o040000;
}

/// One index entry.
#[derive(Debug, Clone, Copy)]
struct Entry {
    tag: u32,
    kind: u32,
    offset: usize,
    count: usize,
}

/// A header checked for shape, its entries read lazily.
pub struct Header<'a> {
    entries: Vec<Entry>,
    data: &'a [u8],
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

impl<'a> Header<'a> {
    /// Checks `blob`'s counts and index and returns the header, or why it is not one.
    pub fn parse(blob: &'a [u8]) -> Result<Header<'a>, String> {
        let blob = blob.strip_prefix(&MAGIC[..]).unwrap_or(blob);
        let (Some(il), Some(dl)) = (be32(blob, 0), be32(blob, 4)) else {
            return Err(format!("{} bytes, shorter than a header", blob.len()));
        };
        let (il, dl) = (il as usize, dl as usize);
        if il == 0 || il > MAX_ENTRIES {
            return Err(format!("{il} index entries (1 to {MAX_ENTRIES} allowed)"));
        }
        let index_end = 8 + il * 16;
        let Some(data) = index_end
            .checked_add(dl)
            .and_then(|end| blob.get(index_end..end))
        else {
            return Err(format!(
                "{il} entries and {dl} data bytes need {} bytes, the blob has {}",
                8 + il * 16 + dl,
                blob.len()
            ));
        };
        let mut entries = Vec::with_capacity(il);
        for i in 0..il {
            let at = 8 + i * 16;
            let (Some(tag), Some(kind), Some(offset), Some(count)) = (
                be32(blob, at),
                be32(blob, at + 4),
                be32(blob, at + 8),
                be32(blob, at + 12),
            ) else {
                return Err(format!("index entry {i} cut short"));
            };
            let offset = offset as i32;
            // A region tag's own entry points at its trailer with a negative offset in
            // legacy headers; everything else must point inside the data.
            if offset < 0 || offset as usize > dl {
                if matches!(
                    tag,
                    tag::HEADERIMMUTABLE | tag::HEADERIMAGE | tag::HEADERSIGNATURES
                ) {
                    continue;
                }
                return Err(format!(
                    "index entry {i} (tag {tag}) points at {offset}, outside {dl} data bytes"
                ));
            }
            if !(kind::CHAR..=kind::I18NSTRING).contains(&kind) && kind != 0 {
                return Err(format!(
                    "index entry {i} (tag {tag}) has unknown type {kind}"
                ));
            }
            entries.push(Entry {
                tag,
                kind,
                offset: offset as usize,
                count: count as usize,
            });
        }
        // Entries of the immutable region are the first `ril`; later ones replace them.
        let ril = region_entries(&entries, data).unwrap_or(0);
        let mut chosen: Vec<Entry> = Vec::with_capacity(entries.len());
        let mut at: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            match at.get(&e.tag) {
                // A dribble (after the region) replaces the region's entry, and a later
                // duplicate outside the region replaces an earlier one.
                Some(&p) if i >= ril => chosen[p] = *e,
                Some(_) => {}
                None => {
                    at.insert(e.tag, chosen.len());
                    chosen.push(*e);
                }
            }
        }
        Ok(Header {
            entries: chosen,
            data,
        })
    }

    fn entry(&self, tag: u32) -> Option<Entry> {
        self.entries.iter().find(|e| e.tag == tag).copied()
    }

    /// A string tag (`STRING`, or the first of an `I18NSTRING`/`STRING_ARRAY`).
    pub fn string(&self, tag: u32) -> Result<Option<&'a [u8]>, String> {
        let Some(e) = self.entry(tag) else {
            return Ok(None);
        };
        if !matches!(e.kind, kind::STRING | kind::I18NSTRING | kind::STRING_ARRAY) {
            return Err(format!("tag {tag} is of type {}, not a string", e.kind));
        }
        if e.count == 0 {
            return Err(format!("tag {tag} has no value"));
        }
        self.nul_terminated(e.offset, tag).map(|(s, _)| Some(s))
    }

    fn nul_terminated(&self, at: usize, tag: u32) -> Result<(&'a [u8], usize), String> {
        let rest = self.data.get(at..).unwrap_or_default();
        match rest.iter().position(|&b| b == 0) {
            Some(n) => Ok((&rest[..n], at + n + 1)),
            None => Err(format!("a string of tag {tag} runs past the data")),
        }
    }

    /// A `STRING_ARRAY` tag.
    pub fn strings(&self, tag: u32) -> Result<Option<Vec<&'a [u8]>>, String> {
        let Some(e) = self.entry(tag) else {
            return Ok(None);
        };
        if !matches!(e.kind, kind::STRING_ARRAY | kind::STRING | kind::I18NSTRING) {
            return Err(format!("tag {tag} is of type {}, not strings", e.kind));
        }
        // Each string takes at least its NUL: more strings than bytes left is a lie.
        if e.count > self.data.len().saturating_sub(e.offset) {
            return Err(format!(
                "tag {tag} claims {} strings in {} bytes",
                e.count,
                self.data.len() - e.offset
            ));
        }
        let mut out = Vec::with_capacity(e.count);
        let mut at = e.offset;
        for _ in 0..e.count {
            let (s, next) = self.nul_terminated(at, tag)?;
            out.push(s);
            at = next;
        }
        Ok(Some(out))
    }

    /// The raw bytes of an array of `count` items of `size` bytes.
    fn array(&self, tag: u32, kinds: &[u32], size: usize) -> Result<Option<&'a [u8]>, String> {
        let Some(e) = self.entry(tag) else {
            return Ok(None);
        };
        if !kinds.contains(&e.kind) {
            return Err(format!("tag {tag} has type {}, expected {kinds:?}", e.kind));
        }
        let bytes = e
            .count
            .checked_mul(size)
            .and_then(|n| e.offset.checked_add(n))
            .and_then(|end| self.data.get(e.offset..end));
        match bytes {
            Some(b) => Ok(Some(b)),
            None => Err(format!(
                "tag {tag}: {} values of {size} bytes at {} run past {} data bytes",
                e.count,
                e.offset,
                self.data.len()
            )),
        }
    }

    /// An `INT32` array.
    pub fn u32s(&self, tag: u32) -> Result<Option<Vec<u32>>, String> {
        Ok(self.array(tag, &[kind::INT32], 4)?.map(|b| {
            b.chunks_exact(4)
                .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
                .collect()
        }))
    }

    /// An `INT16` array.
    pub fn u16s(&self, tag: u32) -> Result<Option<Vec<u16>>, String> {
        Ok(self.array(tag, &[kind::INT16], 2)?.map(|b| {
            b.chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect()
        }))
    }

    /// A `CHAR`/`INT8` array.
    pub fn u8s(&self, tag: u32) -> Result<Option<&'a [u8]>, String> {
        self.array(tag, &[kind::CHAR, kind::INT8], 1)
    }

    /// An `INT64` array.
    pub fn u64s(&self, tag: u32) -> Result<Option<Vec<u64>>, String> {
        Ok(self.array(tag, &[kind::INT64], 8)?.map(|b| {
            b.chunks_exact(8)
                .map(|c| u64::from_be_bytes(c.try_into().unwrap_or_default()))
                .collect()
        }))
    }
}

/// How many index entries belong to the immutable region (its tag entry included), from
/// the region's trailer: `None` when the header has no (valid) region.
fn region_entries(entries: &[Entry], data: &[u8]) -> Option<usize> {
    let first = entries.first()?;
    if !matches!(
        first.tag,
        tag::HEADERIMMUTABLE | tag::HEADERIMAGE | tag::HEADERSIGNATURES
    ) || first.kind != kind::BIN
        || first.count != 16
    {
        return None;
    }
    let trailer = data.get(first.offset..first.offset.checked_add(16)?)?;
    // The trailer is an entry whose negative offset is minus the region's index size.
    let offset = be32(trailer, 8)? as i32;
    if offset >= 0 || offset % 16 != 0 {
        return None;
    }
    let ril = (-(offset as i64) / 16) as usize;
    (ril <= entries.len()).then_some(ril)
}

/// One file of a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// The full path, as the package has it (leading `/`).
    pub path: Vec<u8>,
    /// Mode (`FILEMODES`), 0 when the header has none.
    pub mode: u16,
    /// `FILEFLAGS` (see [`flag`]).
    pub flags: u32,
    /// `FILESTATES` on this host (see [`state`]); `NORMAL` when the header has none.
    pub state: u8,
    /// The digest in hexadecimal (empty for directories, links, ghosts).
    pub digest: Vec<u8>,
    /// The link target (empty unless a symbolic link).
    pub link: Vec<u8>,
    /// Size in bytes.
    pub size: u64,
}

/// What kensa takes from one installed package's header.
#[derive(Debug, Clone, Default)]
pub struct Package {
    /// `NAME`.
    pub name: String,
    /// `VERSION`.
    pub version: String,
    /// `RELEASE`.
    pub release: String,
    /// `ARCH` (none for `gpg-pubkey` pseudo-packages).
    pub arch: Option<String>,
    /// `FILEDIGESTALGO` (1, MD5, when absent).
    pub digest_algorithm: u32,
    /// The files.
    pub files: Vec<File>,
}

impl Package {
    /// `name-version-release.arch`, as `rpm -qa` prints it.
    pub fn nevra(&self) -> String {
        match &self.arch {
            Some(arch) => format!("{}-{}-{}.{arch}", self.name, self.version, self.release),
            None => format!("{}-{}-{}", self.name, self.version, self.release),
        }
    }

    /// Reads the package out of a header blob; `Err` says what is malformed.
    pub fn parse(blob: &[u8]) -> Result<Package, String> {
        let h = Header::parse(blob)?;
        let text = |tag: u32| -> Result<String, String> {
            Ok(h.string(tag)?
                .map(|s| String::from_utf8_lossy(s).into_owned())
                .unwrap_or_default())
        };
        let name = text(tag::NAME)?;
        if name.is_empty() {
            return Err("no package name".into());
        }
        let mut pkg = Package {
            version: text(tag::VERSION)?,
            release: text(tag::RELEASE)?,
            arch: h
                .string(tag::ARCH)?
                .map(|s| String::from_utf8_lossy(s).into_owned()),
            name,
            digest_algorithm: h
                .u32s(tag::FILEDIGESTALGO)?
                .and_then(|v| v.first().copied())
                .unwrap_or(1),
            files: Vec::new(),
        };
        let paths: Vec<Vec<u8>> = match h.strings(tag::BASENAMES)? {
            Some(base) => {
                let dirs = h.strings(tag::DIRNAMES)?.unwrap_or_default();
                let index = h.u32s(tag::DIRINDEXES)?.unwrap_or_default();
                if index.len() != base.len() {
                    return Err(format!(
                        "{} file names but {} directory indexes",
                        base.len(),
                        index.len()
                    ));
                }
                let mut paths = Vec::with_capacity(base.len());
                let mut total = 0usize;
                for (name, &dir) in base.iter().zip(&index) {
                    let Some(dir) = dirs.get(dir as usize) else {
                        return Err(format!(
                            "directory index {dir} past {} directories",
                            dirs.len()
                        ));
                    };
                    // Directories are shared: a hostile header could name a long one for
                    // every file. rpm refuses paths beyond PATH_MAX; the sum is capped too.
                    let len = dir.len() + name.len();
                    total += len;
                    if len > MAX_PATH || total > MAX_PATH_BYTES {
                        return Err(format!(
                            "file paths longer than {MAX_PATH} bytes or {MAX_PATH_BYTES} in all"
                        ));
                    }
                    let mut path = Vec::with_capacity(dir.len() + name.len());
                    path.extend_from_slice(dir);
                    path.extend_from_slice(name);
                    paths.push(path);
                }
                paths
            }
            None => h
                .strings(tag::OLDFILENAMES)?
                .unwrap_or_default()
                .into_iter()
                .map(<[u8]>::to_vec)
                .collect(),
        };
        let n = paths.len();
        if n == 0 {
            return Ok(pkg);
        }
        let same = |what: &str, len: Option<usize>| -> Result<(), String> {
            match len {
                Some(l) if l != n => Err(format!("{n} files but {l} {what}")),
                _ => Ok(()),
            }
        };
        let modes = h.u16s(tag::FILEMODES)?;
        same("modes", modes.as_ref().map(Vec::len))?;
        let flags = h.u32s(tag::FILEFLAGS)?;
        same("flags", flags.as_ref().map(Vec::len))?;
        let states = h.u8s(tag::FILESTATES)?;
        same("states", states.map(<[u8]>::len))?;
        let digests = h.strings(tag::FILEDIGESTS)?;
        same("digests", digests.as_ref().map(Vec::len))?;
        let links = h.strings(tag::FILELINKTOS)?;
        same("link targets", links.as_ref().map(Vec::len))?;
        let sizes: Option<Vec<u64>> = match h.u64s(tag::LONGFILESIZES)? {
            Some(long) => Some(long),
            None => h
                .u32s(tag::FILESIZES)?
                .map(|v| v.into_iter().map(u64::from).collect()),
        };
        same("sizes", sizes.as_ref().map(Vec::len))?;
        pkg.files = paths
            .into_iter()
            .enumerate()
            .map(|(i, path)| File {
                path,
                mode: modes.as_ref().map_or(0, |m| m[i]),
                flags: flags.as_ref().map_or(0, |f| f[i]),
                state: states.map_or(state::NORMAL, |s| s[i]),
                digest: digests.as_ref().map_or_else(Vec::new, |d| d[i].to_vec()),
                link: links.as_ref().map_or_else(Vec::new, |l| l[i].to_vec()),
                size: sizes.as_ref().map_or(0, |s| s[i]),
            })
            .collect();
        Ok(pkg)
    }
}

#[cfg(test)]
pub(crate) mod build {
    //! Writes header blobs the way rpm lays them out, for the tests of the readers.

    use super::kind;

    /// A tag's value.
    pub enum Value<'a> {
        /// `STRING`.
        Str(&'a str),
        /// `STRING_ARRAY`.
        Strs(Vec<&'a str>),
        /// `INT32` array.
        U32(Vec<u32>),
        /// `INT16` array.
        U16(Vec<u16>),
        /// `CHAR` array.
        Chars(Vec<u8>),
    }

    /// A header blob (no magic) with `region` entries in an immutable region first, then
    /// `dribbles`.
    pub fn blob(region: &[(u32, Value<'_>)], dribbles: &[(u32, Value<'_>)]) -> Vec<u8> {
        let mut index: Vec<[u32; 4]> = Vec::new();
        let mut data: Vec<u8> = Vec::new();
        let put = |tag: u32, v: &Value<'_>, index: &mut Vec<[u32; 4]>, data: &mut Vec<u8>| {
            let (k, count, bytes, align): (u32, usize, Vec<u8>, usize) = match v {
                Value::Str(s) => (kind::STRING, 1, [s.as_bytes(), b"\0"].concat(), 1),
                Value::Strs(v) => (
                    kind::STRING_ARRAY,
                    v.len(),
                    v.iter()
                        .flat_map(|s| [s.as_bytes(), b"\0"].concat())
                        .collect(),
                    1,
                ),
                Value::U32(v) => (
                    kind::INT32,
                    v.len(),
                    v.iter().flat_map(|x| x.to_be_bytes()).collect(),
                    4,
                ),
                Value::U16(v) => (
                    kind::INT16,
                    v.len(),
                    v.iter().flat_map(|x| x.to_be_bytes()).collect(),
                    2,
                ),
                Value::Chars(v) => (kind::CHAR, v.len(), v.clone(), 1),
            };
            while !data.len().is_multiple_of(align) {
                data.push(0);
            }
            index.push([tag, k, data.len() as u32, count as u32]);
            data.extend_from_slice(&bytes);
        };
        let mut region_index = Vec::new();
        for (tag, v) in region {
            put(*tag, v, &mut region_index, &mut data);
        }
        // The region trailer: an entry whose offset is minus the region's index size.
        let ril = region_index.len() as u32 + 1;
        let trailer_at = data.len() as u32;
        for w in [
            super::tag::HEADERIMMUTABLE,
            kind::BIN,
            (-(ril as i32 * 16)) as u32,
            16,
        ] {
            data.extend_from_slice(&w.to_be_bytes());
        }
        index.push([super::tag::HEADERIMMUTABLE, kind::BIN, trailer_at, 16]);
        index.extend(region_index);
        let mut dribble_index = Vec::new();
        for (tag, v) in dribbles {
            put(*tag, v, &mut dribble_index, &mut data);
        }
        index.extend(dribble_index);
        let mut out = Vec::new();
        out.extend_from_slice(&(index.len() as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        for e in &index {
            for w in e {
                out.extend_from_slice(&w.to_be_bytes());
            }
        }
        out.extend_from_slice(&data);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::build::{Value, blob};
    use super::*;

    fn sample() -> Vec<u8> {
        blob(
            &[
                (tag::NAME, Value::Str("demo")),
                (tag::VERSION, Value::Str("1.0")),
                (tag::RELEASE, Value::Str("1")),
                (tag::ARCH, Value::Str("x86_64")),
                (
                    tag::FILEMODES,
                    Value::U16(vec![0o100755, 0o120777, 0o100644]),
                ),
                (tag::FILEFLAGS, Value::U32(vec![0, 0, flag::CONFIG])),
                (tag::FILESIZES, Value::U32(vec![3, 4, 5])),
                (
                    tag::FILEDIGESTS,
                    Value::Strs(vec![&"aa".repeat(16), "", &"bb".repeat(16)]),
                ),
                (tag::FILELINKTOS, Value::Strs(vec!["", "demo", ""])),
                (tag::DIRINDEXES, Value::U32(vec![0, 0, 1])),
                (
                    tag::BASENAMES,
                    Value::Strs(vec!["demo", "demo-link", "demo.conf"]),
                ),
                (tag::DIRNAMES, Value::Strs(vec!["/usr/bin/", "/etc/"])),
            ],
            &[(tag::FILESTATES, Value::Chars(vec![0, 0, 0]))],
        )
    }

    #[test]
    fn a_package_header_gives_its_name_and_files() {
        let pkg = Package::parse(&sample()).unwrap();
        assert_eq!(pkg.nevra(), "demo-1.0-1.x86_64");
        assert_eq!(pkg.digest_algorithm, 1);
        let paths: Vec<_> = pkg.files.iter().map(|f| f.path.as_slice()).collect();
        assert_eq!(
            paths,
            [
                &b"/usr/bin/demo"[..],
                b"/usr/bin/demo-link",
                b"/etc/demo.conf"
            ]
        );
        assert_eq!(pkg.files[1].link, b"demo");
        assert_eq!(pkg.files[2].flags, flag::CONFIG);
        assert_eq!(pkg.files[0].size, 3);
        // With the magic of an exported header in front, the same.
        let mut exported = MAGIC.to_vec();
        exported.extend(sample());
        assert_eq!(Package::parse(&exported).unwrap().files, pkg.files);
    }

    #[test]
    fn an_entry_added_at_install_time_replaces_the_regions() {
        // A relocated package: rpm rewrites BASENAMES/DIRNAMES outside the region.
        let b = blob(
            &[
                (tag::NAME, Value::Str("demo")),
                (tag::DIRINDEXES, Value::U32(vec![0])),
                (tag::BASENAMES, Value::Strs(vec!["demo"])),
                (tag::DIRNAMES, Value::Strs(vec!["/opt/demo/"])),
            ],
            &[(tag::DIRNAMES, Value::Strs(vec!["/srv/demo/"]))],
        );
        let pkg = Package::parse(&b).unwrap();
        assert_eq!(pkg.files[0].path, b"/srv/demo/demo");
        assert_eq!(pkg.nevra(), "demo--");
    }

    #[test]
    fn every_truncation_and_every_mutated_byte_is_an_error_or_a_package_never_a_panic() {
        let good = sample();
        for len in 0..good.len() {
            assert!(Package::parse(&good[..len]).is_err(), "cut at {len}");
        }
        // Every byte of the blob replaced by values that stress counts and offsets.
        for i in 0..good.len() {
            for v in [0x00, 0x01, 0x7f, 0x80, 0xff] {
                let mut bad = good.clone();
                bad[i] = v;
                let _ = Package::parse(&bad);
            }
        }
        // A count that would allocate gigabytes is refused by arithmetic, not by memory.
        let mut huge = good.clone();
        // Entry of BASENAMES: find it and set its count to u32::MAX.
        let il = u32::from_be_bytes(good[0..4].try_into().unwrap()) as usize;
        for i in 0..il {
            let at = 8 + i * 16;
            if u32::from_be_bytes(good[at..at + 4].try_into().unwrap()) == tag::BASENAMES {
                huge[at + 12..at + 16].copy_from_slice(&u32::MAX.to_be_bytes());
            }
        }
        let err = Package::parse(&huge).unwrap_err();
        assert!(err.contains("claims"), "{err}");
        // il beyond rpm's limit.
        let mut many = good.clone();
        many[0..4].copy_from_slice(&0x0001_0000u32.to_be_bytes());
        assert!(Package::parse(&many).unwrap_err().contains("index entries"));
    }

    #[test]
    fn inconsistent_file_arrays_are_refused() {
        let b = blob(
            &[
                (tag::NAME, Value::Str("demo")),
                (tag::FILEMODES, Value::U16(vec![0o100644])),
                (tag::DIRINDEXES, Value::U32(vec![0, 0])),
                (tag::BASENAMES, Value::Strs(vec!["a", "b"])),
                (tag::DIRNAMES, Value::Strs(vec!["/x/"])),
            ],
            &[],
        );
        assert_eq!(Package::parse(&b).unwrap_err(), "2 files but 1 modes");
        let b = blob(
            &[
                (tag::NAME, Value::Str("demo")),
                (tag::DIRINDEXES, Value::U32(vec![3])),
                (tag::BASENAMES, Value::Strs(vec!["a"])),
                (tag::DIRNAMES, Value::Strs(vec!["/x/"])),
            ],
            &[],
        );
        assert!(
            Package::parse(&b)
                .unwrap_err()
                .contains("directory index 3")
        );
    }
}
