//! The one grammar of paragraph references and the one citation formatter.
//!
//! A reference's paragraph part ("para 72(e)", "paras 69–71", "4, 5 and 55", "72(a)-(c)",
//! "C7") is parsed here into [`ParaSpec`]s, both where a researcher types it (`cite`, the
//! search box) and where a background document writes it (the quote extractor in `ingest`).
//! Running text is read with a stricter form of the same grammar ([`text_list_pattern`]:
//! items only in brackets), so a reference found in text is always one `cite` accepts, and
//! both read it as the same paragraphs. Which document a reference names is the corpus's
//! business (`corpus::DocNames`), not this module's.
//!
//! Citations are written by [`citation`] ("Tunis Agenda, para. 72(e)") and
//! [`full_citation`] ("Tunis Agenda for the Information Society, WSIS-05/TUNIS/DOC/6(Rev.1)-E,
//! para. 72(e)"): for records, citation answers and, through the API, the page.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::model::ParaLabel;

/// The most paragraphs one range may name (`69-71` names 3). Every WSIS outcome document has
/// fewer (the longest, the Tunis Agenda, has 122), so a longer range is a slip (`69-710`):
/// `cite` refuses it and the quote extractor does not expand it.
pub const MAX_RANGE: u32 = 200;

/// The most items one item range may name (`72(a)-(l)` names 12).
pub const MAX_ITEM_RANGE: usize = 52;

/// The grammar of the paragraph part of a reference, as named fragments.
pub(crate) mod grammar {
    /// The word for paragraph: `para`, `para.`, `paras`, `paragraph(s)`, `¶`, `¶¶`, `§`,
    /// `op`, `operative paragraph`; not `parallel`.
    pub const PARA_WORD: &str = r"(?:operative\s+paragraphs?|paragraphs?|paras?\.?|¶¶?|§§?|op\.?)";
    /// A paragraph number: `72`; not `0072`.
    pub const NUM: &str = r"[1-9]\d{0,2}";
    /// Items after a number: `(e)`, ` e`, `.e`, `e`, `(b)(iv)`, ` b iv`; not ` to`, ` and`.
    pub const ITEMS: &str = r"(?:\s*\(\s*(?:[a-z]|[ivx]{1,4})\s*\)|[\s.]?(?:[a-z]|[ivx]{2,4})\b)*";
    /// A range separator: `-`, `–`, `—`, `to`; `69-71`, `69 to 71`.
    pub const RANGE: &str = r"\s*(?:-|–|—|to)\s*";
    /// A list separator: `,`, `and`, `&`, `, and`.
    pub const LIST: &str = r"\s*(?:,\s*and|,|and|&)\s*";
    /// A counted or preambular label: `pp3`, `fn2`, `p12`.
    pub const OTHER_LABEL: &str = r"(?:pp|fn|p)[1-9]\d{0,3}";
    /// An action line: `C7`, `C.7`, `C 7`, `action line C10`; not `C77`.
    pub const ACTION_LINE: &str = r"(?:action\s+line\s+)?c\s?\.?\s?(?:1[01]|[1-9])\b";
    /// Items in brackets with no number before them, continuing the paragraph of the label
    /// before: the `(c)` of `72(a)-(c)` and `72(a), (c) and (e)`, the `(iv)` of
    /// `13(b)(i)-(iv)`; not `c`.
    pub const BARE_ITEMS: &str = r"(?:\(\s*(?:[a-z]|[ivx]{1,4})\s*\)\s*)+";

    /// A number with items in brackets, as running text writes it: `72`, `72(e)`,
    /// `13(b)(iv)`; not "paragraph 5 a" (no item without brackets), not the `202` of `2025`.
    /// A part of `NUM ITEMS`.
    pub const TEXT_NUM: &str = r"[1-9]\d{0,2}\b(?:\((?:[a-z]|[ivx]{1,4})\))*";
    /// Bracketed items with no number, in running text (the `(c)` of `72(a)-(c)`): a part of
    /// `BARE_ITEMS`.
    pub const TEXT_BARE: &str = r"(?:\((?:[a-z]|[ivx]{1,4})\))+";
}

