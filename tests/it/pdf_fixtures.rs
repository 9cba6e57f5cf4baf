//! The PDF fixtures of General Assembly resolutions: two made-up documents (the text is
//! invented) laid out as the UN prints its resolutions — masthead and chapeau on page 1, the job
//! number and bar code at its foot, running heads with the symbol on alternate sides, `N/M`
//! footers with the job number, footnotes under a rule with raised markers, paragraphs set close
//! together with the first line indented, italic participles opening the preamble, a paragraph
//! running over a page break, the plenary-meeting closing. A small PDF writer makes them.
//!
//! The PDFs and the text `pdftotext -layout -enc UTF-8` prints for each are committed under
//! `tests/fixtures/`; the golden import tests read the text, so they need no outside tool.
//! `WSIS_WRITE_FIXTURES=1 cargo test --test it pdf_fixtures::` rewrites the PDFs after a change
//! here (then run pdftotext on them and commit both).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

use crate::util::repo;

/// The fixtures: file stem and the PDF.
fn fixtures() -> [(&'static str, Vec<u8>); 2] {
    [
        ("harbour-outcome", harbour_outcome()),
        ("lamps-resolution", lamps_resolution()),
    ]
}

fn fixture_path(stem: &str, ext: &str) -> PathBuf {
    repo().join("tests/fixtures").join(format!("{stem}.{ext}"))
}

#[test]
fn committed_pdfs_are_what_the_writer_makes() {
    for (stem, pdf) in fixtures() {
        let path = fixture_path(stem, "pdf");
        if std::env::var_os("WSIS_WRITE_FIXTURES").is_some() {
            std::fs::write(&path, &pdf).unwrap();
        }
        let committed = std::fs::read(&path).unwrap();
        assert!(
            committed == pdf,
            "{} differs from what tests/it/pdf_fixtures.rs writes: rewrite it with WSIS_WRITE_FIXTURES=1, run pdftotext on it and commit both",
            path.display()
        );
    }
}

#[test]
#[ignore = "needs pdftotext (poppler-utils): run with `cargo test --test it -- --ignored`"]
fn pdftotext_still_prints_the_committed_text() {
    for (stem, _) in fixtures() {
        let pdf = fixture_path(stem, "pdf");
        let out = Command::new("pdftotext")
            .args(["-layout", "-enc", "UTF-8"])
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap_or_else(|e| {
                panic!("pdftotext does not run ({e}): install it: apt-get install poppler-utils")
            });
        assert!(
            out.status.success(),
            "pdftotext failed on {}",
            pdf.display()
        );
        let committed = std::fs::read_to_string(fixture_path(stem, "txt")).unwrap();
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            committed,
            "pdftotext -layout prints {} differently from the committed text",
            pdf.display()
        );
    }
}

/// The standard fonts the fixtures use, by resource name.
const FONTS: [(&str, &str); 4] = [
    ("F1", "Times-Roman"),
    ("F2", "Times-Italic"),
    ("F3", "Times-Bold"),
    ("F4", "Helvetica-Bold"),
];

/// Body text: Times 10 pt on 12 pt lines.
const BODY: (&str, f32) = ("F1", 10.0);
const LEADING: f32 = 12.0;
/// The left margin, and the first-line indent of a paragraph.
const LEFT: f32 = 72.0;
const INDENT: f32 = 108.0;
/// A paragraph's text after its number.
const AFTER_NUMBER: f32 = 126.0;

/// A page being written: its content stream and the baseline of the next line.
struct Page {
    content: String,
    y: f32,
}

impl Page {
    fn new() -> Page {
        Page {
            content: String::new(),
            y: 790.0,
        }
    }

    /// Writes `markup` at `x` on the current baseline in `font`: `~` switches italics on and
    /// off, `^12` is a footnote marker set small and raised.
    fn put(&mut self, x: f32, (font, size): (&str, f32), markup: &str) {
        let _ = write!(self.content, "BT 1 0 0 1 {x} {} Tm ", self.y);
        let mut italic = false;
        let mut chars = markup.chars().peekable();
        let mut run = String::new();
        let flush = |content: &mut String, run: &mut String, font: &str, size: f32, rise: f32| {
            if !run.is_empty() {
                let _ = write!(content, "/{font} {size} Tf {rise} Ts ({}) Tj ", escape(run));
                run.clear();
            }
        };
        let current = |italic: bool| if italic { "F2" } else { font };
        while let Some(c) = chars.next() {
            match c {
                '~' => {
                    flush(&mut self.content, &mut run, current(italic), size, 0.0);
                    italic = !italic;
                }
                '^' => {
                    flush(&mut self.content, &mut run, current(italic), size, 0.0);
                    // `^^` raises the marker higher, as some documents set it.
                    let rise = if chars.next_if_eq(&'^').is_some() {
                        size * 0.6
                    } else {
                        size * 0.4
                    };
                    let mut digits = String::new();
                    while let Some(d) = chars.next_if(char::is_ascii_digit) {
                        digits.push(d);
                    }
                    flush(&mut self.content, &mut digits, "F1", size * 0.6, rise);
                }
                _ => run.push(c),
            }
        }
        flush(&mut self.content, &mut run, current(italic), size, 0.0);
        self.content.push_str("ET\n");
    }

