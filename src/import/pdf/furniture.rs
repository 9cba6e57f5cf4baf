//! The patterns of a UN page's furniture in `pdftotext -layout` text: each tells what a line
//! is when it is not the document's text.

use std::sync::LazyLock;

use regex::Regex;

/// `2/17`: page N of M.
static PAGE_OF: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{1,3}/\d{1,3}$").unwrap());
/// `15-22411`: a job number.
static JOB: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{2}-\d{4,6}$").unwrap());
/// `*1522411*`: the text under a bar code.
static BAR_CODE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\*\d{4,}\*$").unwrap());
/// `Page 3 of 12`, `Page 3`.
static PAGE_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Page \d+(?: of \d+)?$").unwrap());
/// `62nd plenary meeting`: the first line of a resolution's closing.
static PLENARY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,3}(?:st|nd|rd|th) plenary meeting$").unwrap());
/// `16 December 2015`: a date alone on a line.
static DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,2} [A-Z][a-z]+ \d{4}$").unwrap());

/// What `line` is when it is page furniture that can be told from the line alone: a running
/// head, a page number, a footer, a job number or a bar code line.
pub(super) fn furniture(line: &str, symbol: &str) -> Option<&'static str> {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return None;
    }
    if is_running_head(trimmed, symbol) {
        return Some("running head");
    }
    let dashed_number = trimmed.starts_with('-')
        && trimmed.ends_with('-')
        && trimmed.len() > 2
        && is_number(trimmed.trim_matches('-').trim());
    if dashed_number || PAGE_WORD.is_match(trimmed) {
        return Some("page number");
    }
    footer(trimmed)
}

/// A running head: the document's symbol alone or with a short title, or the symbol and the
/// title spaced across the line, symbol left or right (any length).
fn is_running_head(trimmed: &str, symbol: &str) -> bool {
    if symbol.is_empty() || !trimmed.contains(symbol) {
        return false;
    }
    let spaced_after = trimmed
        .strip_prefix(symbol)
        .is_some_and(|rest| rest.starts_with("   "));
    let spaced_before = trimmed
        .strip_suffix(symbol)
        .is_some_and(|rest| rest.ends_with("   "));
    trimmed.len() <= symbol.len() + 40 || spaced_after || spaced_before
}

/// A footer line: every word a page number (`2/17`, `3`), a job number (`15-22411`, `(E)`, a
/// date code `080116`) or a bar code; named by what it holds.
fn footer(trimmed: &str) -> Option<&'static str> {
    let (mut page, mut job, mut bar, mut bare) = (false, false, false, false);
    for word in trimmed.split_whitespace() {
        if PAGE_OF.is_match(word) {
            page = true;
        } else if JOB.is_match(word) {
            job = true;
        } else if BAR_CODE.is_match(word) {
            bar = true;
        } else if is_number(word) {
            bare = true;
        } else if word != "(E)" {
            return None;
        }
    }
    match (page, job, bar, bare) {
        (true, true, _, _) => Some("page footer"),
        (_, true, _, _) => Some("job number"),
        (_, _, true, false) => Some("bar code"),
        (true, false, false, false) => Some("page number"),
        (false, false, false, true) if !trimmed.contains(' ') => Some("page number"),
        _ => None,
    }
}

fn is_number(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| c.is_ascii_digit())
}

/// Whether a line is the first of a resolution's closing: `62nd plenary meeting`.
pub(super) fn is_plenary_meeting(trimmed: &str) -> bool {
    PLENARY.is_match(trimmed)
}

/// Whether a line is a date alone: `16 December 2015`.
pub(super) fn is_date(trimmed: &str) -> bool {
    DATE.is_match(trimmed)
}

/// A line's form for finding lines repeated on several pages: digits as `#`, runs of white
/// space as one space.
pub(super) fn normal_form(line: &str) -> String {
    let mut out = String::new();
    for word in line.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        let mut last_digit = false;
        for c in word.chars() {
            if c.is_ascii_digit() {
                if !last_digit {
                    out.push('#');
                }
                last_digit = true;
            } else {
                out.push(c);
                last_digit = false;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn footers_heads_and_numbers_are_furniture_and_text_is_not() {
        let symbol = "A/RES/99/1";
        let cases = [
            ("2/17", Some("page number")),
            ("   7", Some("page number")),
            ("- 3 -", Some("page number")),
            ("Page 3 of 12", Some("page number")),
            (
                "2/3                                   98-01234",
                Some("page footer"),
            ),
            ("98-01234                    3/3", Some("page footer")),
            ("15-22411 (E)    080116", Some("job number")),
            ("*1522411*", Some("bar code")),
            ("A/RES/99/1", Some("running head")),
            (
                "A/RES/99/1     A title of the sample resolution that runs on well past forty characters",
                Some("running head"),
            ),
            (
                "   A title of the sample resolution that runs on well past forty characters     A/RES/99/1",
                Some("running head"),
            ),
            (
                "Recalling its resolution A/RES/99/1 of 1 March 2099 on the lamps of the harbour,",
                None,
            ),
            (
                "2098, agree that the lamps shall be lit from dusk to dawn.",
                None,
            ),
            ("1998 2005", None),
            ("1.", None),
        ];
        for (line, want) in cases {
            assert_eq!(furniture(line, symbol), want, "{line:?}");
        }
    }

    #[test]
    fn normal_forms_ignore_digits_and_spacing() {
        assert_eq!(
            normal_form("  2/17      15-22411 "),
            normal_form("3/17 15-22411")
        );
        assert_ne!(normal_form("2/17 15-22411"), normal_form("15-22411 2/17"));
    }
}
