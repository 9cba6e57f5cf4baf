//! JSON written by hand where a search spends its time: strings escaped sixteen bytes at a
//! time, and a hit's JSON written field by field into one buffer. The output is serde_json's,
//! byte for byte: the tests compare the two (`Hit`'s derived `Serialize` is the reference).

use std::fmt::Write;

use crate::search::Facets;
use crate::search::hit::{Hit, Nested, Quoting};

/// Appends `hit` to `out` as a JSON object, as serde_json serialises it.
pub(crate) fn push_hit(out: &mut String, hit: &Hit<'_>) {
    out.push('{');
    let mut field = Fields { out, first: true };
    field.string("id", &hit.id);
    field.string("doc", &hit.doc);
    field.name("para");
    push_string(field.out, &hit.para.to_string());
    field.string("variant", hit.variant.as_str());
    field.string("title", &hit.title);
    field.string("kind", &hit.kind);
    field.name("year");
    match hit.year {
        Some(year) => {
            let _ = write!(field.out, "{year}");
        }
        None => field.out.push_str("null"),
    }
    field.string("citation", &hit.citation);
    field.strings("section", &hit.section);
    field.string("text", &hit.text);
    field.flag("partial", hit.partial);
    field.nested("provenance", hit.provenance.as_ref());
    field.nested("origin", hit.origin.as_ref());
    if let Some(quoted_in) = &hit.quoted_in {
        field.string("quoted_in", quoted_in);
    }
    field.nested("refs", hit.refs.as_ref());
    field.nested("substitutions", hit.substitutions.as_ref());
    field.name("score");
    push_score(field.out, hit.score);
    field.flag("quoted_only", hit.quoted_only);
    field.string("url", &hit.url);
    field.string("snippet", &hit.snippet);
    if let Some(quoting) = &hit.quoting {
        field.name("quoting");
        push_quoting(field.out, quoting);
    }
    if !hit.also.is_empty() {
        field.strings("also", &hit.also);
    }
    out.push('}');
}

/// Appends `facets` to `out` as a JSON object: `{"docs":[{"doc":…,"title":…,"count":…}…],
/// "more_docs":…}`.
pub(crate) fn push_facets(out: &mut String, facets: &Facets) {
    out.push_str("{\"docs\":[");
    for (i, count) in facets.docs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('{');
        let mut field = Fields { out, first: true };
        field.string("doc", &count.doc);
        field.string("title", &count.title);
        field.name("count");
        let _ = write!(field.out, "{}", count.count);
        out.push('}');
    }
    let _ = write!(out, "],\"more_docs\":{}}}", facets.more_docs);
}

/// The fields of an object being written.
struct Fields<'o> {
    out: &'o mut String,
    first: bool,
}

impl Fields<'_> {
    /// Writes `"name":`, after a comma unless it is the first field.
    fn name(&mut self, name: &str) {
        if !std::mem::take(&mut self.first) {
            self.out.push(',');
        }
        // Names are this module's own: no escaping needed.
        self.out.push('"');
        self.out.push_str(name);
        self.out.push_str("\":");
    }

    fn string(&mut self, name: &str, value: &str) {
        self.name(name);
        push_string(self.out, value);
    }

    fn strings(&mut self, name: &str, values: &[impl AsRef<str>]) {
        self.name(name);
        self.out.push('[');
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            push_string(self.out, value.as_ref());
        }
        self.out.push(']');
    }

    fn flag(&mut self, name: &str, value: bool) {
        self.name(name);
        self.out.push_str(if value { "true" } else { "false" });
    }

    /// A nested value as stored; nothing when there is none.
    fn nested(&mut self, name: &str, value: Option<&Nested>) {
        if let Some(value) = value {
            self.name(name);
            self.out.push_str(value.get());
        }
    }
}

/// A score as serde_json writes an `f32` (shortest round-trip form; `null` when not finite).
fn push_score(out: &mut String, score: f32) {
    match serde_json::to_string(&score) {
        Ok(json) => out.push_str(&json),
        Err(_) => out.push_str("null"),
    }
}

fn push_quoting(out: &mut String, quoting: &Quoting) {
    out.push('{');
    let mut field = Fields { out, first: true };
    field.string("doc", &quoting.doc);
    field.string("citation", &quoting.citation);
    field.string("url", &quoting.url);
    out.push('}');
}

/// Appends `text` to `out` as a JSON string literal, quoted and escaped as serde_json escapes
/// it: `"` and `\`, and the control characters (`\n`, `\t`, … or `\u00XX`). The runs that
/// need no escaping are passed over sixteen bytes at a time (serde_json looks at each byte).
pub(crate) fn push_string(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(text.len() + 2);
    out.push('"');
    let (mut run, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 16)
            && !chunk_needs_escape(chunk.try_into().unwrap_or(&[0; 16]))
        {
            i += 16;
            continue;
        }
        if let Some(escaped) = escape_of(bytes[i]) {
            // Escaped bytes are ASCII: `run`, `i` and `i + 1` are character boundaries.
            out.push_str(&text[run..i]);
            escaped.push_to(out);
            run = i + 1;
        }
        i += 1;
    }
    out.push_str(&text[run..]);
    out.push('"');
}