    /// A body line at `x`, then the next baseline.
    fn line(&mut self, x: f32, markup: &str) {
        self.put(x, BODY, markup);
        self.y -= LEADING;
    }

    /// A numbered paragraph's first line: the number at the indent, the text after it.
    fn numbered(&mut self, number: &str, markup: &str) {
        self.put(INDENT, BODY, number);
        self.line(AFTER_NUMBER, markup);
    }

    /// A numbered paragraph: its first line after the number, the others at the margin.
    fn paragraph(&mut self, number: &str, lines: &[&str]) {
        self.numbered(number, lines[0]);
        self.lines(&lines[1..]);
    }

    /// Body lines at the left margin.
    fn lines(&mut self, lines: &[&str]) {
        for l in lines {
            self.line(LEFT, l);
        }
    }

    fn down(&mut self, points: f32) {
        self.y -= points;
    }

    fn at(&mut self, y: f32) {
        self.y = y;
    }

    /// The footnote block: a rule, then each footnote as `N text` in 8 pt.
    fn footnotes(&mut self, notes: &[(&str, &str)]) {
        self.at(120.0);
        self.put(LEFT, BODY, "__________________");
        self.y -= 14.0;
        for (number, text) in notes {
            self.put(LEFT + 8.0, ("F1", 8.0), number);
            self.put(LEFT + 18.0, ("F1", 8.0), text);
            self.y -= 10.0;
        }
    }

    /// The foot of a page: `left` and `right` on one line.
    fn footer(&mut self, left: &str, right: &str) {
        self.at(60.0);
        self.put(LEFT, ("F1", 8.0), left);
        self.put(480.0, ("F1", 8.0), right);
    }

    /// The running head: symbol and title spread over the line, the symbol on `symbol_left`.
    fn running_head(&mut self, symbol: &str, title: &[&str], symbol_left: bool) {
        self.at(800.0);
        let (symbol_x, title_x) = if symbol_left {
            (LEFT, 160.0)
        } else {
            (470.0, LEFT)
        };
        self.put(symbol_x, ("F3", 8.0), symbol);
        for line in title {
            self.put(title_x, ("F1", 8.0), line);
            self.y -= 10.0;
        }
        self.at(760.0);
    }

    /// Page 1's masthead, down to the resolution's number and title.
    fn masthead(&mut self, symbol: &str, date: &str, session: &str, adopted: &str, title: &[&str]) {
        self.put(LEFT, ("F4", 12.0), "Sample Nations");
        self.put(470.0, ("F3", 10.0), symbol);
        self.down(22.0);
        self.put(LEFT, ("F4", 16.0), "Sample Assembly");
        self.put(420.0, BODY, "Distr.: General");
        self.down(12.0);
        self.put(420.0, BODY, date);
        self.down(30.0);
        self.put(LEFT, ("F3", 10.0), session);
        self.down(12.0);
        self.put(LEFT, BODY, "Agenda item 9");
        self.down(30.0);
        self.put(LEFT, ("F3", 12.0), adopted);
        self.down(18.0);
        self.put(
            LEFT,
            BODY,
            "[without reference to a Main Committee (SA/98/L.4)]",
        );
        self.down(28.0);
        let (number, first) = title[0].split_once(' ').unwrap();
        self.put(LEFT, ("F3", 12.0), number);
        self.put(INDENT, ("F3", 12.0), first);
        for line in &title[1..] {
            self.down(14.0);
            self.put(INDENT, ("F3", 12.0), line);
        }
        self.down(30.0);
    }

    /// Page 1's foot: the job number line, and the bar code under it.
    fn first_foot(&mut self, job: &str, bar_code: &str) {
        self.footer(job, "");
        self.down(12.0);
        self.put(LEFT, ("F1", 8.0), bar_code);
    }

