//! Searching an index: requests, filters, hits, grouping by document, and reading documents back.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, Count, DocSetCollector, SegmentCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query as TQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DateTime, DocAddress, DocId, IndexReader, Score, SegmentOrdinal, SegmentReader,
    TantivyDocument, Term,
};

use sokord_core::{open_index, Chapter, Fields, IndexMeta, OpenIndex};

use crate::compile::Compiler;
use crate::error::{Error, Result};
use crate::facet::{FacetCounts, Facets};
use crate::snippet::sentence_snippet;
use crate::stats::{self, GroupKey, GroupStats, Keywords, Stats};
use sokord_core::query::Query;

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

/// How to order hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// Best match first.
    #[default]
    Score,
    /// Newest first.
    Date,
}

/// A search to run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchRequest {
    /// The query (see [`Query`] for the language).
    pub query: Query,
    /// Filters, besides those the query names.
    pub filters: Filters,
    /// At most this many hits. By default, 10.
    pub limit: usize,
    /// Skip this many hits first. By default, 0.
    pub offset: usize,
    /// Passages or documents. By default, passages.
    pub group: Grouping,
    /// Longest snippet in characters. By default, 240.
    pub snippet_chars: usize,
    /// When all the words together match fewer hits than asked for, go on with the best
    /// partial matches (marked `partial`, not counted in `total_hits`). By default, on.
    pub fill_partial: bool,
    /// Order of hits. By default, by score.
    pub sort: SortBy,
    /// Explain each hit's score. By default, off.
    pub explain: bool,
    /// Count facets over the result set. By default, on.
    pub facets: bool,
}

impl SearchRequest {
    /// A request for a query with the defaults.
    pub fn new(query: Query) -> SearchRequest {
        SearchRequest {
            query,
            filters: Filters::default(),
            limit: 10,
            offset: 0,
            group: Grouping::Passage,
            snippet_chars: 240,
            fill_partial: true,
            sort: SortBy::Score,
            explain: false,
            facets: true,
        }
    }

    /// A request for a query string with the defaults; the string is normalised as documents
    /// are (NFC, soft hyphens removed) and parsed.
    pub fn parse(query: &str) -> Result<SearchRequest> {
        let normalized = sokord_analysis::normalize(query);
        Ok(SearchRequest::new(Query::parse(&normalized)?))
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
    /// Whether the hit matches only some of the query's words (filling a short result list).
    pub partial: bool,
    /// Why the hit scored as it did (with [`SearchRequest::explain`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<serde_json::Value>,
}

/// One keyword-in-context line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KwicLine {
    /// Document id.
    pub doc_id: String,
    /// File path relative to the indexed folder.
    pub path: String,
    /// Document title.
    pub title: String,
    /// Who speaks.
    pub actor: Option<String>,
    /// The actor's party.
    pub party: Option<String>,
    /// Date.
    pub date: Option<String>,
    /// The top-level chapter.
    pub chapter: Option<ChapterRef>,
    /// The passage's position in its document.
    pub passage: u32,
    /// Text before the match (whole words).
    pub left: String,
    /// The matched word, as written (a whole compound when a part matched).
    pub keyword: String,
    /// Text after the match (whole words).
    pub right: String,
}

/// Keyword-in-context lines for a query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KwicResults {
    /// The query.
    pub query: String,
    /// How many passages match.
    pub total_passages: usize,
    /// The lines, passage by passage in rank order.
    pub lines: Vec<KwicLine>,
}

/// Up to `width` characters of whole words at the end of `text`.
fn context_before(text: &str, width: usize) -> String {
    let flat: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for w in flat.iter().rev() {
        if out.chars().count() + w.chars().count() + 1 > width && !out.is_empty() {
            break;
        }
        out = if out.is_empty() {
            w.to_string()
        } else {
            format!("{w} {out}")
        };
    }
    if text.ends_with(char::is_whitespace) && !out.is_empty() {
        out.push(' ');
    }
    out
}

/// Up to `width` characters of whole words at the start of `text`.
fn context_after(text: &str, width: usize) -> String {
    let mut out = String::new();
    if text.starts_with(char::is_whitespace) {
        out.push(' ');
    }
    let mut first = true;
    for w in text.split_whitespace() {
        if out.chars().count() + w.chars().count() + 1 > width && !first {
            break;
        }
        if !first {
            out.push(' ');
        }
        out.push_str(w);
        first = false;
    }
    out
}

/// One group of a [`Comparison`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareGroup {
    /// Its counts.
    #[serde(flatten)]
    pub stats: GroupStats,
    /// Its most representative statements: best passages first, cited.
    pub statements: Vec<Hit>,
}