/// One part of a reference's paragraph list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ParaSpec {
    /// One paragraph or item.
    Label {
        /// The label.
        label: ParaLabel,
    },
    /// Numbered paragraphs `from` to `to`, inclusive.
    Range {
        /// First.
        from: u32,
        /// Last.
        to: u32,
    },
    /// Items `from` to `to` of one paragraph, inclusive: `72(a)`–`72(c)`, `13(b)(i)`–`13(b)(iv)`.
    /// Both have the same paragraph and the same items but the last.
    ItemRange {
        /// First.
        from: ParaLabel,
        /// Last.
        to: ParaLabel,
    },
    /// The paragraphs under a heading, such as action line `C7`.
    Heading {
        /// The heading's key, upper case, without dots: `C7`.
        key: String,
    },
}

impl ParaSpec {
    /// The paragraphs and items it names, in order; none for a heading, which only the
    /// document's headings resolve.
    pub fn labels(&self) -> Vec<ParaLabel> {
        match self {
            ParaSpec::Label { label } => vec![label.clone()],
            ParaSpec::Range { from, to } => (*from..=*to).map(ParaLabel::numbered).collect(),
            ParaSpec::ItemRange { from, to } => {
                item_range_labels(from, to).unwrap_or_else(|| vec![from.clone(), to.clone()])
            }
            ParaSpec::Heading { .. } => Vec::new(),
        }
    }
}

/// A whole paragraph part: the word for paragraph, then a list.
static PARA_PART: LazyLock<Regex> = LazyLock::new(|| {
    use grammar::*;
    let one = format!(r"(?:{OTHER_LABEL}|{ACTION_LINE}|{NUM}{ITEMS}|{BARE_ITEMS})");
    let item = format!(r"{one}(?:{RANGE}(?:{NUM}{ITEMS}|{BARE_ITEMS}))?");
    Regex::new(&format!(
        r"^(?:{PARA_WORD}\s*)?(?P<list>{item}(?:{LIST}{item})*)$"
    ))
    .unwrap()
});
/// One part of a list: a label, an action line, or a range.
static ONE_SPEC: LazyLock<Regex> = LazyLock::new(|| {
    use grammar::*;
    Regex::new(&format!(
        r"(?P<other>{OTHER_LABEL})|(?P<al>{ACTION_LINE})|(?:(?P<num>{NUM})(?P<items>{ITEMS})|(?P<bare>{BARE_ITEMS}))(?:{RANGE}(?:(?P<to>{NUM})(?P<to_items>{ITEMS})|(?P<to_bare>{BARE_ITEMS})))?"
    ))
    .unwrap()
});
/// The letters of one item.
static ITEM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[a-z]+").unwrap());
/// A paragraph part with no document before it: `para 72`, `¶ 72(e)`, `paragraphs 69-71`.
static BARE_PARAGRAPH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)^\s*{}\s*[1-9]", grammar::PARA_WORD)).unwrap());

/// Whether `text` opens with the word for paragraph and a number (`para 72`), so that, with
/// one document chosen, it is read as a reference to that document.
pub fn is_bare_paragraph(text: &str) -> bool {
    BARE_PARAGRAPH.is_match(text)
}

/// A paragraph list as running text writes it: `69`, `72(e)`, `69–71`, `4, 5 and 55`,
/// `72(a)-(c)`. Every string it matches, lower-cased, is one [`parse_list`] reads.
pub fn text_list_pattern() -> String {
    use grammar::*;
    let part = format!("(?:{TEXT_NUM}|{TEXT_BARE})");
    let item = format!("{part}(?:{RANGE}{part})?");
    format!("{TEXT_NUM}(?:{RANGE}{part})?(?:{LIST}{item})*")
}

/// What forms a reference may take, for error messages.
pub const FORMS: &str = "TA 72(e), Tunis Agenda para 72 e, A/RES/70/125 para. 69, WSIS+10 outcome 69, TA paras 69-71, paragraphs 4, 5 and 55 of the Geneva Declaration, Plan of Action C7";

