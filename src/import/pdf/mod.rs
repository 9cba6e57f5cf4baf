//! Plain text as `pdftotext -layout` prints a UN PDF, to lines of text.
//!
//! The text is read page by page (pages end at form feeds). On each page:
//! - furniture by its look ([`furniture`]): running heads (the symbol alone, or the symbol and
//!   the title spaced across the line on either side), page numbers (`3`, `2/17`, `- 3 -`,
//!   `Page 3 of 12`), footers (page number and job number on one line), job numbers (`15-22411
//!   (E)    080116`), bar codes (`*1522411*`), and the closing (`62nd plenary meeting` and the
//!   date under it);
//! - furniture by repetition: a line at the top or foot of two pages or more, digits and
//!   spacing aside; and a running head's title run over a second line;
//! - page 1's masthead, down to the resolution's number and title, and its chapeau (`The
//!   General Assembly,`, and `Adopts the following …:` with the adopted document's title);
//! - the footnote block (a rule of underscores, then `1 See …`): each footnote becomes one
//!   line `¹ See …`, written after the paragraph open at the page's end; its markers in the
//!   page's text (`society,1`, `society, 1` at a line's end, or a `1` on a line of its own)
//!   are removed;
//! - a line at the first-line indent that opens with a capital or a digit starts a paragraph
//!   (a number, or a preambular participle), so a blank line is put before it;
//! - runs of layout spaces become one space.
//!
//! A paragraph goes on across a page break: the page's margins and furniture are left out
//! between its lines. A word hyphenated at a line's end is joined with its end on the next
//! line.

mod furniture;
mod page;

use std::collections::HashSet;
use std::process::{Command, ExitStatus};

use super::{CleanLine, Cleaned};
use page::{Entry, Raw, read_page, repeated_edges};

/// Plain text (as `pdftotext -layout` gives) of a document with symbol `symbol` to lines,
/// with the lines left out as furniture and why (see the module's notes).
pub fn clean_text(text: &str, symbol: &str) -> Cleaned {
    let pages = pages(text);
    let repeated = repeated_edges(&pages);
    let mut dropped = Vec::new();
    let mut out: Vec<CleanLine> = Vec::new();
    let mut waiting_notes: Vec<CleanLine> = Vec::new();
    for (p, page) in pages.iter().enumerate() {
        let read = read_page(page, p == 0, symbol, &repeated);
        dropped.extend(read.dropped);
        let mut gap = false;
        for entry in read.body {
            match entry {
                Entry::Gap => gap = true,
                Entry::Text {
                    line,
                    starts_paragraph,
                } => {
                    if starts_paragraph || gap {
                        write_notes(&mut out, &mut waiting_notes);
                        blank_before(&mut out, line.origin.0);
                    }
                    out.push(line);
                    gap = false;
                }
            }
        }
        waiting_notes.extend(read.footnotes);
    }
    write_notes(&mut out, &mut waiting_notes);
    join_hyphenated(&mut out, text);
    Cleaned {
        lines: out,
        dropped,
    }
}

/// The text's pages, split at form feeds, each line with its number in the file.
fn pages(text: &str) -> Vec<Vec<Raw<'_>>> {
    let mut pages = vec![Vec::new()];
    for (i, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some((before, after)) = rest.split_once('\u{c}') {
            if let Some(page) = pages.last_mut().filter(|_| !before.trim().is_empty()) {
                page.push(Raw {
                    number: i + 1,
                    text: before,
                });
            }
            pages.push(Vec::new());
            rest = after;
        }
        if let Some(page) = pages.last_mut() {
            page.push(Raw {
                number: i + 1,
                text: rest,
            });
        }
    }
    pages.retain(|p| p.iter().any(|l| !l.text.trim().is_empty()));
    pages
}

/// A blank line, unless the body is empty or already ends with one.
fn blank_before(out: &mut Vec<CleanLine>, line: usize) {
    if out.last().is_some_and(|l| !l.text.is_empty()) {
        out.push(CleanLine {
            text: String::new(),
            origin: (line, line),
        });
    }
}

