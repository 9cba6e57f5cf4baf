//! ITU's HTML pages to lines of text.

use super::{CleanLine, Cleaned};

const SKIPPED_ELEMENTS: [&str; 8] = [
    "script", "style", "head", "nav", "header", "footer", "noscript", "form",
];
const BLOCK_ELEMENTS: [&str; 24] = [
    "p",
    "div",
    "br",
    "li",
    "tr",
    "td",
    "th",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "ul",
    "ol",
    "blockquote",
    "section",
    "article",
    "dd",
    "dt",
    "hr",
    "center",
    "body",
];

/// HTML to lines of text: markup, scripts, navigation and footnote markers (`<sup>1</sup>`)
/// removed, entities decoded, white space collapsed, one line per block (paragraph, table
/// cell, list item, heading).
pub fn clean_html(html: &str) -> Cleaned {
    let mut lines: Vec<CleanLine> = Vec::new();
    let mut current = String::new();
    let mut origin: Option<(usize, usize)> = None;
    let mut line_no = 1;
    let mut skip_depth: Vec<String> = Vec::new();
    let mut in_sup = false;
    let mut sup_text = String::new();
    let mut rest = html;
    let flush =
        |current: &mut String, origin: &mut Option<(usize, usize)>, lines: &mut Vec<CleanLine>| {
            let text = current.split_whitespace().collect::<Vec<_>>().join(" ");
            if let Some(o) = origin.take()
                && !text.is_empty()
            {
                lines.push(CleanLine { text, origin: o });
            }
            current.clear();
        };
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").map_or(after.len(), |i| i + 3);
            line_no += after[..end].matches('\n').count();
            rest = &after[end..];
            continue;
        }
        if rest.starts_with('<') {
            // A tag the file ends in before its `>` (a cut-off download) runs to the end.
            let (tag, end) = match rest.find('>') {
                Some(i) => (&rest[1..i], i + 1),
                None => (&rest[1..], rest.len()),
            };
            line_no += tag.matches('\n').count();
            rest = &rest[end..];
            let closing = tag.starts_with('/');
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_lowercase();
            if SKIPPED_ELEMENTS.contains(&name.as_str()) {
                if closing {
                    if skip_depth.last() == Some(&name) {
                        skip_depth.pop();
                    }
                } else if !tag.ends_with('/') {
                    skip_depth.push(name);
                }
                continue;
            }
            if !skip_depth.is_empty() {
                continue;
            }
            if name == "sup" {
                if closing {
                    in_sup = false;
                    let marker = sup_text
                        .trim()
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == '*');
                    if !marker {
                        current.push_str(&sup_text);
                    }
                    sup_text.clear();
                } else {
                    in_sup = true;
                }
                continue;
            }
            if BLOCK_ELEMENTS.contains(&name.as_str()) {
                flush(&mut current, &mut origin, &mut lines);
            }
            continue;
        }
        let next = rest.find('<').unwrap_or(rest.len());
        let chunk = &rest[..next];
        if skip_depth.is_empty() {
            let decoded = decode_entities(chunk);
            let leading_lines = chunk[..chunk.len() - chunk.trim_start().len()]
                .matches('\n')
                .count();
            if !decoded.trim().is_empty() {
                let start = line_no + leading_lines;
                let end = line_no + chunk.trim_end().matches('\n').count();
                origin = Some(origin.map_or((start, end), |(a, _)| (a, end)));
            }
            if in_sup {
                sup_text.push_str(&decoded);
            } else {
                current.push_str(&decoded);
            }
        }
        line_no += chunk.matches('\n').count();
        rest = &rest[next..];
    }
    flush(&mut current, &mut origin, &mut lines);
    Cleaned {
        lines: blank_lines_between(lines),
        dropped: Vec::new(),
    }
}

/// Puts a blank line between the lines of a block list, as the splitter reads paragraphs.
fn blank_lines_between(lines: Vec<CleanLine>) -> Vec<CleanLine> {
    let mut out = Vec::with_capacity(lines.len() * 2);
    for line in lines {
        if !out.is_empty() {
            out.push(CleanLine {
                text: String::new(),
                origin: line.origin,
            });
        }
        out.push(line);
    }
    out
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some(' '),
                "ndash" => Some('–'),
                "mdash" => Some('—'),
                "lsquo" => Some('‘'),
                "rsquo" => Some('’'),
                "ldquo" => Some('“'),
                "rdquo" => Some('”'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::texts;

    #[test]
    fn html_blocks_become_lines_with_their_origin() {
        let html = "<html><head><title>T</title><script>var x = '<p>';</script></head>\n<body><nav>Home | About</nav>\n<table><tr><td>1.</td>\n<td>We, the people of the harbour<sup>1</sup>,\nagree &amp; decide.</td></tr></table>\n<!-- note -->\n<p>A. Shared aims</p></body></html>";
        assert_eq!(
            texts(&clean_html(html).lines),
            [
                "1.@3-3",
                "@4-5",
                "We, the people of the harbour, agree & decide.@4-5",
                "@7-7",
                "A. Shared aims@7-7"
            ]
        );
    }

    #[test]
    fn a_file_cut_off_inside_a_tag_keeps_its_text() {
        // Found by cargo-fuzz: a file ending in `<` sliced out of bounds.
        assert_eq!(
            texts(&clean_html("<p>Lamps lit.</p>\n<").lines),
            ["Lamps lit.@1-1"]
        );
        assert_eq!(
            texts(&clean_html("<p>Lamps lit.</p><td").lines),
            ["Lamps lit.@1-1"]
        );
    }
}