    /// A lettered section heading: the letter at the margin, the title at the indent.
    fn section(&mut self, letter: &str, title: &str) {
        self.put(LEFT, ("F3", 10.0), letter);
        self.line(INDENT, title);
        self.down(6.0);
    }

    /// The closing: the plenary meeting and its date, set right.
    fn closing(&mut self, meeting: &str, date: &str) {
        self.down(12.0);
        self.put(420.0, ("F2", 10.0), meeting);
        self.down(12.0);
        self.put(436.0, ("F2", 10.0), date);
    }
}

/// `text` as a PDF string in WinAnsi: parentheses and backslashes escaped, typographic
/// quotes and dashes as their WinAnsi bytes.
fn escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '’' => out.push_str("\\222"),
            '“' => out.push_str("\\223"),
            '”' => out.push_str("\\224"),
            '–' => out.push_str("\\226"),
            c if c.is_ascii() => out.push(c),
            c => panic!("{c:?} has no WinAnsi byte here"),
        }
    }
    out
}

/// A PDF of `pages` (A4, the standard fonts), its bytes the same on every run.
fn pdf(pages: &[Page]) -> Vec<u8> {
    let mut objects: Vec<String> = Vec::new();
    let font_base = 3;
    let page_base = font_base + FONTS.len();
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", page_base + 2 * i))
        .collect();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    objects.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {} >>",
        kids.join(" "),
        pages.len()
    ));
    for (_, base) in FONTS {
        objects.push(format!(
            "<< /Type /Font /Subtype /Type1 /BaseFont /{base} /Encoding /WinAnsiEncoding >>"
        ));
    }
    let fonts: Vec<String> = FONTS
        .iter()
        .enumerate()
        .map(|(i, (name, _))| format!("/{name} {} 0 R", font_base + i))
        .collect();
    for (i, page) in pages.iter().enumerate() {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << {} >> >> /Contents {} 0 R >>",
            fonts.join(" "),
            page_base + 2 * i + 1
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{}endstream",
            page.content.len(),
            page.content
        ));
    }
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        let _ = write!(out, "{} 0 obj\n{object}\nendobj\n", i + 1);
    }
    let xref = out.len();
    let _ = write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(out, "{offset:010} 00000 n ");
    }
    let _ = write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.into_bytes()
}

const OUTCOME_SYMBOL: &str = "SA/RES/98/12";
const OUTCOME_TITLE: &str =
    "Outcome document of the sample meeting on the review of the harbour lamps";

/// An outcome document adopted by a resolution, three pages: chapeau and "Adopts the
/// following outcome document", lettered sections and an unnumbered heading over two lines, a footnote marker
/// glued to a comma and one at a line's end, paragraph 3 across the page break, items, the
/// closing.
fn harbour_outcome() -> Vec<u8> {
    let mut one = Page::new();
    one.masthead(
        OUTCOME_SYMBOL,
        "3 March 2098",
        "Ninety-eighth session",
        "Resolution adopted by the Sample Assembly on 1 March 2098",
        &[
            "98/12. Outcome document of the sample meeting on the review of the",
            "harbour lamps",
        ],
    );
    one.line(INDENT, "~The Sample Assembly,~");
    one.down(6.0);
    one.line(
        INDENT,
        "~Adopts~ the following outcome document of the sample meeting on the review of the",
    );
    one.line(LEFT, "harbour lamps:");
    one.down(14.0);
    one.put(118.0, ("F3", 10.0), OUTCOME_TITLE);
    one.down(28.0);
    one.section("A.", "Lamps and lights");
    one.paragraph(
        "1.",
        &[
            "We, the keepers of the sample harbour, gathered on the pier on 1 and 2 March",
            "2098, agree that the lamps shall be lit from dusk to dawn.",
        ],
    );
    one.paragraph(
        "2.",
        &[
            "We note that the ferries of the coast,^1 which carry the lamp oil, run on Tuesdays",
            "and that the information society of the coast depends on them.",
        ],
    );
    one.paragraph(
        "3.",
        &[
            "We recognize that the old lamps are dim and that the new lamps, bought with the",
            "fund of the harbour council, shine further over the water, and we ask the keep-",
            "ers to clean the glass every week, to mend the wicks before the winter comes and",
        ],
    );
    one.footnotes(&[("1", "See the sample ferry timetable for 2097, page 4.")]);
    one.first_foot("98-01234 (E)    040398", "*9801234*");

    let mut two = Page::new();
    two.running_head(OUTCOME_SYMBOL, &[OUTCOME_TITLE], true);
    two.lines(&[
        "to take down at once every lamp that fails, so that no ship is lost near the rocks.",
    ]);
    two.paragraph(
        "4.",
        &[
            "We ask the council to keep a spare lamp in every shed and a box of spare wicks",
            "in the office of the harbour master.^2",
        ],
    );
    two.down(12.0);
    two.section("B.", "Ferries and piers");
    two.paragraph(
        "5.",
        &[
            "We agree that the piers shall stay open in the winter, except when ice covers",
            "the steps, and that they shall serve:",
        ],
    );
    two.numbered("(a)", "The north pier, for the fishing boats;");
    two.numbered("(b)", "The south pier, for the ferries and the mail.");
    two.footnotes(&[(
        "2",
        "The office of the harbour master stands at the end of the south pier, next to the",
    )]);
    two.put(LEFT + 18.0, ("F1", 8.0), "old customs shed.");
    two.footer("2/3", "98-01234");

    let mut three = Page::new();
    three.running_head(OUTCOME_SYMBOL, &[OUTCOME_TITLE], false);
    three.put(220.0, ("F3", 10.0), "Looking ahead to the next ten years");
    three.down(12.0);
    three.put(240.0, ("F3", 10.0), "of the harbour lamps");
    three.down(18.0);
    three.paragraph(
        "6.",
        &[
            "We invite the towns of the coast to send their oil to the harbour before the first",
            "storm of the year.",
        ],
    );
    three.numbered(
        "7.",
        "We will meet again on the pier in ten years to see how the lamps have fared.",
    );
    three.closing("98th plenary meeting", "1 March 2098");
    three.footer("98-01234", "3/3");
    pdf(&[one, two, three])
}