/// The footnotes read so far, each after a blank line.
fn write_notes(out: &mut Vec<CleanLine>, notes: &mut Vec<CleanLine>) {
    for note in notes.drain(..) {
        blank_before(out, note.origin.0);
        out.push(note);
    }
}

/// Joins a word hyphenated at a line's end with its end at the start of the next line:
/// "de-" + "velop" is one word when "develop" occurs elsewhere in `text`; "multi-" +
/// "stakeholder" keeps its hyphen when "multistakeholder" does not.
fn join_hyphenated(lines: &mut Vec<CleanLine>, text: &str) {
    let known: HashSet<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut i = 0;
    while i + 1 < lines.len() {
        let this = &lines[i].text;
        let next = &lines[i + 1].text;
        let hyphenated = this.ends_with('-')
            && this[..this.len() - 1].ends_with(|c: char| c.is_alphabetic())
            && next.starts_with(|c: char| c.is_lowercase());
        if !hyphenated {
            i += 1;
            continue;
        }
        let (word, rest) = next.split_once(' ').unwrap_or((next, ""));
        let (word, rest) = (word.to_string(), rest.to_string());
        let stem_start = this[..this.len() - 1]
            .char_indices()
            .rev()
            .find(|(_, c)| !c.is_alphanumeric())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let head = &this[stem_start..this.len() - 1];
        let word_only: String = word.chars().take_while(|c| c.is_alphanumeric()).collect();
        let one_word = known.contains(format!("{head}{word_only}").as_str());
        let joined_origin = (lines[i].origin.0, lines[i + 1].origin.1);
        let line = &mut lines[i];
        if one_word {
            line.text.pop();
        }
        line.text.push_str(&word);
        line.origin = joined_origin;
        if rest.is_empty() {
            lines.remove(i + 1);
        } else {
            lines[i + 1].text = rest;
        }
    }
}

/// Whether `bytes` are a PDF file: they open with `%PDF`.
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF")
}

