//! What can be wrong in a journal file, worded for the person reading the report.
//!
//! Every problem names the offset of the thing found wrong — the header, an object, the
//! entry array that points somewhere it should not — so an analyst can look at the bytes
//! with `xxd -s`. Problems do not stop the reader: each one is recorded and the walk goes
//! on with what remains (see the module essay of [`journal`](super)).

use kensa_core::{Localized, tr};

/// A problem found at an offset of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Byte offset of the header field or object found wrong.
    pub offset: u64,
    /// What is wrong there.
    pub kind: ProblemKind,
}

/// The object types of the format, for problems that name one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectType {
    /// DATA: one `FIELD=value` payload, shared by every entry that has it.
    Data,
    /// FIELD: a field name.
    Field,
    /// ENTRY: one log record, a list of DATA offsets.
    Entry,
    /// The hash table of DATA objects.
    DataHashTable,
    /// The hash table of FIELD objects.
    FieldHashTable,
    /// ENTRY_ARRAY: a piece of a list of entry offsets.
    EntryArray,
    /// TAG: a seal.
    Tag,
}

impl ObjectType {
    /// The type of the on-disk type byte, if it is one.
    pub fn from_byte(byte: u8) -> Option<ObjectType> {
        Some(match byte {
            1 => ObjectType::Data,
            2 => ObjectType::Field,
            3 => ObjectType::Entry,
            4 => ObjectType::DataHashTable,
            5 => ObjectType::FieldHashTable,
            6 => ObjectType::EntryArray,
            7 => ObjectType::Tag,
            _ => return None,
        })
    }

    /// The name the format documentation uses.
    pub fn name(self) -> &'static str {
        match self {
            ObjectType::Data => "DATA",
            ObjectType::Field => "FIELD",
            ObjectType::Entry => "ENTRY",
            ObjectType::DataHashTable => "DATA_HASH_TABLE",
            ObjectType::FieldHashTable => "FIELD_HASH_TABLE",
            ObjectType::EntryArray => "ENTRY_ARRAY",
            ObjectType::Tag => "TAG",
        }
    }
}

/// A compression method of DATA payloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// xz (object flag 1).
    Xz,
    /// An LZ4 block after a 64-bit size (object flag 2).
    Lz4,
    /// A zstd frame (object flag 4).
    Zstd,
}

impl Compression {
    /// "xz", "lz4" or "zstd".
    pub fn name(self) -> &'static str {
        match self {
            Compression::Xz => "xz",
            Compression::Lz4 => "lz4",
            Compression::Zstd => "zstd",
        }
    }
}

/// Which limit a [`ProblemKind::TooLarge`] ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// One DATA payload, decompressed: [`DATA_PAYLOAD_MAX`](super::DATA_PAYLOAD_MAX).
    Payload,
    /// The fields of one entry together: [`ENTRY_BYTES_MAX`](super::ENTRY_BYTES_MAX).
    EntryBytes,
    /// Items of one entry: [`ENTRY_ITEMS_MAX`](super::ENTRY_ITEMS_MAX).
    EntryItems,
    /// Bytes handed out for the whole file (see [`output_budget`](super::output_budget)).
    FileOutput,
    /// Bytes decompressed for the whole file, kept or not (see
    /// [`decompress_budget`](super::decompress_budget)).
    Decompressed,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// The file does not start with the journal signature `LPKSHHRH`.
    NotAJournal,
    /// Something runs to byte `end` but the file has only `len` bytes (a truncated file).
    Truncated {
        /// Where the header or object would end.
        end: u64,
        /// The length of the file.
        len: u64,
    },
    /// The header size field is below 208, not a multiple of 8, or past the end.
    BadHeaderSize(u64),
    /// The state byte is none of offline, online, archived.
    BadState(u8),
    /// Incompatible flags this reader does not know; it read the file anyway.
    UnknownIncompatibleFlags(u32),
    /// An offset field points outside the object arena or is not 8-byte aligned.
    BadOffset {
        /// Where it points.
        target: u64,
    },
    /// An object of another type than expected.
    WrongType {
        /// The type that should be there.
        expected: ObjectType,
        /// The type byte found.
        found: u8,
    },
    /// An object size impossible for its type.
    BadSize {
        /// The size found.
        size: u64,
    },
    /// Object flags that are not one compression method.
    BadFlags(u8),
    /// The entry array chain points back to an array already read.
    Cycle {
        /// Where it points.
        target: u64,
    },
    /// An entry array lists an entry at or before one already read (entries are
    /// appended, so their offsets only grow).
    OutOfOrder {
        /// The entry offset listed.
        target: u64,
    },
    /// An entry's sequence number is not greater than the one before it.
    SeqnumNotIncreasing {
        /// This entry's sequence number.
        seqnum: u64,
        /// The previous entry's.
        previous: u64,
    },
    /// The header's `tail_entry_seqnum` is not the sequence number of the last entry the
    /// entry arrays list, in a file closed cleanly (where journald keeps them equal): an
    /// edited or stale header. The entries are what is read.
    TailSeqnumDisagrees {
        /// What the header says.
        header: u64,
        /// The last entry's.
        entries: u64,
    },
    /// A DATA payload without `=`, so not `FIELD=value`.
    NotAField,
    /// A compressed payload that does not decompress.
    Decompress {
        /// The method the object's flags name.
        method: Compression,
        /// The decoder's message.
        detail: String,
    },
    /// Something larger than a limit kensa keeps to bound memory and time.
    TooLarge {
        /// Which limit.
        what: Limit,
        /// The size claimed or reached.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// Bytes that hold no valid object, skipped by the walk over the objects.
    Garbage {
        /// How many bytes.
        bytes: u64,
    },
    /// An intact entry that the entry array chain does not list (journalctl does not
    /// show it): written by a writer that died before linking it, or unlinked on purpose.
    Unlinked,
    /// Reading failed.
    Io(String),
}