/// Groups side by side for one query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The query.
    pub query: String,
    /// The grouping.
    pub by: GroupKey,
    /// Matching documents in all.
    pub total_documents: usize,
    /// Matching passages in all.
    pub total_passages: usize,
    /// The groups, most matching passages first; groups without a match last.
    pub groups: Vec<CompareGroup>,
}

/// A topic's counts in one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicGroup {
    /// The group's value.
    pub key: String,
    /// Passages tagged with the topic.
    pub passages: usize,
    /// Documents with such passages.
    pub documents: usize,
}

/// One topic with its counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicStats {
    /// The topic's id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// Its definition.
    pub query: String,
    /// Passages tagged with it.
    pub passages: usize,
    /// Documents with such passages.
    pub documents: usize,
    /// The actors with most such passages.
    pub top_actors: Vec<TopicGroup>,
    /// Counts by the requested grouping.
    pub groups: Vec<TopicGroup>,
}

/// The taxonomy with counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicOverview {
    /// The grouping of `groups`, if any.
    pub by: Option<GroupKey>,
    /// The topics, in the taxonomy's order.
    pub topics: Vec<TopicStats>,
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
    /// How the matching passages (documents, when grouped) spread over actors, parties, types,
    /// years, topics and chapters.
    pub facets: FacetCounts,
}

/// The result of [`Searcher::rank`]: the best passages (or documents) for a query as bare
/// references, without reading their text, and how many match in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranking {
    /// The query as given.
    pub query: String,
    /// The number of matching passages (documents, when grouped).
    pub total_hits: usize,
    /// The hits, best first.
    pub hits: Vec<Ranked>,
}

/// One hit of a [`Ranking`]: which passage, and how well it matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    /// The document's id; [`Searcher::document`] reads it back.
    pub doc_id: String,
    /// The passage's position in its document (the best passage, when grouped by document).
    pub passage: u32,
    /// Relevance score (0 when sorted by date).
    pub score: f32,
    /// When grouped by document: how many of its passages matched.
    pub matched_passages: Option<usize>,
    /// A partial match (see [`SearchRequest::fill_partial`]).
    pub partial: bool,
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

/// A hit before its document is read.
struct Found {
    score: Score,
    address: DocAddress,
    matched: Option<usize>,
    partial: bool,
    doc_id: String,
}

/// A query ranked: the query run with its filters, its text part (for snippets), the number of
/// matches and the page of hits asked for.
struct Page {
    query: Box<dyn TQuery>,
    text: Option<Box<dyn TQuery>>,
    total: usize,
    hits: Vec<Found>,
}

/// The hits wanted and the number of all matches.
struct Collected {
    total: usize,
    hits: Vec<Found>,
}

/// What ranking reads for each hit of a segment without touching the document store: the
/// documents' ids by their term ordinal in the `doc_id` fast field, each passage's id ordinal
/// and its position in its document. Read once per segment (a dictionary lookup per hit costs
/// a block's decompression) and kept while the segment lives.
struct SegmentLookup {
    /// The ids one after another; `ends[o]` is where the id of ordinal `o` ends.
    ids: String,
    ends: Vec<u32>,
    id_ords: Option<Column<u64>>,
    ordinals: Option<Column<u64>>,
}

impl SegmentLookup {
    fn load(reader: &SegmentReader) -> Result<SegmentLookup> {
        let ff = reader.fast_fields();
        let mut ids = String::new();
        let mut ends = Vec::new();
        let mut id_ords = None;
        if let Some(col) = ff.str("doc_id")? {
            let dictionary = col.dictionary();
            ends.reserve(dictionary.num_terms());
            let mut terms = dictionary.stream().map_err(tantivy::TantivyError::from)?;
            while terms.advance() {
                ids.push_str(&String::from_utf8_lossy(terms.key()));
                ends.push(ids.len() as u32);
            }
            id_ords = Some(col.ords().clone());
        }
        Ok(SegmentLookup {
            ids,
            ends,
            id_ords,
            ordinals: ff.u64("ordinal").ok(),
        })
    }

    /// The term ordinal of a passage's document id.
    fn id_ord(&self, doc: DocId) -> Option<u64> {
        self.id_ords.as_ref()?.first(doc)
    }

    fn doc_id(&self, doc: DocId) -> &str {
        self.id_ord(doc).map_or("", |o| self.id(o))
    }

