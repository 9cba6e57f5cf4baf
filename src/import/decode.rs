//! Bytes of an HTML page to text, by the charset it declares (the HTML standard's order: a
//! byte-order mark, the HTTP header's `charset`, a `<meta>` tag in the first kilobytes), or,
//! where none is declared, UTF-8 when the bytes are UTF-8 and windows-1252 when not (the
//! standard's fallback for legacy pages). Decoding is done by `encoding_rs`.

use std::sync::LazyLock;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use regex::bytes::Regex;

/// How many bytes of a page are searched for a `<meta>` charset (the standard says 1024;
/// old pages put long comments and scripts first).
const META_PRESCAN: usize = 4096;

/// `<meta charset="…">` or `<meta http-equiv="Content-Type" content="text/html; charset=…">`.
static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<meta\s[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)"#).unwrap()
});

/// A decoded page and what decided its encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// The encoding's name (`windows-1252`, `UTF-8`, …).
    pub encoding: &'static str,
    /// What declared it: `byte-order mark`, `HTTP header`, `<meta> tag`, `UTF-8 bytes`,
    /// `fallback`.
    pub declared_by: &'static str,
    /// Whether some bytes were not valid in that encoding (each became U+FFFD).
    pub replaced: bool,
}

/// The `charset` parameter of a `Content-Type` header value, if any.
pub fn charset_of_content_type(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        (key.trim().eq_ignore_ascii_case("charset"))
            .then(|| value.trim().trim_matches(['"', '\'']))
            .filter(|v| !v.is_empty())
    })
}

/// Decodes an HTML page; `header_charset` is the charset the HTTP header declared.
pub fn decode_html(bytes: &[u8], header_charset: Option<&str>) -> Decoded {
    let (encoding, declared_by) = if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        (encoding, "byte-order mark")
    } else if let Some(encoding) = header_charset.and_then(|c| Encoding::for_label(c.as_bytes())) {
        (encoding, "HTTP header")
    } else if let Some(encoding) = meta_charset(bytes) {
        (encoding, "<meta> tag")
    } else if std::str::from_utf8(bytes).is_ok() {
        (UTF_8, "UTF-8 bytes")
    } else {
        (WINDOWS_1252, "fallback")
    };
    // A page cannot declare UTF-16 in its own bytes and be read as ASCII (the standard reads
    // such a declaration as UTF-8); the replacement encoding is for dangerous labels.
    let encoding = match encoding.name() {
        "UTF-16LE" | "UTF-16BE" if declared_by == "<meta> tag" => UTF_8,
        "replacement" | "x-user-defined" => WINDOWS_1252,
        _ => encoding,
    };
    let (text, replaced) = encoding.decode_with_bom_removal(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        declared_by,
        replaced,
    }
}

fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_PRESCAN)];
    let label = META_CHARSET.captures(head)?.get(1)?.as_bytes();
    Encoding::for_label(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_declared_charset_decides_in_the_standards_order() {
        let meta_1252 = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"></head><p>Caf\xe9 \x93quoted\x94 \x96 dash</p>";
        // Bytes, the header's charset, then the encoding, what declared it, a text it gives.
        type Case<'a> = (&'a [u8], Option<&'a str>, &'a str, &'a str, &'a str);
        let cases: [Case; 5] = [
            (
                meta_1252,
                None,
                "windows-1252",
                "<meta> tag",
                "Café “quoted” – dash",
            ),
            (
                b"<meta charset=utf-8><p>Caf\xc3\xa9</p>",
                Some("windows-1252"),
                "windows-1252",
                "HTTP header",
                "CafÃ©",
            ),
            (b"<p>Caf\xe9</p>", None, "windows-1252", "fallback", "Café"),
            (b"<p>Caf\xc3\xa9</p>", None, "UTF-8", "UTF-8 bytes", "Café"),
            (
                b"\xef\xbb\xbf<meta charset=iso-8859-1><p>Caf\xc3\xa9</p>",
                None,
                "UTF-8",
                "byte-order mark",
                "Café",
            ),
        ];
        for (bytes, header, encoding, declared_by, contains) in cases {
            let decoded = decode_html(bytes, header);
            assert_eq!(
                (decoded.encoding, decoded.declared_by),
                (encoding, declared_by),
                "{}",
                String::from_utf8_lossy(bytes)
            );
            assert!(decoded.text.contains(contains), "{}", decoded.text);
            assert!(!decoded.replaced);
        }
    }

    #[test]
    fn charset_parameters() {
        assert_eq!(
            charset_of_content_type("text/html; charset=\"ISO-8859-1\""),
            Some("ISO-8859-1")
        );
        assert_eq!(charset_of_content_type("text/html"), None);
        assert_eq!(charset_of_content_type("text/html; charset="), None);
    }
}