impl ProblemKind {
    /// The problem as a sentence, in English and Japanese.
    pub fn describe(&self) -> Localized {
        match self {
            ProblemKind::NotAJournal => tr!(
                "not a systemd journal file (no LPKSHHRH signature)",
                "systemd のジャーナルファイルではありません（LPKSHHRH の署名がありません）"
            ),
            ProblemKind::Truncated { end, len } => tr!(
                "truncated: runs to byte {end} but the file ends at byte {len}",
                "切り詰められています: バイト {end} まで続くはずですが、ファイルはバイト {len} で終わっています"
            ),
            ProblemKind::BadHeaderSize(size) => tr!(
                "impossible header size {size}",
                "ヘッダーサイズ {size} はありえない値です"
            ),
            ProblemKind::BadState(state) => tr!(
                "unknown file state {state}",
                "不明なファイル状態 {state} です"
            ),
            ProblemKind::UnknownIncompatibleFlags(flags) => tr!(
                "unknown incompatible header flags {flags:#x}; read anyway, entries may be misread",
                "不明な非互換ヘッダーフラグ {flags:#x} があります。読み取りましたが、エントリを誤読しているおそれがあります"
            ),
            ProblemKind::BadOffset { target } => tr!(
                "points to offset {target}, outside the objects or misaligned",
                "オフセット {target} を指していますが、オブジェクト領域の外か境界が揃っていません"
            ),
            ProblemKind::WrongType { expected, found } => {
                let expected = expected.name();
                let found = ObjectType::from_byte(*found)
                    .map_or_else(|| format!("type {found}"), |t| t.name().to_string());
                tr!(
                    "expected a {expected} object, found {found}",
                    "{expected} オブジェクトのはずが {found} でした"
                )
            }
            ProblemKind::BadSize { size } => tr!(
                "object size {size} is impossible for its type",
                "オブジェクトサイズ {size} はその種類としてありえません"
            ),
            ProblemKind::BadFlags(flags) => tr!(
                "object flags {flags:#x} name no single compression method",
                "オブジェクトフラグ {flags:#x} が一つの圧縮方式を示していません"
            ),
            ProblemKind::Cycle { target } => tr!(
                "entry array chain goes back to offset {target}; the chain ends here",
                "エントリ配列の連鎖がオフセット {target} に戻っています。連鎖はここで打ち切りました"
            ),
            ProblemKind::OutOfOrder { target } => tr!(
                "lists the entry at offset {target} out of order; skipped",
                "オフセット {target} のエントリを順序外に載せています。読み飛ばしました"
            ),
            ProblemKind::SeqnumNotIncreasing { seqnum, previous } => tr!(
                "sequence number {seqnum} does not follow {previous}",
                "シーケンス番号 {seqnum} が直前の {previous} より大きくありません"
            ),
            ProblemKind::TailSeqnumDisagrees { header, entries } => tr!(
                "header says the last entry has sequence number {header}, but the last entry \
                 in the file has {entries} (an edited or stale header); read by its entries",
                "ヘッダーでは最後のエントリのシーケンス番号が {header} ですが、ファイルの最後の\
                 エントリは {entries} です（ヘッダーが書き換えられたか古いままです）。\
                 エントリに従って読みました"
            ),
            ProblemKind::NotAField => tr!(
                "data object holds no FIELD=value; skipped",
                "データオブジェクトに FIELD=value がありません。読み飛ばしました"
            ),
            ProblemKind::Decompress { method, detail } => {
                let method = method.name();
                tr!(
                    "{method} payload does not decompress: {detail}",
                    "{method} で圧縮された内容を展開できません: {detail}"
                )
            }
            ProblemKind::TooLarge { what, size, limit } => {
                let (en, ja) = match what {
                    Limit::Payload => ("data payload", "データの内容"),
                    Limit::EntryBytes => ("fields of one entry", "一つのエントリのフィールド"),
                    Limit::EntryItems => ("items of one entry", "一つのエントリの項目数"),
                    Limit::FileOutput => (
                        "bytes read from this file",
                        "このファイルから読んだバイト数",
                    ),
                    Limit::Decompressed => (
                        "bytes decompressed from this file",
                        "このファイルから展開したバイト数",
                    ),
                };
                tr!(
                    "{en} too large ({size}, limit {limit}); not read",
                    "{ja}が大きすぎます（{size}、上限 {limit}）。読み取りませんでした"
                )
            }
            ProblemKind::Garbage { bytes } => tr!(
                "{bytes} bytes hold no valid object; skipped",
                "{bytes} バイトに有効なオブジェクトがありません。読み飛ばしました"
            ),
            ProblemKind::Unlinked => tr!(
                "entry not listed in the entry arrays (journalctl does not show it); read",
                "エントリ配列に載っていないエントリです（journalctl には表示されません）。読み取りました"
            ),
            ProblemKind::Io(error) => tr!("read error: {error}", "読み取りエラー: {error}"),
        }
    }
}