/// Why a PDF gave no text.
#[derive(Debug, thiserror::Error)]
pub enum ToTextError {
    /// There is no `pdftotext` to run.
    #[error("pdftotext is not installed; install it with `apt-get install poppler-utils`")]
    NotInstalled,
    /// `pdftotext` ran and failed.
    #[error("pdftotext could not read it as a PDF ({0})")]
    Unreadable(ExitStatus),
    /// It could not be started, or the temporary directory it runs in could not be made,
    /// written or read.
    #[error("pdftotext could not be run: {0}")]
    Workspace(#[from] std::io::Error),
}

/// The text `pdftotext -layout -enc UTF-8` prints of `pdf` (what [`clean_text`] reads), run
/// on a copy in a private temporary directory.
pub fn to_text(pdf: &[u8]) -> Result<Vec<u8>, ToTextError> {
    let dir = tempfile::tempdir()?;
    let (input, output) = (dir.path().join("file.pdf"), dir.path().join("file.txt"));
    std::fs::write(&input, pdf)?;
    let status = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&input)
        .arg(&output)
        .status();
    match status {
        Ok(s) if s.success() => Ok(std::fs::read(&output)?),
        Ok(s) => Err(ToTextError::Unreadable(s)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(ToTextError::NotInstalled),
        Err(e) => Err(ToTextError::Workspace(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::texts;
    use expect_test::{Expect, expect};

    /// Cleans `text` and lists the body (`text@first-last`) and the dropped lines.
    #[track_caller]
    fn check(text: &str, symbol: &str, body: Expect, dropped: Expect) {
        let cleaned = clean_text(text, symbol);
        body.assert_eq(&texts(&cleaned.lines).join("\n"));
        let dropped_lines: Vec<String> = cleaned
            .dropped
            .iter()
            .map(|d| format!("{} {}: {}", d.line, d.why, d.text.trim()))
            .collect();
        dropped.assert_eq(&dropped_lines.join("\n"));
    }

    #[test]
    fn an_outcome_document_from_its_pdf_text() {
        check(
            include_str!("../../../tests/fixtures/harbour-outcome.txt"),
            "SA/RES/98/12",
            expect![[r#"
                A. Lamps and lights@23-23
                @24-24
                1. We, the keepers of the sample harbour, gathered on the pier on 1 and 2 March@24-24
                2098, agree that the lamps shall be lit from dusk to dawn.@25-25
                @26-26
                2. We note that the ferries of the coast, which carry the lamp oil, run on Tuesdays@26-26
                and that the information society of the coast depends on them.@27-27
                @28-28
                3. We recognize that the old lamps are dim and that the new lamps, bought with the@28-28
                fund of the harbour council, shine further over the water, and we ask the keepers@29-30
                to clean the glass every week, to mend the wicks before the winter comes and@30-30
                to take down at once every lamp that fails, so that no ship is lost near the rocks.@48-48
                @36-36
                ¹ See the sample ferry timetable for 2097, page 4.@36-36
                @49-49
                4. We ask the council to keep a spare lamp in every shed and a box of spare wicks@49-49
                in the office of the harbour master.@50-50
                @52-52
                B. Ferries and piers@52-52
                @53-53
                5. We agree that the piers shall stay open in the winter, except when ice covers@53-53
                the steps, and that they shall serve:@54-54
                (a) The north pier, for the fishing boats;@55-55
                (b) The south pier, for the ferries and the mail.@56-56
                @62-62
                ² The office of the harbour master stands at the end of the south pier, next to the old customs shed.@62-63
                @73-73
                Looking ahead to the next ten years of the harbour lamps@73-74
                @75-75
                6. We invite the towns of the coast to send their oil to the harbour before the first@75-75
                storm of the year.@76-76
                @77-77
                7. We will meet again on the pier in ten years to see how the lamps have fared.@77-77"#]],
            expect![[r#"
                1 masthead: Sample Nations                                                                                    SA/RES/98/12
                3 masthead: Sample Assembly                                                                       Distr.: General
                4 masthead: 3 March 2098
                7 masthead: Ninety-eighth session
                8 masthead: Agenda item 9
                11 masthead: Resolution adopted by the Sample Assembly on 1 March 2098
                12 masthead: [without reference to a Main Committee (SA/98/L.4)]
                14 masthead: 98/12. Outcome document of the sample meeting on the review of the
                15 masthead: harbour lamps
                17 chapeau: The Sample Assembly,
                18 chapeau: Adopts the following outcome document of the sample meeting on the review of the
                19 chapeau: harbour lamps:
                21 document title: Outcome document of the sample meeting on the review of the harbour lamps
                35 footnote rule: __________________
                41 job number: 98-01234 (E)    040398
                42 bar code: *9801234*
                43 running head: SA/RES/98/12               Outcome document of the sample meeting on the review of the harbour lamps
                61 footnote rule: __________________
                67 page footer: 2/3                                                                                                    98-01234
                68 running head: Outcome document of the sample meeting on the review of the harbour lamps                          SA/RES/98/12
                79 closing block: 98th plenary meeting
                80 closing block: 1 March 2098
                85 page footer: 98-01234                                                                                              3/3"#]],
        );
    }

    #[test]
    fn a_resolution_from_its_pdf_text() {
        check(
            include_str!("../../../tests/fixtures/lamps-resolution.txt"),
            "SA/RES/99/7",
            expect![[r#"
                Recalling its earlier decisions on the harbour lamps, in particular decision 98/12@18-18
                of 1 March 2098,@19-19
                @20-20
                Noting with concern that two lamps on the north pier went dark during the storms@20-20
                of the past winter,@22-22
                @23-23
                Welcoming the offer of the coastal towns to share their lamp oil with the harbour,@23-23
                @24-24
                Bearing in mind that the ferries cannot sail at night without the lamps, and that@24-24
                the keepers of the north pier, who walk round the bay every night to the harbour,@25-42
                have asked for help more than once,@42-42
                @31-31
                ¹ See the report of the harbour master on the winter storms (SA/99/3).@31-31
                @43-43
                Deeply concerned that the storms grow stronger every year,@43-43
                @44-44
                1. Decides that every lamp of the harbour shall burn from dusk to dawn;@44-44
                @45-45
                2. Requests the harbour council:@45-45
                (a) To buy two new lamps for the north pier;@46-46
                (b) To train four new keepers before the winter;@47-47
                (c) To report to the Assembly at its next session;@48-48
                @49-49
                3. Invites the coastal towns to send their oil before the first storm.@49-49"#]],
            expect![[r#"
                1 masthead: Sample Nations                                                                                     SA/RES/99/7
                3 masthead: Sample Assembly                                                                        Distr.: General
                4 masthead: 12 March 2099
                7 masthead: Ninety-ninth session
                8 masthead: Agenda item 9
                11 masthead: Resolution adopted by the Sample Assembly on 9 March 2099
                12 masthead: [without reference to a Main Committee (SA/98/L.4)]
                14 masthead: 99/7. Keeping the lamps of the sample harbour lit through the winter
                15 masthead: and the storms
                17 chapeau: The Sample Assembly,
                21 footnote marker: 1
                30 footnote rule: __________________
                36 job number: 99-05678 (E)   100399
                37 bar code: *9905678*
                38 running head: SA/RES/99/7          Keeping the lamps of the sample harbour lit through the winter and the
                39 running head: storms
                51 closing block: 71st plenary meeting
                52 closing block: 9 March 2099
                57 page footer: 2/2                                                                                                         99-05678"#]],
        );
    }

    #[test]
    fn lines_repeated_at_page_edges_go_and_repeated_footnotes_stay() {
        let page = |n: usize, body: &str, note: &str| {
            format!(
                "Harbour Gazette, issue {n}\n\n{body}\n__________\n  {n} {note}\n\n    Printed on the pier - sheet {n}\n\u{c}"
            )
        };
        let text = [
            page(
                1,
                "       Recalling the lamps,1\n       Noting the piers,",
                "Ibid.",
            ),
            page(2, "       Welcoming the ferries,2", "Ibid."),
        ]
        .concat();
        check(
            &text,
            "",
            expect![[r#"
                Recalling the lamps,@3-3
                @4-4
                Noting the piers,@4-4
                @6-6
                ¹ Ibid.@6-6
                @11-11
                Welcoming the ferries,@11-11
                @13-13
                ² Ibid.@13-13"#]],
            expect![[r#"
                1 repeated on pages: Harbour Gazette, issue 1
                5 footnote rule: __________
                8 repeated on pages: Printed on the pier - sheet 1
                9 repeated on pages: Harbour Gazette, issue 2
                12 footnote rule: __________
                15 repeated on pages: Printed on the pier - sheet 2"#]],
        );
    }

    #[test]
    fn an_adopted_documents_title_ends_where_its_first_paragraph_begins() {
        let text = "Sample Nations                    SA/RES/1/1\nResolution adopted by the Sample Assembly on 1 May 2001\n\n1/1. Lamps\n\n         The Sample Assembly,\n         Adopts the following text:\n                    The lamps of the sample\n                         harbour\n         1. We light the lamps\nat dusk.\n";
        check(
            text,
            "SA/RES/1/1",
            expect![[r#"
                1. We light the lamps@10-10
                at dusk.@11-11"#]],
            expect![[r#"
                1 masthead: Sample Nations                    SA/RES/1/1
                2 masthead: Resolution adopted by the Sample Assembly on 1 May 2001
                4 masthead: 1/1. Lamps
                6 chapeau: The Sample Assembly,
                7 chapeau: Adopts the following text:
                8 document title: The lamps of the sample
                9 document title: harbour"#]],
        );
    }

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
    fn a_paragraph_goes_on_across_page_furniture_and_hyphenated_words_join() {
        let text = "A/RES/99/1\n\n1.\nThe harbour council agrees to de-\nvelop the lamps and to keep\n\n\u{c}3\n15-12345 (E)\n*1512345*\nthe piers open, to develop a multi-\nstakeholder council.\n";
        assert_eq!(
            texts(&clean_text(text, "A/RES/99/1").lines),
            [
                "1.@3-3",
                "The harbour council agrees to develop@4-5",
                "the lamps and to keep@5-5",
                "the piers open, to develop a multi-stakeholder@10-11",
                "council.@11-11"
            ]
        );
    }
}
