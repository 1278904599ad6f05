//! Searching an index: requests, filters, hits, grouping by document, and reading documents back.

use std::collections::HashMap;
use std::ops::Bound;
use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::StrColumn;
use tantivy::query::{
    AllQuery, BooleanQuery, Occur, PhraseQuery, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DateTime, DocAddress, DocId, IndexReader, Score, SegmentOrdinal, SegmentReader,
    TantivyDocument, Term,
};

use sokord_index::analysis::{self, WORDS};
use sokord_index::{open_index, Chapter, Fields, IndexMeta, OpenIndex};

use crate::error::{Error, Result};

/// Filters that narrow a search. Each is case-insensitive; a comma separates alternatives
/// (`party: "S,V"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filters {
    /// Words of the actor's name ("Lif", "Forssmed", "Region Stockholm").
    pub actor: Option<String>,
    /// Party abbreviation ("S", "KD").
    pub party: Option<String>,
    /// Document type ("remissvar", "tal").
    pub doc_type: Option<String>,
    /// Chapter: a number ("3"), a sub-section ("Mål 2"), a dotted path ("2.3") or a title ("Frågor").
    pub chapter: Option<String>,
    /// Topic id or label ("hälsodata", "Psykisk hälsa").
    pub topic: Option<String>,
    /// First date, `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (inclusive).
    pub from: Option<String>,
    /// Last date, `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (inclusive).
    pub to: Option<String>,
}

/// How to group hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Grouping {
    /// One hit per matching passage.
    #[default]
    Passage,
    /// One hit per document: its best passage, with the number of passages that matched.
    Doc,
}

/// A search to run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchRequest {
    /// The query: words (all must match), `"phrases"`, `OR`, `-word`, `(…)`, `field:value`. Empty
    /// matches every passage the filters let through.
    pub query: String,
    /// Filters.
    pub filters: Filters,
    /// At most this many hits. By default, 10.
    pub limit: usize,
    /// Skip this many hits first. By default, 0.
    pub offset: usize,
    /// Passages or documents. By default, passages.
    pub group: Grouping,
    /// Longest snippet in characters. By default, 240.
    pub snippet_chars: usize,
}

impl SearchRequest {
    /// A request for `query` with the defaults.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            filters: Filters::default(),
            limit: 10,
            offset: 0,
            group: Grouping::Passage,
            snippet_chars: 240,
        }
    }
}

/// A chapter reference in a hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChapterRef {
    /// Its number, if it has one.
    pub number: Option<String>,
    /// Its title.
    pub title: String,
}

impl From<&Chapter> for ChapterRef {
    fn from(c: &Chapter) -> ChapterRef {
        ChapterRef {
            number: c.number.clone(),
            title: c.title.clone(),
        }
    }
}

/// One hit: a passage (or a document's best passage) with its citation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Document id.
    pub doc_id: String,
    /// File path relative to the indexed folder.
    pub path: String,
    /// Document title.
    pub title: String,
    /// Document type.
    #[serde(rename = "type")]
    pub doc_type: String,
    /// Who speaks.
    pub actor: Option<String>,
    /// The actor's party.
    pub party: Option<String>,
    /// Date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The top-level chapter the passage is in, or null before the first heading.
    pub chapter: Option<ChapterRef>,
    /// The innermost section below the chapter, if any ("Mål 2" in chapter 4).
    pub section: Option<ChapterRef>,
    /// Topic ids of the passage.
    pub topics: Vec<String>,
    /// Relevance score (BM25).
    pub score: f32,
    /// The passage text around the matches.
    pub snippet: String,
    /// Byte ranges of matched words within `snippet`.
    pub highlights: Vec<[usize; 2]>,
    /// The passage's position in its document, from 0.
    pub passage: u32,
    /// Page number, for paged formats.
    pub page: Option<u32>,
    /// With grouping by document: how many of its passages matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched_passages: Option<usize>,
}

/// The result of a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// The number of matching passages (documents, when grouped).
    pub total_hits: usize,
    /// The hits, best first.
    pub hits: Vec<Hit>,
}