    /// The id with term ordinal `ord`.
    fn id(&self, ord: u64) -> &str {
        let ord = ord as usize;
        let Some(&end) = self.ends.get(ord) else {
            return "";
        };
        let start = if ord == 0 { 0 } else { self.ends[ord - 1] };
        &self.ids[start as usize..end as usize]
    }

    fn ordinal(&self, doc: DocId) -> u32 {
        self.ordinals
            .as_ref()
            .and_then(|c| c.first(doc))
            .unwrap_or(0) as u32
    }
}

/// A query with its filters, the filters alone, and the query's text part.
type Prepared = (Box<dyn TQuery>, Box<dyn TQuery>, Option<Box<dyn TQuery>>);

/// An open index to search.
pub struct Searcher {
    open: OpenIndex,
    reader: IndexReader,
    lookups: Mutex<HashMap<SegmentId, Arc<SegmentLookup>>>,
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

fn term(field: Field, value: &str) -> Box<dyn TQuery> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

impl Searcher {
    /// Opens the index in `dir`.
    ///
    /// An indexer in another process may commit while this opens, and tantivy deletes the files
    /// of older commits that no reader *in its own process* holds (a rebuild deletes the older
    /// generation): a file or generation that vanished between reading the index's records and
    /// opening it is not damage. Opening then starts again from the newer records, a few times,
    /// before an error is reported.
    pub fn open(dir: &Path) -> Result<Searcher> {
        const ATTEMPTS: u64 = 5;
        let mut attempt = 1;
        loop {
            match Searcher::open_once(dir) {
                Err(e) if attempt < ATTEMPTS && e.may_be_a_concurrent_commit() => {
                    std::thread::sleep(std::time::Duration::from_millis(20 * attempt));
                    attempt += 1;
                }
                result => return result,
            }
        }
    }

    fn open_once(dir: &Path) -> Result<Searcher> {
        let open = open_index(dir)?;
        let reader = open.index.reader()?;
        Ok(Searcher {
            open,
            reader,
            lookups: Mutex::new(HashMap::new()),
        })
    }

    /// What the index records about itself (corpus, taxonomy, files).
    pub fn meta(&self) -> &IndexMeta {
        &self.open.meta
    }

    /// Each segment's [`SegmentLookup`], by segment ordinal; read on first use and kept while
    /// the segment is in the index.
    fn lookups(&self, searcher: &tantivy::Searcher) -> Result<Vec<Arc<SegmentLookup>>> {
        let mut cache = self.lookups.lock().unwrap_or_else(|e| e.into_inner());
        let live: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|r| r.segment_id())
            .collect();
        cache.retain(|id, _| live.contains(id));
        let mut out = Vec::with_capacity(live.len());
        for (reader, id) in searcher.segment_readers().iter().zip(live) {
            let lookup = match cache.get(&id) {
                Some(l) => l.clone(),
                None => {
                    let l = Arc::new(SegmentLookup::load(reader)?);
                    cache.insert(id, l.clone());
                    l
                }
            };
            out.push(lookup);
        }
        Ok(out)
    }

    /// Highlighters for a query's matches in a passage's text: the `body` field's terms and,
    /// with that field's analyzer, the `exact` field's.
    fn snippet_generators(
        &self,
        searcher: &tantivy::Searcher,
        text: &dyn TQuery,
    ) -> Result<Vec<SnippetGenerator>> {
        let f = self.fields();
        let mut generators = Vec::with_capacity(2);
        for field in [f.body, f.body_exact] {
            let mut g = SnippetGenerator::create(searcher, text, field)?;
            // Every match in the passage: the snippet's window is chosen afterwards.
            g.set_max_num_chars(PASSAGE_CHARS);
            generators.push(g);
        }
        Ok(generators)
    }

    fn fields(&self) -> &Fields {
        &self.open.fields
    }

    /// The best passages (or documents) for a query as references: what the request asks for,
    /// without reading the passages. Much cheaper than [`Searcher::search`] when only the
    /// ranking is wanted (ids to cite, counts); facets and snippets are not computed.
    pub fn rank(&self, req: &SearchRequest) -> Result<Ranking> {
        let searcher = self.reader.searcher();
        let page = self.page(&searcher, req)?;
        let lookups = self.lookups(&searcher)?;
        let mut hits = Vec::with_capacity(page.hits.len());
        for h in page.hits {
            let a = h.address;
            hits.push(Ranked {
                doc_id: h.doc_id,
                passage: lookups[a.segment_ord as usize].ordinal(a.doc_id),
                score: h.score,
                matched_passages: h.matched,
                partial: h.partial,
            });
        }
        Ok(Ranking {
            query: req.query.to_string(),
            total_hits: page.total,
            hits,
        })
    }

