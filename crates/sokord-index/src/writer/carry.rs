//! Documents read back from an index's stored passages, so that a rebuild carries over the
//! documents no file gives: those a program wrote through [`Writer`](super::Writer). Fields
//! are found by name, so an index written by another version of sokord can be read as long as
//! its stored fields are named as today.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{Index, TantivyDocument, Term};

use crate::chapters::Chapter;
use crate::corpus::{DocMeta, Document, Passage};
use crate::error::{Error, Result};
use crate::read::Format;
use sokord_core::date::Day;
use sokord_core::layout::generation_dir;

/// The stored fields a document is read back from.
struct Stored {
    doc_id: Field,
    path: Field,
    title: Field,
    doc_type: Field,
    actor: Field,
    party: Field,
    recipient: Field,
    date: Field,
    chapters: Field,
    ordinal: Field,
    page: Field,
    text: Field,
    extra: Field,
}

impl Stored {
    fn of(index: &Index) -> Option<Stored> {
        let s = index.schema();
        let f = |name: &str| s.get_field(name).ok();
        Some(Stored {
            doc_id: f("doc_id")?,
            path: f("path")?,
            title: f("title")?,
            doc_type: f("type")?,
            actor: f("actor")?,
            party: f("party")?,
            recipient: f("recipient")?,
            date: f("date")?,
            chapters: f("chapters")?,
            ordinal: f("ordinal")?,
            page: f("page")?,
            text: f("text")?,
            extra: f("extra")?,
        })
    }
}

fn text(doc: &TantivyDocument, f: Field) -> Option<String> {
    doc.get_first(f)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// Calls `each` with every document of generation `generation` of the index in `dir` whose id
/// `keep` accepts, rebuilt from its stored passages (metadata, chapters, text), in id order.
/// Returns how many documents were passed.
pub(super) fn for_each_stored_document(
    dir: &Path,
    generation: u64,
    keep: &dyn Fn(&str) -> bool,
    each: &mut dyn FnMut(Document) -> Result<()>,
) -> Result<usize> {
    let corrupt = |message: String| Error::Corrupt {
        path: dir.to_path_buf(),
        message,
    };
    let index = Index::open_in_dir(generation_dir(dir, generation))
        .map_err(|e| corrupt(format!("gen-{generation}: {e}")))?;
    let Some(f) = Stored::of(&index) else {
        return Err(corrupt(format!(
            "gen-{generation} lacks the stored fields documents are read back from"
        )));
    };
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut ids = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let Some(column) = segment.fast_fields().str("doc_id")? else {
            continue;
        };
        let mut ords = BTreeSet::new();
        for doc in segment.doc_ids_alive() {
            ords.extend(column.term_ords(doc));
        }
        let mut id = String::new();
        for ord in ords {
            let found = column
                .ord_to_str(ord, &mut id)
                .map_err(|e| Error::io(generation_dir(dir, generation), e))?;
            if found && keep(&id) {
                ids.insert(id.clone());
            }
        }
    }
    for id in &ids {
        let query = TermQuery::new(
            Term::from_field_text(f.doc_id, id),
            IndexRecordOption::Basic,
        );
        let addresses = searcher.search(&query, &DocSetCollector)?;
        let mut docs = Vec::with_capacity(addresses.len());
        for a in addresses {
            docs.push(searcher.doc::<TantivyDocument>(a)?);
        }
        docs.sort_by_key(|d| d.get_first(f.ordinal).and_then(|v| v.as_u64()));
        each(document(&f, id, &docs))?;
    }
    Ok(ids.len())
}

/// A document from its passages' stored fields, in order.
fn document(f: &Stored, id: &str, passages: &[TantivyDocument]) -> Document {
    let first = &passages[0];
    let extra: serde_json::Value = text(first, f.extra)
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    let string = |k: &str| extra.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let meta = DocMeta {
        id: id.to_string(),
        doc_type: text(first, f.doc_type).unwrap_or_else(|| "dokument".into()),
        title: text(first, f.title).unwrap_or_else(|| id.to_string()),
        actor: text(first, f.actor),
        party: text(first, f.party),
        recipient: text(first, f.recipient),
        date: first
            .get_first(f.date)
            .and_then(|v| v.as_datetime())
            .and_then(Day::from_tantivy)
            .map(|d| d.to_string()),
        source: string("source"),
        language: string("language").unwrap_or_else(|| "sv".into()),
        topics: serde_json::from_value(extra.get("topics").cloned().unwrap_or_default())
            .unwrap_or_default(),
        extra: serde_json::from_value::<BTreeMap<String, String>>(
            extra.get("extra").cloned().unwrap_or_default(),
        )
        .unwrap_or_default(),
    };
    let passages = passages
        .iter()
        .enumerate()
        .map(|(i, p)| Passage {
            ordinal: i as u32,
            text: text(p, f.text).unwrap_or_default(),
            chapters: text(p, f.chapters)
                .and_then(|c| serde_json::from_str::<Vec<Chapter>>(&c).ok())
                .unwrap_or_default(),
            page: p
                .get_first(f.page)
                .and_then(|v| v.as_u64())
                .map(|n| n as u32),
        })
        .collect();
    let format = extra
        .get("format")
        .cloned()
        .and_then(|v| serde_json::from_value::<Format>(v).ok())
        .unwrap_or(Format::Txt);
    let hash = blake3::hash(id.as_bytes()).to_hex().to_string();
    Document {
        meta,
        path: text(first, f.path).unwrap_or_default(),
        format,
        encoding: "UTF-8",
        hash,
        passages,
        warnings: Vec::new(),
    }
}