const LAMPS_SYMBOL: &str = "SA/RES/99/7";

/// A short resolution, two pages: a preamble of participles without blank lines (one
/// paragraph running over the page break), a footnote marker raised at a line's end, a
/// running head whose title takes two lines, operative paragraphs with items, the closing.
fn lamps_resolution() -> Vec<u8> {
    let mut one = Page::new();
    one.masthead(
        LAMPS_SYMBOL,
        "12 March 2099",
        "Ninety-ninth session",
        "Resolution adopted by the Sample Assembly on 9 March 2099",
        &[
            "99/7. Keeping the lamps of the sample harbour lit through the winter",
            "and the storms",
        ],
    );
    one.line(INDENT, "~The Sample Assembly,~");
    one.down(6.0);
    one.line(
        INDENT,
        "~Recalling~ its earlier decisions on the harbour lamps, in particular decision 98/12",
    );
    one.lines(&["of 1 March 2098,"]);
    one.line(
        INDENT,
        "~Noting with concern~ that two lamps on the north pier went dark during the storms",
    );
    one.lines(&["of the past winter,^^1"]);
    one.line(
        INDENT,
        "~Welcoming~ the offer of the coastal towns to share their lamp oil with the harbour,",
    );
    one.line(
        INDENT,
        "~Bearing in mind~ that the ferries cannot sail at night without the lamps, and that",
    );
    one.lines(&["the keepers of the north pier, who walk round the bay every night to the har-"]);
    one.footnotes(&[(
        "1",
        "See the report of the harbour master on the winter storms (SA/99/3).",
    )]);
    one.first_foot("99-05678 (E)    100399", "*9905678*");

    let mut two = Page::new();
    two.running_head(
        LAMPS_SYMBOL,
        &[
            "Keeping the lamps of the sample harbour lit through the winter and the",
            "storms",
        ],
        true,
    );
    two.lines(&["bour, have asked for help more than once,"]);
    two.line(
        INDENT,
        "~Deeply concerned~ that the storms grow stronger every year,",
    );
    two.numbered(
        "1.",
        "~Decides~ that every lamp of the harbour shall burn from dusk to dawn;",
    );
    two.numbered("2.", "~Requests~ the harbour council:");
    two.numbered("(a)", "To buy two new lamps for the north pier;");
    two.numbered("(b)", "To train four new keepers before the winter;");
    two.numbered("(c)", "To report to the Assembly at its next session;");
    two.numbered(
        "3.",
        "~Invites~ the coastal towns to send their oil before the first storm.",
    );
    two.closing("71st plenary meeting", "9 March 2099");
    two.footer("2/2", "99-05678");
    pdf(&[one, two])
}