    /// Compiles and runs a request: its query, its text part, the number of matches and the
    /// page of hits it asks for (partial matches filled in when asked).
    fn page(&self, searcher: &tantivy::Searcher, req: &SearchRequest) -> Result<Page> {
        let f = self.fields();
        let mut compiler = Compiler::new(
            f,
            &self.open.meta.taxonomy,
            self.open.meta.analysis,
            searcher,
        );
        let filters = compiler.filters(&req.filters)?;
        let text = compiler.compile(&req.query)?;
        let must = |core: Option<Box<dyn TQuery>>| -> Box<dyn TQuery> {
            let core = core.unwrap_or_else(|| Box::new(AllQuery));
            if filters.is_empty() {
                return core;
            }
            let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = filters
                .iter()
                .map(|q| (Occur::Must, q.box_clone()))
                .collect();
            clauses.push((Occur::Must, core));
            Box::new(BooleanQuery::new(clauses))
        };
        let query = must(text.as_ref().map(|q| q.box_clone()));

        let limit = req.limit.max(1);
        let mut found = self.collect(searcher, query.as_ref(), req, limit + req.offset)?;
        let total_hits = found.total;
        let mut page: Vec<Found> = found.hits.drain(..).skip(req.offset).take(limit).collect();

        // Too few hits for all the words: go on with hits for some of them.
        let conjuncts = req.query.conjuncts();
        if req.fill_partial && conjuncts.len() >= 2 && total_hits < req.offset + limit {
            let mut some: Vec<Box<dyn TQuery>> = Vec::new();
            for c in &conjuncts {
                some.extend(compiler.compile(c)?);
            }
            if some.len() >= 2 {
                let any = Box::new(BooleanQuery::new(
                    some.into_iter().map(|q| (Occur::Should, q)).collect(),
                ));
                let partial = Box::new(BooleanQuery::new(vec![
                    (Occur::Must, must(Some(any))),
                    (Occur::MustNot, query.box_clone()),
                ]));
                let skip = req.offset.saturating_sub(total_hits);
                let want = req.offset + limit - total_hits.max(req.offset);
                let seen: std::collections::HashSet<String> =
                    page.iter().map(|h| h.doc_id.clone()).collect();
                let more =
                    self.collect(searcher, partial.as_ref(), req, skip + want + seen.len())?;
                let extra = more
                    .hits
                    .into_iter()
                    .filter(|h| req.group == Grouping::Passage || !seen.contains(&h.doc_id))
                    .skip(skip)
                    .take(want)
                    .map(|h| Found { partial: true, ..h });
                page.extend(extra);
            }
        }
        Ok(Page {
            query,
            text,
            total: total_hits,
            hits: page,
        })
    }