/// The paragraph part of a reference, lower case, with or without the word for paragraph
/// (`para 72 e`, `paras 69-71`, `c7`), or as [`citation`] writes it (`para. 72(e)`,
/// `preambular para. 3`, `footnote 2`, a full stop after it): None when it is not one.
pub fn parse_paras(paras: &str) -> Option<Vec<ParaSpec>> {
    let paras = as_labels(paras);
    let caps = PARA_PART.captures(&paras)?;
    parse_list(caps.name("list")?.as_str())
}

/// Why the paragraph part `paras`, which [`parse_paras`] does not read, is no reference, where a
/// number or a range in it says: a number that is no paragraph's, a range that runs backwards,
/// names one paragraph or more than [`MAX_RANGE`]. None for any other fault.
pub fn why_not_paragraphs(paras: &str) -> Option<String> {
    static NUMBERS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"\b(?P<from>\d+){}(?P<to>\d+)\b|\b(?P<one>\d+)\b",
            grammar::RANGE
        ))
        .unwrap()
    });
    static NUMBER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(&format!("^{}$", grammar::NUM)).unwrap());
    let no_number = |n: &str| {
        (!NUMBER.is_match(n)).then(|| format!("{n} is no paragraph number: they run from 1 to 999"))
    };
    for c in NUMBERS.captures_iter(paras) {
        if let Some(one) = c.name("one") {
            if let Some(why) = no_number(one.as_str()) {
                return Some(why);
            }
            continue;
        }
        let (from, to) = (&c["from"], &c["to"]);
        if let Some(why) = no_number(from).or_else(|| no_number(to)) {
            return Some(why);
        }
        let (a, b): (u32, u32) = (from.parse().ok()?, to.parse().ok()?);
        let why = if b < a {
            format!("the range {a}–{b} ends before it starts")
        } else if b == a {
            format!("the range {a}–{b} names one paragraph: write {a}")
        } else if b - a >= MAX_RANGE {
            format!(
                "the range {a}–{b} names {} paragraphs; a range names at most {MAX_RANGE}",
                b - a + 1
            )
        } else {
            continue;
        };
        return Some(why);
    }
    None
}

/// The labels a citation writes in words, as labels (`preambular para. 3` is `pp3`,
/// `footnote 2` is `fn2`), without the full stop that ends a citation copied from a sentence
/// and without the mark of a variant's citation ([`REWORDING`]: the paragraph it rewords).
fn as_labels(paras: &str) -> std::borrow::Cow<'_, str> {
    static IN_WORDS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"\b(?:(?P<pp>preambular\s+(?:paragraphs?|paras?\.?)\s*)|(?P<fn>footnotes?\s*))(?P<n>[1-9]\d{0,3})\b",
        )
        .unwrap()
    });
    let paras = paras.trim_end();
    let paras = paras.strip_suffix('.').unwrap_or(paras).trim_end();
    let paras = unmarked(paras);
    IN_WORDS.replace_all(paras, |c: &regex::Captures| {
        let prefix = if c.name("pp").is_some() { "pp" } else { "fn" };
        format!("{prefix}{}", &c["n"])
    })
}

/// A lower-case paragraph list (`69-71`, `4, 5 and 55`, `72(a), (c) and (e)`) as specs, in
/// order: None when a part names no paragraph (`72, (c)`, `71-69`) or nothing is found.
pub fn parse_list(list: &str) -> Option<Vec<ParaSpec>> {
    let mut specs: Vec<ParaSpec> = Vec::new();
    for c in ONE_SPEC.captures_iter(list) {
        let one = spec(&c, specs.last())?;
        specs.push(one);
    }
    (!specs.is_empty()).then_some(specs)
}

/// The citation of paragraph `label` of the document cited as `name` (its short name, else
/// its title): "Tunis Agenda, para. 72(e)".
pub fn citation(name: &str, label: &ParaLabel) -> String {
    format!("{name}, {}", label.citation_form())
}