/// A document read back from the index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentView {
    /// Document id.
    pub doc_id: String,
    /// File path relative to the indexed folder.
    pub path: String,
    /// Title.
    pub title: String,
    /// Type.
    #[serde(rename = "type")]
    pub doc_type: String,
    /// Who speaks.
    pub actor: Option<String>,
    /// Party.
    pub party: Option<String>,
    /// Recipient.
    pub recipient: Option<String>,
    /// Date.
    pub date: Option<String>,
    /// Source URL.
    pub source: Option<String>,
    /// Language.
    pub language: Option<String>,
    /// The passages, in document order.
    pub passages: Vec<PassageView>,
}

/// One passage of a [`DocumentView`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassageView {
    /// Position in the document.
    pub ordinal: u32,
    /// Chapter path, outermost first.
    pub chapters: Vec<Chapter>,
    /// Page, for paged formats.
    pub page: Option<u32>,
    /// Topic ids.
    pub topics: Vec<String>,
    /// Text.
    pub text: String,
}

/// A query with its filters, and its text part alone (for snippets), if it has one.
type BuiltQuery = (Box<dyn Query>, Option<Box<dyn Query>>);

/// An open index to search.
pub struct Searcher {
    open: OpenIndex,
    reader: IndexReader,
}

fn text_of(doc: &TantivyDocument, f: Field) -> Option<String> {
    doc.get_first(f)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

fn u64_of(doc: &TantivyDocument, f: Field) -> Option<u64> {
    doc.get_first(f).and_then(|v| v.as_u64())
}

fn date_of(doc: &TantivyDocument, f: Field) -> Option<String> {
    let d = doc.get_first(f).and_then(|v| v.as_datetime())?;
    let secs = d.into_timestamp_secs();
    let date = time::OffsetDateTime::from_unix_timestamp(secs).ok()?.date();
    Some(format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        date.month() as u8,
        date.day()
    ))
}

/// Parses a filter date; `end` picks the last day of a year or month.
fn filter_date(name: &str, s: &str, end: bool) -> Result<DateTime> {
    let bad = |m: &str| Error::Filter {
        name: name.to_string(),
        message: format!("`{s}` {m}; write YYYY, YYYY-MM or YYYY-MM-DD"),
    };
    let parts: Vec<&str> = s.trim().split('-').collect();
    let num = |i: usize| {
        parts
            .get(i)
            .map(|p| p.parse::<u32>().map_err(|_| bad("is not a date")))
            .transpose()
    };
    let y = num(0)?.ok_or_else(|| bad("is not a date"))? as i32;
    let m = num(1)?;
    let d = num(2)?;
    if parts.len() > 3 {
        return Err(bad("is not a date"));
    }
    let month = |m: u32| time::Month::try_from(m as u8).map_err(|_| bad("has no such month"));
    let date = match (m, d, end) {
        (None, _, false) => time::Date::from_calendar_date(y, time::Month::January, 1),
        (None, _, true) => time::Date::from_calendar_date(y, time::Month::December, 31),
        (Some(m), None, false) => time::Date::from_calendar_date(y, month(m)?, 1),
        (Some(m), None, true) => {
            let mm = month(m)?;
            time::Date::from_calendar_date(y, mm, mm.length(y))
        }
        (Some(m), Some(d), _) => time::Date::from_calendar_date(y, month(m)?, d as u8),
    }
    .map_err(|_| bad("is not a real date"))?;
    Ok(DateTime::from_timestamp_secs(
        date.midnight().assume_utc().unix_timestamp(),
    ))
}

fn alternatives(value: &str) -> impl Iterator<Item = String> + '_ {
    value
        .split(',')
        .map(|v| v.trim().to_lowercase())
        .filter(|v| !v.is_empty())
}

