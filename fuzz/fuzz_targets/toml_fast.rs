#![no_main]
//! The fast lockfile TOML reader against the `toml` crate: whatever the fast reader
//! accepts, the `toml` crate must accept too and read the same way. Declining is always
//! allowed (the caller then parses with the `toml` crate).
use kataster::ecosystems::toml_fast;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Some(fast) = toml_fast::read(text) {
        let full: toml::Table = toml::from_str(text).expect("the fast reader accepted TOML the toml crate refuses");
        assert_eq!(fast, full, "the fast reader read the TOML differently");
    }
});