/// What the citation of a digital-society variant adds to its paragraph's: its text is this
/// program's rewording, which the document does not hold.
pub const REWORDING: &str = " (digital-society rewording)";

/// The citation of a paragraph's digital-society variant: "Tunis Agenda, para. 72(e)
/// (digital-society rewording)", so that its text is never quoted as the document's.
pub fn variant_citation(citation: &str) -> String {
    format!("{citation}{REWORDING}")
}

/// A citation without the mark of a variant's ([`variant_citation`]): what the index looks
/// words up in, so that the mark's own words find no record.
pub fn unmarked(citation: &str) -> &str {
    citation.strip_suffix(REWORDING).unwrap_or(citation)
}

/// The citation with the document's full title and its symbol (left out when it has none):
/// "Tunis Agenda for the Information Society, WSIS-05/TUNIS/DOC/6(Rev.1)-E, para. 72(e)".
pub fn full_citation(title: &str, symbol: &str, label: &ParaLabel) -> String {
    if symbol.is_empty() {
        citation(title, label)
    } else {
        citation(&format!("{title}, {symbol}"), label)
    }
}

/// One part of a paragraph list; `previous`, the part before it, gives the paragraph that
/// bare items (`(c)`) continue.
fn spec(c: &regex::Captures, previous: Option<&ParaSpec>) -> Option<ParaSpec> {
    if let Some(other) = c.name("other") {
        return other
            .as_str()
            .parse()
            .ok()
            .map(|label| ParaSpec::Label { label });
    }
    if let Some(al) = c.name("al") {
        let digits: String = al.as_str().chars().filter(char::is_ascii_digit).collect();
        return Some(ParaSpec::Heading {
            key: format!("C{digits}"),
        });
    }
    let from = match (c.name("num"), c.name("bare")) {
        (Some(num), _) => with_items(
            ParaLabel::numbered(num.as_str().parse().ok()?),
            c.name("items").map_or("", |m| m.as_str()),
        )?,
        (None, Some(bare)) => {
            let before = match previous? {
                ParaSpec::Label { label } => label,
                ParaSpec::ItemRange { to, .. } => to,
                _ => return None,
            };
            replace_last_items(before, bare.as_str())?
        }
        (None, None) => return None,
    };
    let to = match (c.name("to"), c.name("to_bare")) {
        (Some(to), _) => with_items(
            ParaLabel::numbered(to.as_str().parse().ok()?),
            c.name("to_items").map_or("", |m| m.as_str()),
        )?,
        (None, Some(bare)) => replace_last_items(&from, bare.as_str())?,
        (None, None) => return Some(ParaSpec::Label { label: from }),
    };
    range(from, to)
}

/// `label` with the items written in `items` (`(b)(iv)`, ` e`) below it.
fn with_items(mut label: ParaLabel, items: &str) -> Option<ParaLabel> {
    for item in ITEM.find_iter(items) {
        label = label.with_item(item.as_str())?;
    }
    Some(label)
}

/// `label` with its last items replaced by the bracketed `items`: `72(a)` and `(c)` give
/// `72(c)`; `13(b)(i)` and `(iv)` give `13(b)(iv)`. None when `label` has fewer items.
fn replace_last_items(label: &ParaLabel, items: &str) -> Option<ParaLabel> {
    let ParaLabel::Numbered {
        number,
        items: have,
    } = label
    else {
        return None;
    };
    let new: Vec<&str> = ITEM.find_iter(items).map(|m| m.as_str()).collect();
    let keep = have
        .len()
        .checked_sub(new.len())
        .filter(|_| !new.is_empty())?;
    new.iter().try_fold(
        ParaLabel::Numbered {
            number: *number,
            items: have[..keep].to_vec(),
        },
        |label, item| label.with_item(item),
    )
}