fn any_of(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if queries.len() == 1 {
        return queries.into_iter().next().unwrap();
    }
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

fn term(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

impl Searcher {
    /// Opens the index in `dir`.
    pub fn open(dir: &Path) -> Result<Searcher> {
        let open = open_index(dir)?;
        let reader = open.index.reader()?;
        Ok(Searcher { open, reader })
    }

    /// What the index records about itself (corpus, taxonomy, files).
    pub fn meta(&self) -> &IndexMeta {
        &self.open.meta
    }

    fn fields(&self) -> &Fields {
        &self.open.fields
    }

    /// The filters as queries that must all match.
    fn filter_queries(&self, filters: &Filters) -> Result<Vec<Box<dyn Query>>> {
        let f = self.fields();
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        if let Some(actor) = &filters.actor {
            let mut words = analysis::analyzer(WORDS).expect("words analyzer");
            let mut qs = Vec::new();
            for alt in actor.split(',') {
                let terms: Vec<(usize, Term)> = analysis::tokens(&mut words, alt)
                    .into_iter()
                    .map(|t| (t.position, Term::from_field_text(f.actor_words, &t.text)))
                    .collect();
                match terms.len() {
                    0 => {}
                    1 => qs.push(term(
                        f.actor_words,
                        terms[0].1.value().as_str().unwrap_or(""),
                    )),
                    _ => qs.push(Box::new(PhraseQuery::new_with_offset(terms)) as Box<dyn Query>),
                }
            }
            if qs.is_empty() {
                return Err(Error::Filter {
                    name: "actor".into(),
                    message: format!("`{actor}` has no words to match"),
                });
            }
            out.push(any_of(qs));
        }
        for (value, field) in [
            (&filters.party, f.party),
            (&filters.doc_type, f.doc_type),
            (&filters.chapter, f.chapter_key),
        ] {
            if let Some(v) = value {
                out.push(any_of(alternatives(v).map(|a| term(field, &a)).collect()));
            }
        }
        if let Some(topic) = &filters.topic {
            let tax = &self.open.meta.taxonomy;
            let ids: Vec<Box<dyn Query>> = alternatives(topic)
                .map(|a| {
                    // A label names its topic too.
                    let id = tax
                        .topics
                        .iter()
                        .find(|t| t.label.to_lowercase() == a)
                        .map_or(a.clone(), |t| t.id.to_lowercase());
                    term(f.topics, &id)
                })
                .collect();
            out.push(any_of(ids));
        }
        if filters.from.is_some() || filters.to.is_some() {
            let lower = match &filters.from {
                Some(s) => Bound::Included(Term::from_field_date(
                    f.date,
                    filter_date("--from", s, false)?,
                )),
                None => Bound::Unbounded,
            };
            let upper = match &filters.to {
                Some(s) => {
                    Bound::Included(Term::from_field_date(f.date, filter_date("--to", s, true)?))
                }
                None => Bound::Unbounded,
            };
            out.push(Box::new(RangeQuery::new(lower, upper)));
        }
        Ok(out)
    }

    /// Parses the query text into a tantivy query over passage text, titles and headings.
    fn text_query(&self, text: &str) -> Result<Option<Box<dyn Query>>> {
        // Queries are normalised as documents are: NFC, no soft hyphens, plain spaces.
        let normalized = sokord_index::text::normalize(text);
        let t = normalized.trim();
        if t.is_empty() || t == "*" {
            return Ok(None);
        }
        let f = self.fields();
        let mut parser = QueryParser::new(
            self.open.index.schema(),
            vec![f.body, f.title, f.heading],
            analysis::query_manager(),
        );
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.title, 2.0);
        parser.set_field_boost(f.heading, 1.5);
        let q = parser.parse_query(t).map_err(|e| Error::Query {
            message: format!("{e}"),
            position: None,
        })?;
        Ok(Some(q))
    }

    /// The whole query (filters and text), and the text part alone for snippets.
    fn build_query(&self, req: &SearchRequest) -> Result<BuiltQuery> {
        let text = self.text_query(&req.query)?;
        let mut musts: Vec<(Occur, Box<dyn Query>)> = self
            .filter_queries(&req.filters)?
            .into_iter()
            .map(|q| (Occur::Must, q))
            .collect();
        let text_for_snippets = text.as_ref().map(|q| q.box_clone());
        match text {
            Some(q) => musts.push((Occur::Must, q)),
            None => musts.push((Occur::Must, Box::new(AllQuery))),
        }
        Ok((Box::new(BooleanQuery::new(musts)), text_for_snippets))
    }

    /// Runs a search.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let (query, text_query) = self.build_query(req)?;
        let searcher = self.reader.searcher();
        // Snippets come from the passage text; matches in the exact field are highlighted in
        // it too, with that field's analyzer.
        let mut snippets = Vec::new();
        if let Some(q) = &text_query {
            for field in [self.fields().body, self.fields().body_exact] {
                let mut g = SnippetGenerator::create(&searcher, q.as_ref(), field)?;
                g.set_max_num_chars(req.snippet_chars.max(40));
                snippets.push(g);
            }
        }
        let limit = req.limit.max(1);
        let (total_hits, found): (usize, Vec<(Score, DocAddress, Option<usize>)>) = match req.group
        {
            Grouping::Passage => {
                let (count, top) = searcher.search(
                    &query,
                    &(
                        Count,
                        TopDocs::with_limit(limit)
                            .and_offset(req.offset)
                            .order_by_score(),
                    ),
                )?;
                (count, top.into_iter().map(|(s, a)| (s, a, None)).collect())
            }
            Grouping::Doc => {
                let groups = searcher.search(&query, &DocGroups)?;
                let total = groups.len();
                let mut best: Vec<(Score, DocAddress, usize)> = groups.into_values().collect();
                best.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                let page = best.into_iter().skip(req.offset).take(limit);
                (total, page.map(|(s, a, n)| (s, a, Some(n))).collect())
            }
        };
        let mut hits = Vec::with_capacity(found.len());
        for (score, addr, matched) in found {
            let doc: TantivyDocument = searcher.doc(addr)?;
            hits.push(self.hit(&doc, score, &snippets, req.snippet_chars, matched));
        }
        Ok(SearchResults {
            query: req.query.clone(),
            total_hits,
            hits,
        })
    }

    fn hit(
        &self,
        doc: &TantivyDocument,
        score: Score,
        snippets: &[SnippetGenerator],
        max_chars: usize,
        matched_passages: Option<usize>,
    ) -> Hit {
        let f = self.fields();
        let chapters: Vec<Chapter> = text_of(doc, f.chapters)
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        let body = text_of(doc, f.body).unwrap_or_default();
        let best = snippets
            .iter()
            .map(|g| g.snippet(&body))
            .find(|s| !s.fragment().is_empty());
        let (snippet, highlights) = match best {
            Some(s) => (
                s.fragment().to_string(),
                s.highlighted().iter().map(|r| [r.start, r.end]).collect(),
            ),
            _ => (leading_text(&body, max_chars), Vec::new()),
        };
        Hit {
            doc_id: text_of(doc, f.doc_id).unwrap_or_default(),
            path: text_of(doc, f.path).unwrap_or_default(),
            title: text_of(doc, f.title).unwrap_or_default(),
            doc_type: text_of(doc, f.doc_type).unwrap_or_default(),
            actor: text_of(doc, f.actor),
            party: text_of(doc, f.party),
            date: date_of(doc, f.date),
            chapter: chapters.first().map(ChapterRef::from),
            section: chapters
                .get(1..)
                .and_then(|s| s.last())
                .map(ChapterRef::from),
            topics: doc
                .get_all(f.topics)
                .filter_map(|v| v.as_str())
                .map(str::to_string)
                .collect(),
            score,
            snippet,
            highlights,
            passage: u64_of(doc, f.ordinal).unwrap_or(0) as u32,
            page: u64_of(doc, f.page).map(|p| p as u32),
            matched_passages,
        }
    }

    /// Reads a document back, all of it or the passages of one chapter (as in [`Filters::chapter`]).
    pub fn document(&self, doc_id: &str, chapter: Option<&str>) -> Result<DocumentView> {
        let f = self.fields();
        let searcher = self.reader.searcher();
        let mut musts: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, term(f.doc_id, doc_id))];
        let all = searcher.search(
            &BooleanQuery::new(musts.iter().map(|(o, q)| (*o, q.box_clone())).collect()),
            &Count,
        )?;
        if all == 0 {
            return Err(Error::NoSuchDocument(doc_id.to_string()));
        }
        if let Some(c) = chapter {
            musts.push((
                Occur::Must,
                any_of(alternatives(c).map(|a| term(f.chapter_key, &a)).collect()),
            ));
        }
        let query = BooleanQuery::new(musts);
        let top = searcher.search(
            &query,
            &TopDocs::with_limit(all.max(1)).order_by_u64_field("ordinal", tantivy::Order::Asc),
        )?;
        let mut passages = Vec::new();
        let mut first: Option<TantivyDocument> = None;
        for (_, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            passages.push(PassageView {
                ordinal: u64_of(&doc, f.ordinal).unwrap_or(0) as u32,
                chapters: text_of(&doc, f.chapters)
                    .and_then(|s| serde_json::from_str(&s).ok())
                    .unwrap_or_default(),
                page: u64_of(&doc, f.page).map(|p| p as u32),
                topics: doc
                    .get_all(f.topics)
                    .filter_map(|v| v.as_str())
                    .map(str::to_string)
                    .collect(),
                text: text_of(&doc, f.body).unwrap_or_default(),
            });
            first.get_or_insert(doc);
        }
        // With a chapter that matches nothing, the metadata still comes from the document.
        let doc = match first {
            Some(d) => d,
            None => {
                let top = searcher.search(
                    &term(f.doc_id, doc_id),
                    &TopDocs::with_limit(1).order_by_score(),
                )?;
                searcher.doc(top[0].1)?
            }
        };
        let extra: serde_json::Value = text_of(&doc, f.extra)
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        let extra_str = |k: &str| extra.get(k).and_then(|v| v.as_str()).map(str::to_string);
        Ok(DocumentView {
            doc_id: doc_id.to_string(),
            path: text_of(&doc, f.path).unwrap_or_default(),
            title: text_of(&doc, f.title).unwrap_or_default(),
            doc_type: text_of(&doc, f.doc_type).unwrap_or_default(),
            actor: text_of(&doc, f.actor),
            party: text_of(&doc, f.party),
            recipient: text_of(&doc, f.recipient),
            date: date_of(&doc, f.date),
            source: extra_str("source"),
            language: extra_str("language"),
            passages,
        })
    }
}

