//! libFuzzer entry for [`kensa_fuzz::audit_events`]: what it checks is said there.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = kensa_fuzz::audit_events(data);
});
