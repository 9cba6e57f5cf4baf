//! The first pass of a build: what indexing a record needs to know of the others (the
//! acronyms the corpus defines, its compounds, how many records cite each paragraph, the
//! sentences that introduce each quote), gathered in one read of the records and a second
//! read of the quoting records only, so that the build then indexes one record at a time.

use std::collections::{HashMap, HashSet};

use crate::error::Result;
use crate::index::DocEntry;
use crate::index::groups::GroupKeys;
use crate::index::spelling::Compounds;
use crate::index::typo::WordCounts;
use crate::ingest::glossary::{self, Glossary};
use crate::ingest::source::RecordSource;
use crate::model::{Record, Variant};

/// What a build knows of all its records before it indexes the first.
pub struct Survey {
    /// How many records there are.
    pub records: usize,
    /// The bytes of their texts, titles and headings: what the build analyses, about.
    pub text_bytes: usize,
    /// The acronyms the original records define.
    pub glossary: Glossary,
    /// The compounds of every record.
    pub compounds: Compounds,
    /// The surface words of every record's text, title and section, counted.
    pub words: WordCounts,
    /// The documents, in order of first appearance, with their counts of original records.
    pub documents: Vec<DocEntry>,
    /// For each cited paragraph (document, label), the number of original records that refer
    /// to it or to one of its items.
    pub citing: HashMap<(String, String), usize>,
    /// The quoting records (those another record's `quoted_in` names), by id.
    pub quoting: HashMap<String, Quoting>,
    /// The group of every record, and which groups have more than one member.
    pub groups: GroupKeys,
}

/// What a quote's context needs of the record that quotes it.
pub struct Quoting {
    /// Its section headings, joined by " / ".
    pub section: String,
    /// Its text.
    pub text: String,
}

impl Survey {
    /// Reads `source` once (twice when some records are quotes) and gathers the survey.
    pub fn of(source: &dyn RecordSource) -> Result<Survey> {
        let mut survey = Survey {
            records: 0,
            text_bytes: 0,
            glossary: Glossary::new(),
            compounds: Compounds::default(),
            words: WordCounts::default(),
            documents: Vec::new(),
            citing: HashMap::new(),
            quoting: HashMap::new(),
            groups: GroupKeys::default(),
        };
        let mut document_at: HashMap<String, usize> = HashMap::new();
        let mut quoting_ids: HashSet<String> = HashSet::new();
        source.for_each(&mut |record| {
            survey.add(record, &mut document_at);
            quoting_ids.extend(record.quoted_in.iter().cloned());
            Ok(())
        })?;
        if !quoting_ids.is_empty() {
            source.for_each(&mut |record| {
                if survey.groups.joins_a_group(&record.id) {
                    survey.groups.move_joining(record);
                }
                if quoting_ids.contains(&record.id) {
                    let quoting = Quoting {
                        section: record.section.join(" / "),
                        text: record.text.clone(),
                    };
                    survey.quoting.insert(record.id.clone(), quoting);
                }
                Ok(())
            })?;
        }
        Ok(survey)
    }

    fn add(&mut self, record: &Record, document_at: &mut HashMap<String, usize>) {
        self.records += 1;
        self.text_bytes += record.text.len()
            + record.title.len()
            + record.section.iter().map(String::len).sum::<usize>();
        self.compounds.add(&record.text);
        self.words.add(&record.text);
        self.words.add(&record.title);
        for heading in &record.section {
            self.words.add(heading);
        }
        self.count_document(record, document_at);
        self.groups.add(record);
        if record.variant == Variant::Original {
            glossary::add_definitions(&mut self.glossary, &record.text);
            self.count_citations(record);
        }
    }

    fn count_document(&mut self, record: &Record, document_at: &mut HashMap<String, usize>) {
        let documents = &mut self.documents;
        let i = *document_at.entry(record.doc.clone()).or_insert_with(|| {
            documents.push(DocEntry {
                id: record.doc.clone(),
                title: record.title.clone(),
                kind: record.kind,
                year: record.year,
                records: 0,
            });
            documents.len() - 1
        });
        if record.variant == Variant::Original {
            documents[i].records += 1;
        }
    }

    fn count_citations(&mut self, record: &Record) {
        let cited: std::collections::BTreeSet<(&str, String)> = record
            .refs
            .iter()
            .flat_map(|r| {
                [r.para.to_string(), r.para.paragraph().to_string()].map(|p| (r.doc.as_str(), p))
            })
            .collect();
        for (doc, para) in cited {
            *self.citing.entry((doc.to_string(), para)).or_insert(0) += 1;
        }
    }

    /// How many original records cite paragraph `para` of `doc` or one of its items.
    pub fn citing(&self, doc: &str, para: &str) -> usize {
        self.citing
            .get(&(doc.to_string(), para.to_string()))
            .copied()
            .unwrap_or(0)
    }
}
