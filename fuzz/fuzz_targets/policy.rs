#![no_main]
use kataster::policy::Policy;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = Policy::parse(text, "kataster.toml");
});
