#![no_main]
//! A declared license as a manifest writes it: normalized, then evaluated as an expression.
use kataster::license::expr::{DefaultJudge, evaluate};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = evaluate(text, &DefaultJudge);
    let declared = kataster::license::DeclaredLicense::from_raw(text);
    if let Some(e) = declared.expression {
        let _ = evaluate(&e, &DefaultJudge);
    }
});
