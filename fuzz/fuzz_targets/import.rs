//! The import cleaners: any HTML page or pdftotext output gives clean lines whose origins are
//! lines of the input, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wsis_search::import::{clean_html, clean_text};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Ok(input) = std::str::from_utf8(rest) else {
        return;
    };
    let cleaned = if mode & 1 == 0 {
        clean_html(input)
    } else {
        clean_text(input, "A/RES/70/125")
    };
    let input_lines = input.lines().count().max(1);
    for line in &cleaned.lines {
        let (first, last) = line.origin;
        assert!(
            1 <= first && first <= last && last <= input_lines,
            "{line:?} of {input_lines}"
        );
    }
});
