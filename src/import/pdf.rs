//! Plain text as `pdftotext -layout` prints a UN PDF, to lines of text.

use super::{CleanLine, Cleaned};

/// Plain text (as `pdftotext -layout` gives) to lines: page breaks, page numbers, running
/// heads holding the document symbol, job numbers and bar codes dropped; leading layout
/// spaces removed; a word hyphenated at a line end joined with its end on the next line;
/// runs of blank lines made one.
pub fn clean_text(text: &str, symbol: &str) -> Cleaned {
    let known: std::collections::HashSet<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out: Vec<CleanLine> = Vec::new();
    let raw: Vec<(usize, &str)> = text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect();
    let mut i = 0;
    while i < raw.len() {
        let (number, line) = raw[i];
        i += 1;
        let line = line.replace('\u{c}', "");
        let trimmed = line.trim();
        if is_page_furniture(trimmed, symbol) {
            continue;
        }
        if trimmed.is_empty() {
            if out.last().is_some_and(|l| !l.text.is_empty()) {
                out.push(CleanLine {
                    text: String::new(),
                    origin: (number, number),
                });
            }
            continue;
        }
        let mut joined = trimmed.to_string();
        let mut end = number;
        while joined.ends_with('-')
            && joined[..joined.len() - 1].ends_with(|c: char| c.is_alphabetic())
        {
            let Some(next) = raw[i..]
                .iter()
                .position(|(_, l)| !is_page_furniture(l.trim(), symbol) && !l.trim().is_empty())
                .map(|k| i + k)
            else {
                break;
            };
            let (next_number, next_line) = raw[next];
            let next_trimmed = next_line.trim();
            if !next_trimmed.starts_with(|c: char| c.is_lowercase()) {
                break;
            }
            let (word, remainder) = next_trimmed
                .split_once(char::is_whitespace)
                .unwrap_or((next_trimmed, ""));
            // "de-" + "velop" is one word when "develop" occurs elsewhere in the file;
            // "multi-" + "stakeholder" keeps its hyphen when "multistakeholder" does not.
            let stem_start = joined
                .trim_end_matches('-')
                .char_indices()
                .rev()
                .find(|(_, c)| !c.is_alphanumeric())
                .map_or(0, |(i, c)| i + c.len_utf8());
            let head = joined[stem_start..joined.len() - 1].to_string();
            let word_only: String = word.chars().take_while(|c| c.is_alphanumeric()).collect();
            if known.contains(format!("{head}{word_only}").as_str()) {
                joined.pop();
            }
            joined.push_str(word);
            if !remainder.trim().is_empty() {
                out.push(CleanLine {
                    text: joined,
                    origin: (number, next_number),
                });
                joined = remainder.trim().to_string();
                end = next_number;
                i = next + 1;
                out.push(CleanLine {
                    text: joined.clone(),
                    origin: (next_number, next_number),
                });
                joined.clear();
                break;
            }
            end = next_number;
            i = next + 1;
        }
        if !joined.is_empty() {
            out.push(CleanLine {
                text: joined,
                origin: (number, end),
            });
        }
    }
    while out.last().is_some_and(|l| l.text.is_empty()) {
        out.pop();
    }
    Cleaned {
        lines: out,
        dropped: Vec::new(),
    }
}

/// Page numbers ("3", "- 3 -", "Page 3 of 12"), running heads (a short line holding the
/// symbol), job numbers ("15-22434 (E)") and bar codes ("*1522434*").
fn is_page_furniture(line: &str, symbol: &str) -> bool {
    let page_number = !line.is_empty()
        && line
            .trim_matches(|c: char| c == '-' || c.is_whitespace())
            .chars()
            .all(|c| c.is_ascii_digit())
        && !line.trim_matches('-').trim().is_empty();
    let page_of = line.starts_with("Page ")
        && line
            .split_whitespace()
            .nth(1)
            .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()));
    let running_head =
        !symbol.is_empty() && line.contains(symbol) && line.len() <= symbol.len() + 40;
    let job = line.len() <= 30
        && line.contains("(E)")
        && line.starts_with(|c: char| c.is_ascii_digit())
        && line.contains('-');
    let barcode = line.starts_with('*')
        && line.ends_with('*')
        && line.len() > 2
        && line[1..line.len() - 1].chars().all(|c| c.is_ascii_digit());
    page_number || page_of || running_head || job || barcode
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::texts;

    #[test]
    fn a_hyphen_after_a_curly_apostrophe_joins_its_word() {
        // Found by cargo-fuzz: the word before the hyphen was cut inside the `’`.
        let text = "1.\nThe people’multi-\nstakeholder council.\n";
        assert_eq!(
            texts(&clean_text(text, "A/RES/99/1").lines)[1],
            "The people’multi-stakeholder@2-3"
        );
    }

    #[test]
    fn page_furniture_goes_and_hyphenated_words_join() {
        let text = "A/RES/99/1\n\n1.\nThe harbour council agrees to de-\nvelop the lamps and to keep\n\n\u{c}3\n15-12345 (E)\n*1512345*\nthe piers open, to develop a multi-\nstakeholder council.\n";
        assert_eq!(
            texts(&clean_text(text, "A/RES/99/1").lines),
            [
                "1.@3-3",
                "The harbour council agrees to develop@4-5",
                "the lamps and to keep@5-5",
                "@6-6",
                "the piers open, to develop a multi-stakeholder@10-11",
                "council.@11-11"
            ]
        );
    }
}
