//! Filters must name values the index knows: a `doc:`, `kind:`, `variant:` or `cites:` in the
//! query, or the `doc` and `kind` options, that names nothing is refused with the known
//! values, rather than silently finding nothing.

use tantivy::query_grammar::{self, UserInputAst, UserInputLeaf};

use crate::error::{Error, Result};
use crate::index::BuildInfo;
use crate::model::{Kind, Variant, field};

/// The document ids a build knows: its catalog's and its records'.
fn doc_ids(info: &BuildInfo) -> Vec<&str> {
    let mut ids: Vec<&str> = info
        .catalog
        .iter()
        .map(|e| e.meta.id.as_str())
        .chain(info.documents.iter().map(|d| d.id.as_str()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The kinds a build's documents have.
fn kinds(info: &BuildInfo) -> Vec<&str> {
    let mut kinds: Vec<&str> = info
        .catalog
        .iter()
        .map(|e| e.meta.kind.as_str())
        .chain(info.documents.iter().map(|d| d.kind.as_str()))
        .filter(|k| !k.is_empty())
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    kinds
}

/// Why `value` of filter `name` (`doc`, `kind`, `variant`, `cites`) names nothing, listing
/// what it may name; `None` when it is known.
pub fn unknown(info: &BuildInfo, name: &str, value: &str) -> Option<String> {
    let (known, what) = match name {
        field::DOC => (doc_ids(info), "document"),
        field::KIND if Kind::parse(value).is_some() => return None,
        field::KIND => (kinds(info), "kind"),
        // `variant:all` widens the search to every variant (`search::rewrite`).
        field::VARIANT if value == "all" => return None,
        field::VARIANT => (
            vec![Variant::Original.as_str(), Variant::Digital.as_str(), "all"],
            "variant",
        ),
        // `cites:doc/para`: the document must be one the corpus knows (a records file's
        // records may cite documents it has no record of: not checked).
        field::CITES if !info.catalog.is_empty() => {
            let doc = value.split('/').next().unwrap_or(value);
            return unknown(info, field::DOC, doc);
        }
        _ => return None,
    };
    (!known.contains(&value)).then(|| {
        format!(
            "there is no {what} {value:?}; the index knows {}",
            known.join(", ")
        )
    })
}

/// Checks the `doc` and `kind` options.
pub fn check_options(info: &BuildInfo, docs: &[String], kinds: &[String]) -> Result<()> {
    let named = docs
        .iter()
        .map(|d| (field::DOC, d))
        .chain(kinds.iter().map(|k| (field::KIND, k)));
    for (name, value) in named {
        if let Some(reason) = unknown(info, name, value) {
            return Err(Error::BadParameter { name, reason });
        }
    }
    Ok(())
}

/// Why a `doc:`, `kind:`, `variant:` or `cites:` term of `query` names nothing; `None` when
/// all are known (or the query does not parse: its own error comes later).
pub fn check_query(info: &BuildInfo, query: &str) -> Option<String> {
    // A field is named `field:value`: a query without a colon names none (and is not parsed).
    if !query.contains(':') {
        return None;
    }
    let ast = query_grammar::parse_query(query).ok()?;
    first_unknown(info, &ast)
}

fn first_unknown(info: &BuildInfo, ast: &UserInputAst) -> Option<String> {
    match ast {
        UserInputAst::Clause(clauses) => clauses.iter().find_map(|(_, a)| first_unknown(info, a)),
        UserInputAst::Boost(inner, _) => first_unknown(info, inner),
        UserInputAst::Leaf(leaf) => match leaf.as_ref() {
            UserInputLeaf::Literal(l) if !l.prefix && !l.phrase.ends_with('*') => {
                let field = l.field_name.as_deref()?;
                unknown(info, field, &l.phrase)
            }
            UserInputLeaf::Set { field, elements } => {
                let field = field.as_deref()?;
                elements
                    .iter()
                    .find_map(|value| unknown(info, field, value))
            }
            _ => None,
        },
    }
}