/// The start of a passage, cut at a word boundary, for hits with no match in the passage text
/// (a filter-only search, or a match in the title).
fn leading_text(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(max_chars).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

/// Collects, per document id, the best passage's score and address and the number of matching
/// passages.
struct DocGroups;

struct DocGroupsSegment {
    segment: SegmentOrdinal,
    column: Option<StrColumn>,
    best: HashMap<u64, (Score, DocId, usize)>,
}

impl Collector for DocGroups {
    type Fruit = HashMap<String, (Score, DocAddress, usize)>;
    type Child = DocGroupsSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<DocGroupsSegment> {
        Ok(DocGroupsSegment {
            segment,
            column: reader.fast_fields().str("doc_id")?,
            best: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut all: Self::Fruit = HashMap::new();
        for fruit in fruits {
            for (id, (score, addr, n)) in fruit {
                let e = all.entry(id).or_insert((score, addr, 0));
                if score > e.0 {
                    e.0 = score;
                    e.1 = addr;
                }
                e.2 += n;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for DocGroupsSegment {
    type Fruit = HashMap<String, (Score, DocAddress, usize)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let Some(col) = &self.column else { return };
        if let Some(ord) = col.term_ords(doc).next() {
            let e = self.best.entry(ord).or_insert((score, doc, 0));
            if score > e.0 {
                e.0 = score;
                e.1 = doc;
            }
            e.2 += 1;
        }
    }

    fn harvest(self) -> Self::Fruit {
        let mut out = HashMap::with_capacity(self.best.len());
        let Some(col) = &self.column else { return out };
        let mut id = String::new();
        for (ord, (score, doc, n)) in self.best {
            id.clear();
            if col.ord_to_str(ord, &mut id).unwrap_or(false) {
                out.insert(id.clone(), (score, DocAddress::new(self.segment, doc), n));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_dates_cover_whole_years_and_months() {
        let day = |s: &str, end| {
            let d = filter_date("--from", s, end).unwrap().into_timestamp_secs();
            time::OffsetDateTime::from_unix_timestamp(d)
                .unwrap()
                .date()
                .to_string()
        };
        assert_eq!(day("2024", false), "2024-01-01");
        assert_eq!(day("2024", true), "2024-12-31");
        assert_eq!(day("2024-02", true), "2024-02-29");
        assert_eq!(day("2024-06-30", true), "2024-06-30");
        let err = filter_date("--to", "2024-02-30", true)
            .unwrap_err()
            .to_string();
        assert!(err.contains("--to") && err.contains("YYYY-MM-DD"), "{err}");
        assert!(filter_date("--from", "igår", false).is_err());
    }

    #[test]
    fn leading_text_cuts_at_a_word() {
        assert_eq!(leading_text("kort text", 100), "kort text");
        assert_eq!(leading_text("en lite längre text här", 12), "en lite…");
    }
}