/// The range from `from` to `to`: of paragraphs (`69-71`, at most [`MAX_RANGE`]) or of the items of one
/// paragraph (`72(a)-(c)`); None for anything else (`71-69`, `72(a)-73(b)`).
fn range(from: ParaLabel, to: ParaLabel) -> Option<ParaSpec> {
    match (&from, &to) {
        (
            ParaLabel::Numbered { number, items },
            ParaLabel::Numbered {
                number: last,
                items: last_items,
            },
        ) if items.is_empty() && last_items.is_empty() => {
            (last > number && last - number < MAX_RANGE).then_some(ParaSpec::Range {
                from: *number,
                to: *last,
            })
        }
        _ => item_range_labels(&from, &to).map(|_| ParaSpec::ItemRange { from, to }),
    }
}

/// The labels of the items from `from` to `to`, when both are items of one paragraph that
/// differ in their last item only: letters (`a`…`l`) or roman numerals (`i`…`xii`). At most
/// [`MAX_ITEM_RANGE`].
pub fn item_range_labels(from: &ParaLabel, to: &ParaLabel) -> Option<Vec<ParaLabel>> {
    let (
        ParaLabel::Numbered { number, items },
        ParaLabel::Numbered {
            number: last,
            items: last_items,
        },
    ) = (from, to)
    else {
        return None;
    };
    let (first, rest) = items.split_last()?;
    let (end, last_rest) = last_items.split_last()?;
    if number != last || rest != last_rest {
        return None;
    }
    let parent = ParaLabel::Numbered {
        number: *number,
        items: rest.to_vec(),
    };
    // Sub-items (`13(b)(i)`) are roman numerals; first-level items letters.
    let steps = item_sequence(first, end, !rest.is_empty())?;
    steps
        .iter()
        .map(|item| parent.with_item(item))
        .collect::<Option<Vec<_>>>()
        .filter(|labels| labels.len() >= 2 && labels.len() <= MAX_ITEM_RANGE)
}

/// The items from `first` to `last`: single letters in order, or roman numerals by value
/// (for sub-items, `roman`, or where a bound is a roman numeral of two letters or more).
fn item_sequence(first: &str, last: &str, roman: bool) -> Option<Vec<String>> {
    const ROMAN: [&str; 20] = [
        "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv",
        "xv", "xvi", "xvii", "xviii", "xix", "xx",
    ];
    let roman_at = |s: &str| ROMAN.iter().position(|r| *r == s);
    let letter = |s: &str| (s.len() == 1).then(|| s.as_bytes()[0]);
    match (roman_at(first), roman_at(last)) {
        (Some(a), Some(b)) if b > a && (roman || first.len() > 1 || last.len() > 1) => {
            return Some(ROMAN[a..=b].iter().map(|r| r.to_string()).collect());
        }
        _ => {}
    }
    let (a, b) = (letter(first)?, letter(last)?);
    (b > a).then(|| (a..=b).map(|c| char::from(c).to_string()).collect())
}

/// Reference forms and the paragraphs they name, shared by the tests of `cite` (typed after a
/// document's name) and of the quote extractor (in brackets in running text): a form is
/// either found in text, naming there the paragraphs `cite` reads, or not found at all.
#[cfg(test)]
pub(crate) mod forms {
    /// One form of a paragraph part.
    pub struct Form {
        /// As written after the document's name, or in brackets in text.
        pub written: &'static str,
        /// The labels it names, space-separated; empty when it names none (refused).
        pub labels: &'static str,
        /// Whether the quote extractor finds it in running text.
        pub in_text: bool,
    }

    const fn form(written: &'static str, labels: &'static str, in_text: bool) -> Form {
        Form {
            written,
            labels,
            in_text,
        }
    }

