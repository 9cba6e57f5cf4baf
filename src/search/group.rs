//! Grouping of near-duplicate hits: a numbered paragraph with its items, a background line
//! with the official paragraph it quotes.

use std::collections::HashMap;

use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, TERMINATED, Term};

use crate::error::Result;
use crate::index::groups::quoting_id;
use crate::model::{ParaLabel, Variant};
use crate::search::hit::Hit;

/// The key of the group a record belongs to: a numbered paragraph with its items, per
/// variant; any other record on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GroupKey<'h> {
    /// A document's numbered paragraph, in one variant.
    Paragraph(&'h str, u32, Variant),
    /// One record, by id.
    Record(&'h str),
}

fn group_key<'h>(m: &'h Hit) -> GroupKey<'h> {
    match m.para.number() {
        Some(n) if !m.doc.is_empty() => GroupKey::Paragraph(&m.doc, n, m.variant),
        _ => GroupKey::Record(&m.id),
    }
}

/// Groups ranked records by the records loaded (for a build made before groups were indexed,
/// see [`SharedGroups`]); the lead of each group is the hit and the rest go in its `also`.
/// A numbered paragraph groups with its items, and a background paragraph with the official
/// paragraph it quotes (the first it quotes, or the one it quotes whole). Returns, per group
/// in rank order, the indexes of its members in rank order.
pub(crate) fn group<'h>(ranked: &'h [Hit]) -> Vec<Vec<usize>> {
    let mut alias: Vec<(String, GroupKey<'h>)> = Vec::new();
    for r in ranked {
        if let Some(quoting) = &r.quoted_in {
            let quoting = quoting_id(quoting, r.variant);
            match alias.iter_mut().find(|(q, _)| *q == quoting) {
                Some(entry) if !r.partial => entry.1 = group_key(r),
                Some(_) => {}
                None => alias.push((quoting, group_key(r))),
            }
        }
    }
    let key_of = |r: &'h Hit| {
        alias
            .iter()
            .find(|(q, _)| *q == r.id)
            .map_or_else(|| group_key(r), |&(_, k)| k)
    };
    let mut keys: Vec<GroupKey> = Vec::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, member) in ranked.iter().enumerate() {
        let key = key_of(member);
        match keys.iter().position(|k| *k == key) {
            Some(g) => groups[g].push(i),
            None => {
                keys.push(key);
                groups.push(vec![i]);
            }
        }
    }
    groups
}

/// Which member stands for a group (members in rank order): the whole paragraph when two
/// or more of its items matched; else an official item quoted whole ahead of the background
/// line that quotes it; else the best-ranked.
pub(crate) fn group_lead(members: &[&Hit]) -> usize {
    let items = members
        .iter()
        .filter(|r| matches!(&r.para, ParaLabel::Numbered { items, .. } if !items.is_empty()))
        .count();
    let whole = members
        .iter()
        .position(|r| matches!(&r.para, ParaLabel::Numbered { items, .. } if items.is_empty()));
    if items >= 2
        && let Some(i) = whole
    {
        return i;
    }
    if members.first().is_some_and(|r| r.quoted_in.is_none())
        && let Some(i) = members
            .iter()
            .position(|r| r.quoted_in.is_some() && !r.partial)
    {
        return i;
    }
    0
}

/// The leads of `groups` (as [`group`] gives them) of ranked hits, in rank order, each with
/// its group's best score and the ids of the others in its `also`.
pub(crate) fn leads<'a>(mut ranked: Vec<Hit<'a>>, groups: &[Vec<usize>]) -> Vec<Hit<'a>> {
    let leads: Vec<(usize, f32, Vec<std::borrow::Cow<'a, str>>)> = groups
        .iter()
        .map(|indexes| {
            let members: Vec<&Hit> = indexes.iter().map(|&i| &ranked[i]).collect();
            let lead = indexes[group_lead(&members)];
            let also = indexes
                .iter()
                .filter(|&&i| i != lead)
                .map(|&i| ranked[i].id.clone())
                .collect();
            (lead, ranked[indexes[0]].score, also)
        })
        .collect();
    let mut slots: Vec<Option<Hit<'a>>> = ranked.drain(..).map(Some).collect();
    leads
        .into_iter()
        .filter_map(|(lead, score, also)| {
            slots[lead].take().map(|mut hit| {
                hit.score = score;
                hit.also = also;
                hit
            })
        })
        .collect()
}

/// The groups a build indexed ([`crate::index::groups`]): the group of each record that shares
/// one, and each group's members in the build and term. Builds made before the field have none,
/// and are grouped by the records a page loads ([`group`]).
#[derive(Default)]
pub(crate) struct SharedGroups {
    /// Per segment: the group of each record ([`NO_GROUP`] for none), or nothing for a
    /// segment without groups.
    of_doc: Vec<Vec<u32>>,
    /// Per group: how many records of the build it holds, and its term.
    groups: Vec<(u32, Term)>,
}

