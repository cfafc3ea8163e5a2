//! libFuzzer entry for [`kensa_fuzz::journal_read`]: what it checks is said there.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = kensa_fuzz::journal_read(data);
});
