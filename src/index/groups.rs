//! The group each record belongs to, fixed when the build is made: a numbered paragraph with
//! its items (in one variant), and a background record with the official paragraph it quotes
//! (the first it quotes whole, else the first it quotes). A build indexes the key of every
//! record whose group has another member ([`crate::model::field::GROUP`]), so that a search
//! groups the records of a page by the index, whichever of them it has loaded, and finds the
//! members of a page's groups that rank further down: no record is counted and then shown on
//! no page.

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault};

use rustc_hash::FxHasher;

use crate::model::{Record, RecordId, Variant};

/// The groups of a build's records, gathered in the survey.
#[derive(Default)]
pub struct GroupKeys {
    /// For a background record that an official record quotes (its id in the official
    /// record's variant): the key of the group it joins, and whether that record quotes it whole.
    joins: HashMap<String, (String, bool)>,
    /// Members of each group, by the hash of its key (a collision only indexes a key that has
    /// one member, which a search reads as it would read no key).
    members: HashMap<u64, u32>,
    hasher: BuildHasherDefault<FxHasher>,
}

impl GroupKeys {
    /// Counts `record` in its own group, and notes the background record it quotes.
    pub fn add(&mut self, record: &Record) {
        let own = own_key(record);
        if record.para.number().is_some() || record.quoted_in.is_some() {
            *self.members.entry(self.hash(&own)).or_default() += 1;
        }
        let Some(quoting) = &record.quoted_in else {
            return;
        };
        let whole = !record.partial;
        let joined = quoting_id(quoting, record.variant);
        match self.joins.get_mut(&joined) {
            Some(chosen) if whole && !chosen.1 => *chosen = (own, whole),
            Some(_) => {}
            None => {
                self.joins.insert(joined, (own, whole));
            }
        }
    }

    /// Whether `id` is a background record that joins the group of a paragraph it quotes:
    /// such records are given to [`GroupKeys::move_joining`] once every record was added.
    pub fn joins_a_group(&self, id: &str) -> bool {
        self.joins.contains_key(id)
    }

    /// Moves a record that joins another group (see [`GroupKeys::joins_a_group`]) out of its own.
    pub fn move_joining(&mut self, record: &Record) {
        let Some((key, _)) = self.joins.get(&record.id) else {
            return;
        };
        let joined = self.hash(key);
        if record.para.number().is_some() {
            let own = self.hash(&own_key(record));
            if let Some(n) = self.members.get_mut(&own) {
                *n = n.saturating_sub(1);
            }
        }
        *self.members.entry(joined).or_default() += 1;
    }

    /// The key `record` is indexed with: its group's, when the group has another member.
    pub fn shared_key(&self, record: &Record) -> Option<String> {
        let key = match self.joins.get(&record.id) {
            Some((key, _)) => key.clone(),
            None => own_key(record),
        };
        let members = self.members.get(&self.hash(&key)).copied().unwrap_or(0);
        (members >= 2).then_some(key)
    }

    fn hash(&self, key: &str) -> u64 {
        self.hasher.hash_one(key)
    }
}

/// A record's own group: its numbered paragraph in its variant, or the record alone.
fn own_key(record: &Record) -> String {
    match record.para.number() {
        Some(n) if !record.doc.is_empty() => {
            format!("{}/{n}/{}", record.doc, record.variant.as_str())
        }
        _ => format!("record {}", record.id),
    }
}

/// The background record an official record in `variant` quotes, in that variant: a quote
/// record's `quoted_in` names the original, and a digital quote groups with the digital
/// variant of the record quoting it.
pub fn quoting_id(quoted_in: &str, variant: Variant) -> String {
    match RecordId::parse(quoted_in) {
        Some(parsed) if variant == Variant::Digital => parsed.in_variant(variant).to_string(),
        _ => quoted_in.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ParaLabel;

    fn record(
        id: &str,
        doc: &str,
        para: ParaLabel,
        quoted_in: Option<&str>,
        partial: bool,
    ) -> Record {
        Record {
            id: id.into(),
            doc: doc.into(),
            para,
            variant: Variant::Original,
            title: String::new(),
            kind: Default::default(),
            year: None,
            citation: String::new(),
            section: Vec::new(),
            text: "text".into(),
            partial,
            provenance: Default::default(),
            origin: None,
            quoted_in: quoted_in.map(String::from),
            refs: Vec::new(),
            substitutions: Vec::new(),
        }
    }

    #[test]
    fn items_share_their_paragraphs_key_and_a_quoting_record_joins_the_whole_quote() {
        let para = |s: &str| s.parse::<ParaLabel>().unwrap();
        let records = [
            record("ta/72", "ta", para("72"), None, false),
            record("ta/72(e)", "ta", para("72(e)"), Some("page/p3"), true),
            record("ta/73", "ta", para("73"), Some("page/p3"), false),
            record("ta/74", "ta", para("74"), None, false),
            record("page/p3", "page", para("p3"), None, false),
            record("page/p4", "page", para("p4"), None, false),
        ];
        let mut keys = GroupKeys::default();
        for r in &records {
            keys.add(r);
        }
        for r in &records {
            if keys.joins_a_group(&r.id) {
                keys.move_joining(r);
            }
        }
        let shared: Vec<Option<String>> = records.iter().map(|r| keys.shared_key(r)).collect();
        assert_eq!(
            shared,
            [
                Some("ta/72/original".to_string()),
                Some("ta/72/original".to_string()),
                Some("ta/73/original".to_string()),
                None,
                Some("ta/73/original".to_string()),
                None,
            ]
        );
    }
}