impl SharedGroups {
    /// Reads the groups of `field` (every term a group, its postings the members).
    pub(crate) fn read(searcher: &tantivy::Searcher, field: Field) -> Result<SharedGroups> {
        let mut shared = SharedGroups::default();
        let mut by_key: HashMap<Vec<u8>, u32> = HashMap::new();
        for segment in searcher.segment_readers() {
            let mut docs = Vec::new();
            let inverted = segment.inverted_index(field)?;
            let mut terms = inverted.terms().stream().map_err(io_error)?;
            while terms.advance() {
                let key = String::from_utf8_lossy(terms.key()).into_owned();
                let next = shared.groups.len() as u32;
                let g = *by_key.entry(terms.key().to_vec()).or_insert(next);
                if g == next {
                    shared.groups.push((0, Term::from_field_text(field, &key)));
                }
                let mut postings = inverted
                    .read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)
                    .map_err(io_error)?;
                if docs.is_empty() {
                    docs = vec![NO_GROUP; segment.max_doc() as usize];
                }
                while postings.doc() != TERMINATED {
                    docs[postings.doc() as usize] = g;
                    shared.groups[g as usize].0 += 1;
                    postings.advance();
                }
            }
            shared.of_doc.push(docs);
        }
        Ok(shared)
    }

    /// The group of the record at `address`, if it shares one.
    pub(crate) fn of(&self, address: DocAddress) -> Option<u32> {
        self.of_doc
            .get(address.segment_ord as usize)?
            .get(address.doc_id as usize)
            .copied()
            .filter(|&g| g != NO_GROUP)
    }

    /// How many records of the build group `g` holds.
    pub(crate) fn size(&self, g: u32) -> usize {
        self.groups[g as usize].0 as usize
    }

    /// The term that finds the records of group `g`.
    pub(crate) fn term(&self, g: u32) -> &Term {
        &self.groups[g as usize].1
    }
}

/// The group of a record that shares none.
const NO_GROUP: u32 = u32::MAX;

fn io_error(e: std::io::Error) -> crate::error::Error {
    crate::error::Error::Index(e.into())
}

/// Groups ranked records by the groups their build indexed (`keys`, in rank order; a record
/// with none is a group of its own). Returns, per group in rank order, the indexes of its
/// members in rank order.
pub(crate) fn group_by_keys(keys: &[Option<u32>]) -> Vec<Vec<usize>> {
    let mut at: HashMap<u32, usize> = HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        match key.and_then(|k| at.get(&k).copied()) {
            Some(g) => groups[g].push(i),
            None => {
                if let Some(k) = key {
                    at.insert(*k, groups.len());
                }
                groups.push(vec![i]);
            }
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grouped(ranked: Vec<Hit>) -> Vec<Hit> {
        let groups = group(&ranked);
        leads(ranked, &groups)
    }

    fn hit(json: &str) -> Hit<'_> {
        Hit::from_stored(json).unwrap()
    }

    fn ids(hits: &[Hit]) -> Vec<(String, Vec<String>)> {
        hits.iter()
            .map(|h| {
                (
                    h.id.to_string(),
                    h.also.iter().map(|a| a.to_string()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn items_of_a_paragraph_group_under_the_whole_paragraph() {
        let stored = [
            r#"{"id":"d/5(a)","doc":"d","para":"5(a)","text":"x"}"#,
            r#"{"id":"d/6","doc":"d","para":"6","text":"x"}"#,
            r#"{"id":"d/5","doc":"d","para":"5","text":"x"}"#,
            r#"{"id":"d/5(b)","doc":"d","para":"5(b)","text":"x"}"#,
        ];
        let hits = grouped(stored.iter().map(|s| hit(s)).collect());
        assert_eq!(
            ids(&hits),
            vec![
                ("d/5".into(), vec!["d/5(a)".into(), "d/5(b)".into()]),
                ("d/6".into(), vec![]),
            ]
        );
    }

    #[test]
    fn one_item_leads_its_paragraph_and_variants_stay_apart() {
        let stored = [
            r#"{"id":"d/5(a)","doc":"d","para":"5(a)","text":"x"}"#,
            r#"{"id":"d/5","doc":"d","para":"5","text":"x"}"#,
            r#"{"id":"d/5/digital","doc":"d","para":"5","variant":"digital","text":"x"}"#,
        ];
        let hits = grouped(stored.iter().map(|s| hit(s)).collect());
        assert_eq!(
            ids(&hits),
            vec![
                ("d/5(a)".into(), vec!["d/5".into()]),
                ("d/5/digital".into(), vec![]),
            ]
        );
    }

    #[test]
    fn a_quoted_paragraph_leads_the_background_line_that_quotes_it_whole() {
        let stored = [
            r#"{"id":"bg/3","doc":"bg","para":"3","text":"x"}"#,
            r#"{"id":"ta/7@bg/3","doc":"ta","para":"7","quoted_in":"bg/3","text":"x"}"#,
        ];
        let hits = grouped(stored.iter().map(|s| hit(s)).collect());
        assert_eq!(ids(&hits), vec![("ta/7@bg/3".into(), vec!["bg/3".into()])]);
    }

    #[test]
    fn a_partial_quote_keeps_the_background_line_first() {
        let stored = [
            r#"{"id":"bg/3","doc":"bg","para":"3","text":"x"}"#,
            r#"{"id":"ta/7@bg/3","doc":"ta","para":"7","quoted_in":"bg/3","partial":true,"text":"x"}"#,
        ];
        let hits = grouped(stored.iter().map(|s| hit(s)).collect());
        assert_eq!(ids(&hits), vec![("bg/3".into(), vec!["ta/7@bg/3".into()])]);
    }
}