    /// The table.
    pub const TABLE: &[Form] = &[
        form("para 72", "72", true),
        form("para. 72(e)", "72(e)", true),
        form("paragraph 13(b)(iv)", "13(b)(iv)", true),
        form("paras 69-71", "69 70 71", true),
        form("paras 69–71", "69 70 71", true),
        form("paragraphs 69 to 71", "69 70 71", true),
        form("paragraphs 4, 5 and 55", "4 5 55", true),
        form("paras 4 & 5", "4 5", true),
        form("¶ 34", "34", true),
        form("¶¶ 34, 35", "34 35", true),
        form("§ 72", "72", true),
        form("op 5", "5", true),
        form("operative paragraph 5", "5", true),
        form("para 72(a)-(c)", "72(a) 72(b) 72(c)", true),
        form("para 72(a), (c) and (e)", "72(a) 72(c) 72(e)", true),
        form("para 72(a)-(c) and (e)", "72(a) 72(b) 72(c) 72(e)", true),
        form(
            "para 13(b)(i)-(iv)",
            "13(b)(i) 13(b)(ii) 13(b)(iii) 13(b)(iv)",
            true,
        ),
        form("paras 69-71, 75", "69 70 71 75", true),
        form("para 72 e", "72(e)", false),
        form("para 72e", "72(e)", false),
        form("para 72 (e)", "72(e)", false),
        form("pp3", "pp3", false),
        form("paras 71-69", "", true),
        form("paras 1-201", "", true),
        form("para 72(c)-(a)", "", true),
        form("para 0", "", false),
        form("para 2025", "", false),
    ];

    /// The labels of `labels`, split.
    pub fn labels(form: &Form) -> Vec<String> {
        form.labels.split_whitespace().map(String::from).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_grammar_is_part_of_the_typed_grammar() {
        let text = Regex::new(&format!("^(?i:{})$", text_list_pattern())).unwrap();
        for form in forms::TABLE {
            let list = form
                .written
                .trim_start_matches(|c: char| !c.is_ascii_digit())
                .to_lowercase();
            if text.is_match(&list) {
                assert!(
                    PARA_PART.is_match(&list),
                    "{list:?} is read in text but not typed"
                );
            }
            let got: Vec<String> = parse_paras(&form.written.to_lowercase())
                .unwrap_or_default()
                .iter()
                .flat_map(ParaSpec::labels)
                .map(|l| l.to_string())
                .collect();
            assert_eq!(got, forms::labels(form), "{:?}", form.written);
        }
    }

    #[test]
    fn one_range_cap() {
        let names = |list: &str| parse_list(list).map(|s| s[0].labels().len());
        assert_eq!(names("1-200"), Some(200));
        assert_eq!(names("1-201"), None);
    }

    #[test]
    fn citations_name_the_paragraph_after_the_document() {
        let label: ParaLabel = "72(e)".parse().unwrap();
        assert_eq!(
            citation("Tunis Agenda", &label),
            "Tunis Agenda, para. 72(e)"
        );
        assert_eq!(
            full_citation(
                "Tunis Agenda for the Information Society",
                "WSIS-05/TUNIS/DOC/6(Rev.1)-E",
                &label
            ),
            "Tunis Agenda for the Information Society, WSIS-05/TUNIS/DOC/6(Rev.1)-E, para. 72(e)"
        );
        assert_eq!(full_citation("A Page", "", &label), "A Page, para. 72(e)");
    }

    #[test]
    fn item_ranges_count_letters_and_roman_sub_items() {
        let labels = |from: &str, to: &str| -> Vec<String> {
            item_range_labels(&from.parse().unwrap(), &to.parse().unwrap())
                .unwrap_or_default()
                .iter()
                .map(ToString::to_string)
                .collect()
        };
        assert_eq!(labels("72(a)", "72(c)"), ["72(a)", "72(b)", "72(c)"]);
        assert_eq!(
            labels("72(i)", "72(l)"),
            ["72(i)", "72(j)", "72(k)", "72(l)"]
        );
        assert_eq!(
            labels("13(b)(i)", "13(b)(iii)"),
            ["13(b)(i)", "13(b)(ii)", "13(b)(iii)"]
        );
        assert_eq!(
            labels("13(b)(i)", "13(b)(v)").len(),
            5,
            "roman below an item"
        );
        assert!(labels("72(c)", "72(a)").is_empty());
        assert!(labels("72(a)", "73(c)").is_empty());
    }
}