/// Whether any of the sixteen bytes of `chunk` is a control character, `"` or `\`: a fold
/// over a fixed-size array, which the compiler turns into a few vector compares.
fn chunk_needs_escape(chunk: &[u8; 16]) -> bool {
    chunk.iter().fold(false, |any, &b| {
        any | (b < 0x20) | (b == b'"') | (b == b'\\')
    })
}

/// How a byte is escaped in a JSON string.
enum Escape {
    Short(&'static str),
    Unicode(u8),
}

impl Escape {
    fn push_to(&self, out: &mut String) {
        match *self {
            Escape::Short(s) => out.push_str(s),
            Escape::Unicode(b) => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xf) as usize] as char);
            }
        }
    }
}

/// The escape of `byte` in a JSON string, as serde_json writes it; None when it needs none.
fn escape_of(byte: u8) -> Option<Escape> {
    Some(match byte {
        b'"' => Escape::Short("\\\""),
        b'\\' => Escape::Short("\\\\"),
        b'\n' => Escape::Short("\\n"),
        b'\r' => Escape::Short("\\r"),
        b'\t' => Escape::Short("\\t"),
        0x08 => Escape::Short("\\b"),
        0x0c => Escape::Short("\\f"),
        0..0x20 => Escape::Unicode(byte),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut texts = vec![
            String::new(),
            "plain ASCII text that runs past sixteen bytes".to_string(),
            "quotes \" and back\\slashes\\\" in a row".to_string(),
            "controls \n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f} and é, “curly”, 中文 …".to_string(),
        ];
        // Every byte below 0x80 at every offset of a sixteen-byte chunk and past it.
        for b in 0u8..0x80 {
            for at in 0..33 {
                let mut t = "abcdefghijklmnopqrstuvwxyz012345".to_string();
                t.insert(at, b as char);
                texts.push(t);
            }
        }
        for text in texts {
            let mut out = String::new();
            push_string(&mut out, &text);
            assert_eq!(out, serde_json::to_string(&text).unwrap(), "{text:?}");
        }
    }

    #[test]
    fn facets_are_written_as_serde_json_would_write_them() {
        use crate::search::DocCount;
        let facets = Facets {
            docs: vec![
                DocCount {
                    doc: "tunis-agenda".into(),
                    title: "Tunis \"Agenda\" é\n".into(),
                    count: 12,
                },
                DocCount {
                    doc: "d".into(),
                    title: String::new(),
                    count: 0,
                },
            ],
            more_docs: 3,
        };
        let mut out = String::new();
        push_facets(&mut out, &facets);
        // The reference: serde_json's output for the same fields, derived.
        #[derive(serde::Serialize)]
        struct Derived<'f> {
            docs: &'f [DocCount],
            more_docs: usize,
        }
        let derived = |f: &Facets| {
            serde_json::to_string(&Derived {
                docs: &f.docs,
                more_docs: f.more_docs,
            })
            .unwrap()
        };
        assert_eq!(out, derived(&facets));
        let mut none = String::new();
        push_facets(&mut none, &Facets::default());
        assert_eq!(none, derived(&Facets::default()));
        assert_eq!(
            serde_json::to_string(&facets).unwrap(),
            out,
            "Facets serialise so"
        );
    }

    #[test]
    fn hits_are_written_as_serde_json_serialises_them() {
        let stored = [
            r#"{"id":"d/1","doc":"d","para":"1","text":"plain"}"#,
            r#"{"id":"d/2(a)","doc":"d","para":"2(a)","variant":"digital","title":"A \"title\"\n","kind":"outcome-document","year":2005,"citation":"T, para. 2(a)","section":["I. A","B\u0001"],"text":"é “curly” 中文 \\ \t","partial":true,"provenance":{"file":"f.txt","line_start":3,"line_end":4},"origin":{"page":2},"quoted_in":"b/p1","refs":["x/1"],"substitutions":[{"from":"a","to":"b"}]}"#,
        ];
        for json in stored {
            let mut hit = Hit::from_stored(json).unwrap();
            for (score, also, quoting) in [
                (0.0, vec![], None),
                (6.161208, vec!["d/3".into(), "d/\"4\"".into()], None),
                (
                    1e-7,
                    vec![],
                    Some(Quoting {
                        doc: "b".into(),
                        citation: "B, para. p1".into(),
                        url: "/doc/b#pp1".into(),
                    }),
                ),
                (123456.79, vec![], None),
                (f32::NAN, vec![], None),
            ] {
                hit.score = score;
                hit.also = also;
                hit.quoting = quoting;
                hit.url = "/doc/d#p1".into();
                hit.snippet = "<mark>plain</mark> \"…\"".into();
                hit.quoted_only = score > 1.0;
                let mut out = String::new();
                push_hit(&mut out, &hit);
                assert_eq!(out, serde_json::to_string(&hit).unwrap());
            }
        }
    }
}