    /// Runs a search: the hits with their citations and snippets, and facets when asked.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let Page {
            query,
            text,
            total: total_hits,
            hits: page,
        } = self.page(&searcher, req)?;

        // Snippets come from the passage text; matches in the exact field are highlighted in
        // it too, with that field's analyzer.
        let snippets = match &text {
            Some(q) => self.snippet_generators(&searcher, q.as_ref())?,
            None => Vec::new(),
        };

        let mut hits = Vec::with_capacity(page.len());
        for h in page {
            let doc: TantivyDocument = searcher.doc(h.address)?;
            let mut hit = self.hit(&doc, h.score, &snippets, req.snippet_chars, h.matched);
            hit.partial = h.partial;
            if req.explain {
                let e = query.explain(&searcher, h.address)?;
                hit.explain = serde_json::from_str(&e.to_pretty_json()).ok();
            }
            hits.push(hit);
        }
        let facets = if req.facets {
            searcher.search(
                query.as_ref(),
                &Facets {
                    by_doc: req.group == Grouping::Doc,
                },
            )?
        } else {
            FacetCounts::default()
        };
        Ok(SearchResults {
            query: req.query.to_string(),
            total_hits,
            hits,
            facets,
        })
    }

    /// The best `want` passages (or documents) for a query, in the request's order, and how
    /// many match in all.
    fn collect(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn TQuery,
        req: &SearchRequest,
        want: usize,
    ) -> Result<Collected> {
        let want = want.max(1);
        let found = match req.group {
            Grouping::Passage => {
                let (count, top) = match req.sort {
                    SortBy::Score => {
                        let (c, t) = searcher
                            .search(query, &(Count, TopDocs::with_limit(want).order_by_score()))?;
                        (c, t)
                    }
                    SortBy::Date => {
                        let (c, t) = searcher.search(
                            query,
                            &(
                                Count,
                                TopDocs::with_limit(want)
                                    .order_by_fast_field::<DateTime>("date", tantivy::Order::Desc),
                            ),
                        )?;
                        (c, t.into_iter().map(|(_, a)| (0.0, a)).collect())
                    }
                };
                let lookups = self.lookups(searcher)?;
                let hits = top
                    .into_iter()
                    .map(|(score, address)| Found {
                        score,
                        address,
                        matched: None,
                        partial: false,
                        doc_id: lookups[address.segment_ord as usize]
                            .doc_id(address.doc_id)
                            .to_string(),
                    })
                    .collect();
                Collected { total: count, hits }
            }
            Grouping::Doc => {
                let groups = searcher.search(
                    query,
                    &DocGroups {
                        lookups: self.lookups(searcher)?,
                    },
                )?;
                let total = groups.len();
                let mut best: Vec<(String, Score, DocAddress, usize)> = groups
                    .into_iter()
                    .map(|(id, (s, a, n))| (id, s, a, n))
                    .collect();
                match req.sort {
                    SortBy::Score => best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2))),
                    SortBy::Date => {
                        let mut dated = Vec::with_capacity(best.len());
                        for g in best {
                            let d: TantivyDocument = searcher.doc(g.2)?;
                            dated.push((date_of(&d, self.fields().date).unwrap_or_default(), g));
                        }
                        dated.sort_by(|a, b| b.0.cmp(&a.0).then(b.1 .1.total_cmp(&a.1 .1)));
                        best = dated.into_iter().map(|(_, g)| g).collect();
                    }
                }
                let hits = best
                    .into_iter()
                    .take(want)
                    .map(|(doc_id, score, address, n)| Found {
                        score,
                        address,
                        matched: Some(n),
                        partial: false,
                        doc_id,
                    })
                    .collect();
                Collected { total, hits }
            }
        };
        Ok(found)
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
        let body = text_of(doc, f.text).unwrap_or_default();
        let (snippet, highlights) = match passage_highlights(snippets, &body) {
            marks if marks.is_empty() => (leading_text(&body, max_chars), Vec::new()),
            marks => sentence_snippet(&body, &marks, max_chars),
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
            partial: false,
            explain: None,
        }
    }

    /// Keyword-in-context lines: every match of the query in the best passages, with `width`
    /// characters of context on each side. The request's limit counts lines; grouping, partial
    /// filling and snippets do not apply.
    pub fn kwic(&self, req: &SearchRequest, width: usize) -> Result<KwicResults> {
        let f = self.fields();
        let searcher = self.reader.searcher();
        let mut compiler = Compiler::new(
            f,
            &self.open.meta.taxonomy,
            self.open.meta.analysis,
            &searcher,
        );
        let filters = compiler.filters(&req.filters)?;
        let Some(text) = compiler.compile(&req.query)? else {
            return Ok(KwicResults {
                query: req.query.to_string(),
                total_passages: 0,
                lines: Vec::new(),
            });
        };
        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> =
            filters.into_iter().map(|q| (Occur::Must, q)).collect();
        clauses.push((Occur::Must, text.box_clone()));
        let query = BooleanQuery::new(clauses);
        let generators = self.snippet_generators(&searcher, text.as_ref())?;
        let passages = SearchRequest {
            group: Grouping::Passage,
            ..req.clone()
        };
        let limit = req.limit.max(1);
        let found = self.collect(&searcher, &query, &passages, req.offset + limit)?;
        let mut lines = Vec::new();
        'passages: for h in found.hits {
            let doc: TantivyDocument = searcher.doc(h.address)?;
            let body = text_of(&doc, f.text).unwrap_or_default();
            let cite = self.hit(&doc, h.score, &[], 0, None);
            for m in passage_highlights(&generators, &body) {
                if lines.len() >= req.offset + limit {
                    break 'passages;
                }
                lines.push(KwicLine {
                    doc_id: cite.doc_id.clone(),
                    path: cite.path.clone(),
                    title: cite.title.clone(),
                    actor: cite.actor.clone(),
                    party: cite.party.clone(),
                    date: cite.date.clone(),
                    chapter: cite.chapter.clone(),
                    passage: cite.passage,
                    left: context_before(&body[..m.start], width),
                    keyword: body[m.clone()].to_string(),
                    right: context_after(&body[m.end..], width),
                });
            }
        }
        Ok(KwicResults {
            query: req.query.to_string(),
            total_passages: found.total,
            lines: lines.into_iter().skip(req.offset).collect(),
        })
    }

    /// The query with its filters, and the filters alone (the population the query is counted
    /// in), as tantivy queries.
    fn query_and_population(
        &self,
        searcher: &tantivy::Searcher,
        req: &SearchRequest,
    ) -> Result<Prepared> {
        let f = self.fields();
        let mut compiler = Compiler::new(
            f,
            &self.open.meta.taxonomy,
            self.open.meta.analysis,
            searcher,
        );
        let filters = compiler.filters(&req.filters)?;
        let text = compiler.compile(&req.query)?;
        let with = |core: Option<Box<dyn TQuery>>| -> Box<dyn TQuery> {
            let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = filters
                .iter()
                .map(|q| (Occur::Must, q.box_clone()))
                .collect();
            clauses.push((Occur::Must, core.unwrap_or_else(|| Box::new(AllQuery))));
            Box::new(BooleanQuery::new(clauses))
        };
        Ok((with(text.as_ref().map(|t| t.box_clone())), with(None), text))
    }

    /// Counts of a query's matching documents and passages by group, with each group's rate per
    /// 10,000 words of its text (within the request's filters).
    pub fn stats(&self, req: &SearchRequest, by: GroupKey) -> Result<Stats> {
        let searcher = self.reader.searcher();
        let (query, population, _) = self.query_and_population(&searcher, req)?;
        let matched = stats::tally(&searcher, query.as_ref(), by, 0)?;
        let all = stats::tally(&searcher, population.as_ref(), by, 0)?;
        Ok(stats::stats(req.query.to_string(), by, &matched, &all))
    }

    /// Groups side by side: for each group its counts and its `top` most representative
    /// statements (best passages, cited). Groups without a match are listed, with none.
    pub fn compare(&self, req: &SearchRequest, by: GroupKey, top: usize) -> Result<Comparison> {
        let searcher = self.reader.searcher();
        let (query, population, text) = self.query_and_population(&searcher, req)?;
        let matched = stats::tally(&searcher, query.as_ref(), by, top)?;
        let all = stats::tally(&searcher, population.as_ref(), by, 0)?;
        let counts = stats::stats(req.query.to_string(), by, &matched, &all);
        let generators = match &text {
            Some(t) => self.snippet_generators(&searcher, t.as_ref())?,
            None => Vec::new(),
        };
        let mut groups = Vec::new();
        for g in counts.groups {
            let mut statements = Vec::new();
            for (score, address) in matched.get(&g.key).map_or(&[][..], |t| &t.best[..]) {
                let doc: TantivyDocument = searcher.doc(*address)?;
                statements.push(self.hit(&doc, *score, &generators, req.snippet_chars, None));
            }
            groups.push(CompareGroup {
                stats: g,
                statements,
            });
        }
        groups.sort_by(|a, b| {
            b.stats
                .passages
                .cmp(&a.stats.passages)
                .then(a.stats.key.cmp(&b.stats.key))
        });
        Ok(Comparison {
            query: counts.query,
            by,
            total_documents: counts.total_documents,
            total_passages: counts.total_passages,
            groups,
        })
    }

    /// Term counts of the passages two queries match, read from the inverted index of the
    /// passages' lemma terms (one pass over its postings, not over the texts).
    fn term_counts(
        &self,
        searcher: &tantivy::Searcher,
        subset: &dyn TQuery,
        reference: &dyn TQuery,
    ) -> Result<(stats::TermCounts, stats::TermCounts)> {
        use tantivy::postings::Postings;
        use tantivy::BitSet;
        use tantivy::DocSet;
        let f = self.fields();
        let segments = searcher.segment_readers();
        let members = |q: &dyn TQuery| -> Result<Vec<BitSet>> {
            let mut sets: Vec<BitSet> = segments
                .iter()
                .map(|s| BitSet::with_max_value(s.max_doc()))
                .collect();
            for a in searcher.search(q, &DocSetCollector)? {
                sets[a.segment_ord as usize].insert(a.doc_id);
            }
            Ok(sets)
        };
        let (sub_docs, ref_docs) = (members(subset)?, members(reference)?);
        let (mut a, mut b) = (stats::TermCounts::default(), stats::TermCounts::default());
        for (ord, segment) in segments.iter().enumerate() {
            let index = segment.inverted_index(f.lemma)?;
            let mut terms = index
                .terms()
                .stream()
                .map_err(tantivy::TantivyError::from)?;
            while terms.advance() {
                let Ok(term) = std::str::from_utf8(terms.key()) else {
                    continue;
                };
                if !stats::counts_as_word(term) {
                    continue;
                }
                let mut postings = index
                    .read_postings_from_terminfo(
                        terms.value(),
                        tantivy::schema::IndexRecordOption::WithFreqs,
                    )
                    .map_err(tantivy::TantivyError::from)?;
                let (mut in_a, mut in_b) = (0u64, 0u64);
                let mut doc = postings.doc();
                while doc != tantivy::TERMINATED {
                    let tf = postings.term_freq() as u64;
                    if sub_docs[ord].contains(doc) {
                        in_a += tf;
                    }
                    if ref_docs[ord].contains(doc) {
                        in_b += tf;
                    }
                    doc = postings.advance();
                }
                for (counts, n) in [(&mut a, in_a), (&mut b, in_b)] {
                    if n > 0 {
                        *counts.counts.entry(term.to_string()).or_default() += n;
                        counts.tokens += n;
                    }
                }
            }
        }
        Ok((a, b))
    }

    /// The most frequent written form of each term in the passages a query matches, for the
    /// terms given: read from a few passages per term.
    fn surface_forms(
        &self,
        searcher: &tantivy::Searcher,
        subset: &dyn TQuery,
        terms: &[String],
    ) -> Result<HashMap<String, String>> {
        let f = self.fields();
        let mut analyzer = self.open.meta.analysis.query_analyzer();
        let mut out = HashMap::new();
        for t in terms {
            let q = BooleanQuery::new(vec![
                (Occur::Must, subset.box_clone()),
                (Occur::Must, term(f.lemma, t)),
            ]);
            let mut forms: HashMap<String, u64> = HashMap::new();
            for (_, address) in searcher.search(&q, &TopDocs::with_limit(5).order_by_score())? {
                let doc: TantivyDocument = searcher.doc(address)?;
                let text = text_of(&doc, f.text).unwrap_or_default();
                for tok in sokord_core::analyzers::tokens(&mut analyzer, &text) {
                    if &tok.text == t {
                        *forms
                            .entry(text[tok.offset_from..tok.offset_to].to_lowercase())
                            .or_default() += 1;
                    }
                }
            }
            if let Some((w, _)) = forms
                .into_iter()
                .max_by(|x, y| x.1.cmp(&y.1).then(y.0.cmp(&x.0)))
            {
                out.insert(t.clone(), w);
            }
        }
        Ok(out)
    }

    /// The words most distinctive of the passages `subset` matches, against those `reference`
    /// matches, or against all other passages when there is no reference: log-likelihood
    /// keyness on lemmas, with the log ratio as effect size. Words seen fewer than `min_count`
    /// times in the subset are left out.
    pub fn keywords(
        &self,
        subset: &SearchRequest,
        reference: Option<&SearchRequest>,
        top: usize,
        min_count: u64,
    ) -> Result<Keywords> {
        let searcher = self.reader.searcher();
        let (sub_q, _, _) = self.query_and_population(&searcher, subset)?;
        let (ref_q, reference_name) = match reference {
            Some(r) => (
                self.query_and_population(&searcher, r)?.0,
                r.query.to_string(),
            ),
            None => {
                let rest = BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery) as Box<dyn TQuery>),
                    (Occur::MustNot, sub_q.box_clone()),
                ]);
                (Box::new(rest) as Box<dyn TQuery>, "the rest".to_string())
            }
        };
        let (a, b) = self.term_counts(&searcher, sub_q.as_ref(), ref_q.as_ref())?;
        let mut keywords = stats::keyness(&a, &b, top, min_count);
        let terms: Vec<String> = keywords.iter().map(|k| k.term.clone()).collect();
        let forms = self.surface_forms(&searcher, sub_q.as_ref(), &terms)?;
        for k in &mut keywords {
            if let Some(w) = forms.get(&k.term) {
                k.word = w.clone();
            }
        }
        Ok(Keywords {
            subset: subset.query.to_string(),
            reference: reference_name,
            subset_words: a.tokens,
            reference_words: b.tokens,
            keywords,
        })
    }

    /// The topic taxonomy with, for each topic, the passages and documents tagged with it (within
    /// the request's query and filters), the actors who say most about it, and counts by `by`.
    pub fn topics(
        &self,
        req: &SearchRequest,
        by: Option<GroupKey>,
        top_actors: usize,
    ) -> Result<TopicOverview> {
        let searcher = self.reader.searcher();
        let mut topics = Vec::new();
        for topic in &self.open.meta.taxonomy.topics {
            let mut r = req.clone();
            r.filters.topic = Some(topic.id.clone());
            let (query, _, _) = self.query_and_population(&searcher, &r)?;
            let by_actor = stats::tally(&searcher, query.as_ref(), GroupKey::Actor, 0)?;
            let mut actors: Vec<TopicGroup> = by_actor
                .iter()
                .map(|(k, t)| TopicGroup {
                    key: k.clone(),
                    passages: t.passages,
                    documents: t.documents.len(),
                })
                .collect();
            let passages = actors.iter().map(|a| a.passages).sum();
            let documents = by_actor
                .values()
                .flat_map(|t| t.documents.iter())
                .collect::<std::collections::HashSet<_>>()
                .len();
            actors.sort_by(|a, b| b.passages.cmp(&a.passages).then(a.key.cmp(&b.key)));
            actors.truncate(top_actors);
            let groups = match by {
                Some(key) => stats::tally(&searcher, query.as_ref(), key, 0)?
                    .into_iter()
                    .map(|(k, t)| TopicGroup {
                        key: k,
                        passages: t.passages,
                        documents: t.documents.len(),
                    })
                    .collect(),
                None => Vec::new(),
            };
            topics.push(TopicStats {
                id: topic.id.clone(),
                label: topic.label.clone(),
                query: topic.query.clone(),
                passages,
                documents,
                top_actors: actors,
                groups,
            });
        }
        Ok(TopicOverview { by, topics })
    }

    /// Reads a document back, all of it or the passages of one chapter (as in [`Filters::chapter`]).
    pub fn document(&self, doc_id: &str, chapter: Option<&str>) -> Result<DocumentView> {
        let f = self.fields();
        let searcher = self.reader.searcher();
        let mut musts: Vec<(Occur, Box<dyn TQuery>)> = vec![(Occur::Must, term(f.doc_id, doc_id))];
        let all = searcher.search(
            &BooleanQuery::new(musts.iter().map(|(o, q)| (*o, q.box_clone())).collect()),
            &Count,
        )?;
        if all == 0 {
            return Err(Error::NoSuchDocument(doc_id.to_string()));
        }
        if let Some(c) = chapter {
            let only = Filters {
                chapter: Some(c.to_string()),
                ..Filters::default()
            };
            let mut compiler = Compiler::new(
                f,
                &self.open.meta.taxonomy,
                self.open.meta.analysis,
                &searcher,
            );
            musts.extend(
                compiler
                    .filters(&only)?
                    .into_iter()
                    .map(|q| (Occur::Must, q)),
            );
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
                text: text_of(&doc, f.text).unwrap_or_default(),
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

/// Longer than any passage: snippet generators see the whole passage.
const PASSAGE_CHARS: usize = 1 << 16;

/// The byte ranges of every match in a passage, from the text and exact-field generators.
pub(crate) fn passage_highlights(
    generators: &[SnippetGenerator],
    text: &str,
) -> Vec<std::ops::Range<usize>> {
    let mut marks: Vec<std::ops::Range<usize>> = generators
        .iter()
        .flat_map(|g| {
            let s = g.snippet(text);
            let base = s.fragment_range().start;
            s.highlighted()
                .iter()
                .map(move |r| r.start + base..r.end + base)
                .collect::<Vec<_>>()
        })
        .collect();
    marks.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    marks.dedup_by(|b, a| b.start < a.end);
    marks
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
struct DocGroups {
    lookups: Vec<Arc<SegmentLookup>>,
}

struct DocGroupsSegment {
    segment: SegmentOrdinal,
    lookup: Arc<SegmentLookup>,
    best: HashMap<u64, (Score, DocId, usize)>,
}

impl Collector for DocGroups {
    type Fruit = HashMap<String, (Score, DocAddress, usize)>;
    type Child = DocGroupsSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<DocGroupsSegment> {
        Ok(DocGroupsSegment {
            segment,
            lookup: self.lookups[segment as usize].clone(),
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
        if let Some(ord) = self.lookup.id_ord(doc) {
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
        for (ord, (score, doc, n)) in self.best {
            out.insert(
                self.lookup.id(ord).to_string(),
                (score, DocAddress::new(self.segment, doc), n),
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kwic_context_keeps_whole_words() {
        assert_eq!(
            context_before("en lång rad med ord före ", 12),
            "med ord före "
        );
        assert_eq!(
            context_after(" efter ordet kommer mer text", 12),
            " efter ordet"
        );
        assert_eq!(context_after(", sa hon.", 20), ", sa hon.");
    }

    #[test]
    fn leading_text_cuts_at_a_word() {
        assert_eq!(leading_text("kort text", 100), "kort text");
        assert_eq!(leading_text("en lite längre text här", 12), "en lite…");
    }
}
