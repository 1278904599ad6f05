//! The searcher: an open index, ranked and paged hits, and the hits read back with citations.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query as TQuery};
use tantivy::{DateTime, DocAddress, IndexReader, Score, TantivyDocument};

use sokord_core::layout::{commit_counter, meta_stamp, read_meta};
use sokord_core::parties::PartyTable;
use sokord_core::{open_index, Fields, IndexMeta, OpenIndex};

use crate::analytics::{Comparison, TopicOverview};
use crate::collectors::DocGroups;
use crate::compile::Compiler;
use crate::document::DocumentView;
use crate::error::Result;
use crate::facet::{FacetCounts, Facets};
use crate::hits::{Hit, KwicResults, Ranked, Ranking, SearchResults};
use crate::request::{Filters, Grouping, SearchRequest, SortBy};
use crate::segments::SegmentLookups;
use crate::snippet::Highlighter;
use crate::stats::{Counts, GroupKey, Keywords, Stats};

/// An open index to search.
///
/// A searcher follows its index: each search first looks whether the index has changed (one
/// `stat` of `sokord.json`, and a counter that writers of the same process raise), and answers
/// from the newest commit, or the new generation a rebuild made. A commit of a
/// `sokord_index::Writer` in the same process is seen by the next search at once; one of another
/// process as soon as its run has finished. Searches already running finish on what they
/// started with. A `Searcher` can be shared by threads (`&Searcher` is enough to search).
pub struct Searcher {
    dir: PathBuf,
    current: RwLock<Arc<Snapshot>>,
    /// What the current snapshot was opened from: `sokord.json`'s stamp and the commit counter.
    seen: Mutex<Seen>,
    commits: Arc<AtomicU64>,
}

#[derive(Clone, Copy, PartialEq)]
struct Seen {
    stamp: Option<(std::time::SystemTime, u64, u64)>,
    commits: u64,
}

/// The index as one search sees it: a generation, a reader of its commits, and the per-segment
/// lookups ranking reads.
pub(crate) struct Snapshot {
    pub(crate) open: OpenIndex,
    pub(crate) reader: IndexReader,
    pub(crate) lookups: SegmentLookups,
    /// The parties the index knows: the built-in table and its manifest's.
    pub(crate) parties: Arc<PartyTable>,
    /// The facets of the whole index (no query, no filter: a web page's first view), by passage
    /// and by document, for the segments they were counted on.
    whole_index_facets: Mutex<Vec<WholeIndexFacets>>,
    /// The lemma terms' totals, once read (`keywords`).
    pub(crate) totals: Mutex<Option<Arc<sokord_core::totals::TermTotals>>>,
}

/// A hit before its document is read.
pub(crate) struct Found {
    pub(crate) score: Score,
    pub(crate) address: DocAddress,
    matched: Option<usize>,
    partial: bool,
    doc_id: String,
    /// Whether the whole query matches the passage (not so for a document matched as a whole
    /// whose parts stand in different passages): only then can it be explained.
    whole: bool,
    /// Whether the counts count the passage, when the search already knows.
    counted: Option<bool>,
}

/// A query ranked: the query run with its filters, its words and phrases (for snippets), the
/// number of matches and the page of hits asked for.
struct Page {
    query: Box<dyn TQuery>,
    units: Vec<crate::compile::TextUnit>,
    total: usize,
    /// Passages found only more loosely, when counted.
    loose: Option<usize>,
    hits: Vec<Found>,
    /// The passages facets count, when not those `query` matches (documents matched as wholes).
    facets_over: Option<Box<dyn TQuery>>,
    exact_forms: bool,
    truncated: Vec<crate::hits::TruncatedExpansion>,
}

/// The hits wanted and the number of all matches.
pub(crate) struct Collected {
    pub(crate) total: usize,
    pub(crate) hits: Vec<Found>,
}

/// The whole index's facets as counted on some segments (and their deletions), by passage or
/// by document.
type WholeIndexFacets = (Vec<(tantivy::index::SegmentId, u32)>, bool, FacetCounts);

/// A passage's place in a ranking: its score, then its document's number and its own number
/// within the document, the smaller first.
type PassageKey = (Score, std::cmp::Reverse<u32>, std::cmp::Reverse<u32>);

impl Searcher {
    /// Opens the index in `dir`.
    ///
    /// An indexer in another process may commit while this opens, and tantivy deletes the files
    /// of older commits that no reader *in its own process* holds (a rebuild deletes the older
    /// generation): a file or generation that vanished between reading the index's records and
    /// opening it is not damage. Opening then starts again from the newer records, a few times,
    /// before an error is reported.
    pub fn open(dir: &Path) -> Result<Searcher> {
        let commits = commit_counter(dir);
        let (snapshot, seen) = Snapshot::open(dir, &commits)?;
        Ok(Searcher {
            dir: dir.to_path_buf(),
            current: RwLock::new(Arc::new(snapshot)),
            seen: Mutex::new(seen),
            commits,
        })
    }

    /// Brings the searcher up to date with its index now, as every search does first: a new
    /// generation (a rebuild) is opened, a new commit of the current one read. Returns whether
    /// anything changed. Searching calls it, so a program needs it only to learn whether the
    /// index changed.
    pub fn reload(&self) -> Result<bool> {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let now = Seen {
            stamp: meta_stamp(&self.dir),
            commits: self.commits.load(Ordering::SeqCst),
        };
        if now == *seen {
            return Ok(false);
        }
        let current = self.snapshot_now();
        let generation = read_meta(&self.dir)?.generation;
        if generation != current.open.meta.generation {
            let (snapshot, opened) = Snapshot::open(&self.dir, &self.commits)?;
            *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
            *seen = opened;
            return Ok(true);
        }
        let before = current.reader.searcher().generation().segments().clone();
        current.reader.reload()?;
        *seen = now;
        Ok(current.reader.searcher().generation().segments() != &before)
    }

    /// The snapshot searches run on now, without looking for changes.
    fn snapshot_now(&self) -> Arc<Snapshot> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The newest snapshot of the index. When looking for changes fails (the index is being
    /// replaced, or was removed), searches go on with the snapshot they had.
    pub(crate) fn snapshot(&self) -> Arc<Snapshot> {
        let _ = self.reload();
        self.snapshot_now()
    }

    /// What the index records about itself (corpus, taxonomy, analysis), as of its newest
    /// commit.
    pub fn meta(&self) -> IndexMeta {
        self.snapshot().open.meta.clone()
    }

    /// The first and the last day the index's passages are dated (`YYYY-MM-DD`), `None` for
    /// an index without dates: what to say when a date filter finds nothing. Read from the
    /// date column's bounds (deleted passages count until a merge).
    pub fn date_span(&self) -> Option<(String, String)> {
        let searcher = self.snapshot().reader.searcher();
        let mut span: Option<(DateTime, DateTime)> = None;
        for segment in searcher.segment_readers() {
            let Ok(column) = segment.fast_fields().date("date") else {
                continue;
            };
            if column.values.num_vals() == 0 {
                continue;
            }
            let (low, high) = (column.min_value(), column.max_value());
            span = Some(match span {
                Some((a, b)) => (a.min(low), b.max(high)),
                None => (low, high),
            });
        }
        let day = |d: DateTime| sokord_core::date::Day::from_tantivy(d).map(|d| d.to_string());
        let (first, last) = span?;
        Some((day(first)?, day(last)?))
    }

    /// Corrections of a query whose words the index does not hold, each a query that finds
    /// something with the request's filters (what [`Searcher::search`] gives as `suggestions`
    /// when it finds nothing): words within one or two edits, *å*, *ä* and *ö* typed without
    /// their marks too. Empty when every word is found.
    pub fn suggest(&self, req: &SearchRequest) -> Result<Vec<String>> {
        self.snapshot().suggest(req)
    }

    /// The best passages (or documents) for a query as references: what the request asks for,
    /// without reading the passages. Much cheaper than [`Searcher::search`] when only the
    /// ranking is wanted (ids to cite, counts); facets and snippets are not computed.
    pub fn rank(&self, req: &SearchRequest) -> Result<Ranking> {
        self.snapshot().rank(req)
    }

    /// Runs a search: the hits with their citations and snippets, and facets when asked.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        self.snapshot().search(req)
    }

    /// Keyword-in-context lines: every match of the query in the best passages, with `width`
    /// characters of context on each side. The request's limit counts lines; grouping, partial
    /// filling and snippets do not apply.
    pub fn kwic(&self, req: &SearchRequest, width: usize) -> Result<KwicResults> {
        self.snapshot().kwic(req, width)
    }

    /// Reads a document back, all of it or the passages of one chapter (named as in the `chapter`
    /// of [`Filters`](crate::Filters)); a chapter the document does not have is
    /// [`Error::NoSuchChapter`](crate::Error::NoSuchChapter).
    pub fn document(&self, doc_id: &str, chapter: Option<&str>) -> Result<DocumentView> {
        self.snapshot().document(doc_id, chapter)
    }

    /// Counts of a query's matching documents, passages and hits by group, with each group's
    /// rates against its population (the request's actor, party, recipient, type and date
    /// filters): passages per 10,000 words, hits per million words, the share of its documents
    /// that match. See the module `stats` and the README for what each figure means.
    pub fn stats(&self, req: &SearchRequest, by: GroupKey) -> Result<Stats> {
        self.snapshot().stats(std::slice::from_ref(req), &[by])
    }

    /// [`Searcher::stats`] of several queries (one series each, each counted in its own
    /// filters' population) by one key, or by two as a cross-tab (`[Party, Year]`); the top
    /// level of the result is the first query's.
    pub fn stats_of(&self, reqs: &[SearchRequest], by: &[GroupKey]) -> Result<Stats> {
        self.snapshot().stats(reqs, by)
    }

    /// Matching passages, documents and hits of a query, as [`Searcher::stats`] counts them,
    /// without grouping or ranking.
    pub fn count(&self, req: &SearchRequest) -> Result<Counts> {
        self.snapshot().count(req)
    }

    /// Groups side by side: for each group its counts and its `top` most representative
    /// statements (best passages, cited). Groups without a match are listed, with none.
    pub fn compare(&self, req: &SearchRequest, by: GroupKey, top: usize) -> Result<Comparison> {
        self.snapshot().compare(req, by, top, None)
    }

    /// [`Searcher::compare`] with statements only for the `largest` groups with the most
    /// matching documents ([`Comparison::largest`]); the others have their counts and no
    /// statements. For a page that shows a few groups of many (by actor: a thousand), at a
    /// fraction of the cost.
    pub fn compare_largest(
        &self,
        req: &SearchRequest,
        by: GroupKey,
        top: usize,
        largest: usize,
    ) -> Result<Comparison> {
        self.snapshot().compare(req, by, top, Some(largest))
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
        self.snapshot().keywords(subset, reference, top, min_count)
    }

    /// Counts the population of the whole index by each grouping key and keeps it in the index,
    /// so that [`Searcher::stats`] by one key and [`Searcher::compare`] over the whole index (no
    /// actor, party, recipient, type or date filter) count only what their query matches; a
    /// cross-tab of two keys, or a filtered population, is counted each time. It also keeps the
    /// topics of the whole index ([`Searcher::topics`] with no query, filter or grouping, up to
    /// 20 actors a topic). It holds until the index's next commit. `sokord index` ends with
    /// this; a program that indexes may call it after its last commit. What is kept already
    /// for the index's segments as they are is not counted again.
    pub fn write_populations(&self) -> Result<()> {
        self.snapshot().write_populations()
    }

    /// The topic taxonomy with, for each topic, the passages and documents tagged with it (within
    /// the request's query and filters), the actors who say most about it, and counts by `by`.
    pub fn topics(
        &self,
        req: &SearchRequest,
        by: Option<GroupKey>,
        top_actors: usize,
    ) -> Result<TopicOverview> {
        self.snapshot().topics(req, by, top_actors)
    }
}

impl Snapshot {
    fn suggest(&self, req: &SearchRequest) -> Result<Vec<String>> {
        self.suggest_on(&self.reader.searcher(), req)
    }

    /// Corrections of `req` (see [`Searcher::suggest`]) on the segments of `searcher`.
    fn suggest_on(&self, searcher: &tantivy::Searcher, req: &SearchRequest) -> Result<Vec<String>> {
        crate::suggest::suggestions(
            self.compiler(searcher),
            self.fields().body_exact,
            searcher,
            req,
        )
    }

    /// Opens the index in `dir`, retrying when a commit of another process raced it (see
    /// [`Searcher::open`]); returns it with what it was opened from.
    fn open(dir: &Path, commits: &AtomicU64) -> Result<(Snapshot, Seen)> {
        const ATTEMPTS: u64 = 5;
        let mut attempt = 1;
        loop {
            // Read before opening: a change in between is seen by the next search.
            let seen = Seen {
                stamp: meta_stamp(dir),
                commits: commits.load(Ordering::SeqCst),
            };
            match Snapshot::open_once(dir) {
                Err(e) if attempt < ATTEMPTS && e.may_be_a_concurrent_commit() => {
                    std::thread::sleep(std::time::Duration::from_millis(20 * attempt));
                    attempt += 1;
                }
                result => return result.map(|s| (s, seen)),
            }
        }
    }

    fn open_once(dir: &Path) -> Result<Snapshot> {
        let open = open_index(dir)?;
        let reader = open.index.reader()?;
        let generation = sokord_core::layout::generation_dir(&open.path, open.meta.generation);
        Ok(Snapshot {
            parties: Arc::new(PartyTable::new(&open.meta.parties)),
            open,
            reader,
            lookups: SegmentLookups::new(generation),
            whole_index_facets: Mutex::new(Vec::new()),
            totals: Mutex::new(None),
        })
    }

    /// How counts label parties: by today's labels through the index's table, or (with
    /// [`Filters::party_history`](crate::Filters::party_history)) as written.
    pub(crate) fn party_labels(&self, f: &crate::request::Filters) -> Option<Arc<PartyTable>> {
        (!f.party_history).then(|| self.parties.clone())
    }

    pub(crate) fn fields(&self) -> &Fields {
        &self.open.fields
    }

    /// A compiler of requests into queries over this index, as `searcher` sees it.
    pub(crate) fn compiler<'s>(&'s self, searcher: &'s tantivy::Searcher) -> Compiler<'s> {
        Compiler::new(&self.open, &self.parties, searcher)
    }

    /// The highlighter of a query's matches in a passage's text: the `body` field's terms and,
    /// with that field's analyzer, the `exact` field's. It finds nothing without a query.
    pub(crate) fn highlighter(
        &self,
        searcher: &tantivy::Searcher,
        units: &[crate::compile::TextUnit],
    ) -> Result<Highlighter> {
        let f = self.fields();
        Ok(Highlighter::new(searcher, units, &[f.body, f.body_exact])?)
    }

    pub fn rank(&self, req: &SearchRequest) -> Result<Ranking> {
        let searcher = self.reader.searcher();
        let page = self.page(&searcher, req)?;
        let lookups = self.lookups.of(&searcher)?;
        let mut hits = Vec::with_capacity(page.hits.len());
        for h in page.hits {
            let a = h.address;
            hits.push(Ranked {
                doc_id: h.doc_id,
                passage: lookups[a.segment_ord as usize].ordinal(a.doc_id),
                score: h.score,
                matched_passages: h.matched,
                partial: h.partial,
                counted: h.counted.unwrap_or(!h.partial),
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
        let mut compiler = self.compiler(searcher).with_parts_near();
        let compiled = compiler.filtered(&req.filters, Some(&req.query))?;
        let query = compiled.query();

        // A limit of 0 counts the matches and returns no hits.
        let limit = req.limit;
        if req.group == Grouping::Doc {
            let level = self.documents_matching(
                searcher,
                &mut compiler,
                &compiled,
                &req.query,
                query.as_ref(),
            )?;
            if let Some(level) = level {
                let total = level.matches.len();
                let mut matches = level.matches;
                if req.sort == SortBy::Date {
                    let dates = dates_of(searcher, matches.iter().map(|m| m.address));
                    let mut dated: Vec<_> = dates.into_iter().zip(matches).collect();
                    dated.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.score.total_cmp(&a.1.score)));
                    matches = dated.into_iter().map(|(_, m)| m).collect();
                }
                let found = |m: crate::doc_level::DocMatch, partial: bool| Found {
                    whole: m.whole,
                    score: m.score,
                    address: m.address,
                    matched: Some(m.passages),
                    partial,
                    doc_id: m.doc_id,
                    counted: None,
                };
                let mut hits: Vec<Found> = matches
                    .into_iter()
                    .skip(req.offset)
                    .take(limit)
                    .map(|m| found(m, false))
                    .collect();
                if req.fill_partial && limit > 0 && total < req.offset + limit {
                    let skip = req.offset.saturating_sub(total);
                    let want = req.offset + limit - total.max(req.offset);
                    let more = level.partial.into_iter().skip(skip).take(want);
                    hits.extend(more.map(|m| found(m, true)));
                }
                return Ok(Page {
                    query,
                    units: compiler.text_units(&req.query)?,
                    total,
                    loose: None,
                    hits,
                    facets_over: Some(level.passages),
                    exact_forms: compiled.exact_forms,
                    truncated: compiled.truncated,
                });
            }
        }
        // Passages: those that match by their own text and headings, as the counts count them,
        // ranked as the whole query ranks them (a word in the title adds to a passage's score);
        // then, when the page asks for more, those that match only more loosely (through their
        // document's title, a compound's parts near each other), not counted; then those with
        // some of the words.
        // (Documents are matched as wholes, with their titles: `documents_matching`.)
        let passages = req.group == Grouping::Passage && compiled.text.is_some();
        let strong = if passages {
            self.compiler(searcher)
                .with_parts_near()
                .counted_first()
                .filtered(&req.filters, Some(&req.query))?
                .query()
        } else {
            query.box_clone()
        };
        let mut found = self.collect(searcher, strong.as_ref(), req, limit + req.offset)?;
        let total_hits = found.total;
        let mut page: Vec<Found> = found
            .hits
            .drain(..)
            .skip(req.offset)
            .take(limit)
            .map(|h| Found {
                counted: passages.then_some(true),
                ..h
            })
            .collect();
        // The passages the search matches that the counts do not: only when asked for.
        let loose = || -> Result<Option<Box<dyn TQuery>>> {
            let counting = self
                .compiler(searcher)
                .passages_only()
                .filtered(&req.filters, Some(&req.query))?;
            let (Some(text), Some(own)) = (&compiled.text, &counting.text) else {
                return Ok(None);
            };
            Ok(Some(compiled.within(Some(Box::new(BooleanQuery::new(
                vec![
                    (Occur::Must, text.box_clone()),
                    (
                        Occur::MustNot,
                        Box::new(crate::labelled::Excluded(own.box_clone())),
                    ),
                ],
            ))))))
        };
        // How many hits come before the next kind of hit fills the page.
        let mut before = total_hits;
        let mut loose_total = None;
        let wanted = passages && req.fill_partial && (limit == 0 || before <= req.offset + limit);
        if let Some(loose) = if wanted { loose()? } else { None } {
            // Counted when no page is asked for, or when the page ends where the counted
            // passages end (the next page starts with the loose ones).
            if limit == 0 || before == req.offset + limit {
                loose_total = Some(searcher.search(loose.as_ref(), &Count)?);
            } else {
                let skip = req.offset.saturating_sub(before);
                let want = req.offset + limit - before.max(req.offset);
                let more = self.collect(searcher, loose.as_ref(), req, skip + want)?;
                before += more.total;
                loose_total = Some(more.total);
                page.extend(more.hits.into_iter().skip(skip).take(want).map(|h| Found {
                    counted: Some(false),
                    ..h
                }));
            }
        }

        // Too few hits for all the words: go on with hits for some of them.
        let conjuncts = req.query.conjuncts();
        if req.fill_partial && limit > 0 && conjuncts.len() >= 2 && before < req.offset + limit {
            let mut some: Vec<Box<dyn TQuery>> = Vec::new();
            for c in &conjuncts {
                some.extend(compiler.compile(c)?);
            }
            if some.len() >= 2 {
                let any = Box::new(BooleanQuery::new(
                    some.into_iter().map(|q| (Occur::Should, q)).collect(),
                ));
                let partial = Box::new(BooleanQuery::new(vec![
                    (Occur::Must, compiled.within(Some(any))),
                    (
                        Occur::MustNot,
                        Box::new(crate::labelled::Excluded(query.box_clone())),
                    ),
                ]));
                let skip = req.offset.saturating_sub(before);
                let want = req.offset + limit - before.max(req.offset);
                let seen: HashSet<String> = page.iter().map(|h| h.doc_id.clone()).collect();
                let more =
                    self.collect(searcher, partial.as_ref(), req, skip + want + seen.len())?;
                let extra = more
                    .hits
                    .into_iter()
                    .filter(|h| req.group == Grouping::Passage || !seen.contains(&h.doc_id))
                    .skip(skip)
                    .take(want)
                    .map(|h| Found {
                        partial: true,
                        counted: Some(false),
                        ..h
                    });
                page.extend(extra);
            }
        }
        Ok(Page {
            query,
            units: compiler.text_units(&req.query)?,
            total: total_hits,
            loose: loose_total,
            hits: page,
            facets_over: Some(strong),
            exact_forms: compiled.exact_forms,
            truncated: compiled.truncated,
        })
    }

    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let Page {
            query,
            units,
            total: total_hits,
            loose: loose_hits,
            hits: page,
            facets_over,
            exact_forms,
            truncated,
        } = self.page(&searcher, req)?;

        // Snippets come from the passage text; matches in the exact field are highlighted in
        // it too, with that field's analyzer.
        let mut snippets = self.highlighter(&searcher, &units)?;

        // Which hits the counts count, where the search did not say: documents the counts
        // count (a document matched only through a compound's parts near each other is not),
        // passages whose own text matches.
        let mut facets_over = facets_over;
        let (counted, counted_hits): (Vec<bool>, Option<usize>) =
            if req.group == Grouping::Doc && req.query != sokord_core::query::Query::All {
                let (documents, passages) = self.counted_documents(&searcher, req)?;
                // The facets count the documents the statistics count.
                facets_over = Some(passages);
                let counted = page
                    .iter()
                    .map(|h| !h.partial && documents.contains(&h.doc_id))
                    .collect();
                (counted, Some(documents.len()))
            } else {
                let unknown: Vec<DocAddress> = page
                    .iter()
                    .filter(|h| h.counted.is_none())
                    .map(|h| h.address)
                    .collect();
                let mut sought = self.counted(&searcher, req, &unknown)?.into_iter();
                let counted = page
                    .iter()
                    .map(|h| h.counted.unwrap_or_else(|| sought.next().unwrap_or(false)))
                    .collect();
                (counted, None)
            };
        let mut hits = Vec::with_capacity(page.len());
        for (h, counted) in page.into_iter().zip(counted) {
            let doc: TantivyDocument = searcher.doc(h.address)?;
            let mut hit = Hit::read(
                self.fields(),
                &doc,
                h.score,
                &mut snippets,
                req.snippet_chars,
                h.matched,
            );
            hit.partial = h.partial;
            hit.counted = counted && !h.partial;
            // A document matched as a whole, or a partial hit, may show a passage the whole
            // query does not match: it has no explanation.
            if req.explain && h.whole && !h.partial {
                if let Ok(e) = query.explain(&searcher, h.address) {
                    hit.explain = crate::explain::explained(&e, &searcher.schema().clone());
                }
            }
            hits.push(hit);
        }
        let facets = if req.facets {
            let by_doc = req.group == Grouping::Doc;
            let count = || -> Result<FacetCounts> {
                Ok(searcher.search(
                    facets_over.as_deref().unwrap_or(query.as_ref()),
                    &Facets {
                        by_doc,
                        parties: self.party_labels(&req.filters),
                        numbers: self.lookups.numbers(&searcher)?,
                    },
                )?)
            };
            if req.query == sokord_core::query::Query::All && req.filters == Filters::default() {
                self.whole_index_facets(&searcher, by_doc, count)?
            } else {
                count()?
            }
        } else {
            FacetCounts::default()
        };
        // Corrections when nothing matches (not when the words match more loosely: a compound's
        // parts near each other).
        let suggestions = if total_hits == 0 && loose_hits.unwrap_or(0) == 0 {
            self.suggest_on(&searcher, req)?
        } else {
            Vec::new()
        };
        Ok(SearchResults {
            query: req.query.to_string(),
            suggestions,
            total_hits,
            counted_hits,
            loose_hits,
            hits,
            facets,
            exact_forms,
            truncated_expansions: truncated,
        })
    }

    /// The ids of the documents the counts count for `req` (as `count` and `stats` count
    /// documents: a passage, the passages together or the title holding the words, not a
    /// compound's parts near each other), and the query of the passages they are counted by.
    fn counted_documents(
        &self,
        searcher: &tantivy::Searcher,
        req: &SearchRequest,
    ) -> Result<(HashSet<String>, Box<dyn TQuery>)> {
        let documents = self.counted_documents_query(searcher, req)?;
        let numbers = self.lookups.numbers(searcher)?;
        let groups = searcher.search(
            documents.as_ref(),
            &crate::collectors::DocGroups {
                numbers: numbers.clone(),
            },
        )?;
        Ok((
            groups.into_keys().map(|n| numbers.id(n)).collect(),
            documents,
        ))
    }

    /// Which of `addresses` the passage counts count for `req`: those whose own text or
    /// heading matches the whole query (the query the counts compile), found by seeking each
    /// segment's matches in document order.
    fn counted(
        &self,
        searcher: &tantivy::Searcher,
        req: &SearchRequest,
        addresses: &[DocAddress],
    ) -> Result<Vec<bool>> {
        use tantivy::query::EnableScoring;
        use tantivy::DocSet;
        if addresses.is_empty() || req.query == sokord_core::query::Query::All {
            return Ok(vec![true; addresses.len()]);
        }
        let query = self
            .compiler(searcher)
            .passages_only()
            .filtered(&req.filters, Some(&req.query))?
            .query();
        let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
        let mut order: Vec<usize> = (0..addresses.len()).collect();
        order.sort_by_key(|&i| (addresses[i].segment_ord, addresses[i].doc_id));
        let mut out = vec![false; addresses.len()];
        let mut scorer: Option<(u32, Box<dyn tantivy::query::Scorer>)> = None;
        for i in order {
            let at = addresses[i];
            if scorer
                .as_ref()
                .is_none_or(|(ord, _)| *ord != at.segment_ord)
            {
                let reader = searcher.segment_reader(at.segment_ord);
                scorer = Some((at.segment_ord, weight.scorer(reader, 1.0)?));
            }
            let (_, s) = scorer.as_mut().expect("set above");
            if s.doc() < at.doc_id {
                s.seek(at.doc_id);
            }
            out[i] = s.doc() == at.doc_id;
        }
        Ok(out)
    }

    /// The facets of the whole index, counted once for a set of segments (`count`) and kept
    /// while it lasts: every visit to a web page's first view asks for them.
    fn whole_index_facets(
        &self,
        searcher: &tantivy::Searcher,
        by_doc: bool,
        count: impl FnOnce() -> Result<FacetCounts>,
    ) -> Result<FacetCounts> {
        // The segments and their deletions: a commit that only deletes keeps the segments.
        let live: Vec<(tantivy::index::SegmentId, u32)> = searcher
            .segment_readers()
            .iter()
            .map(|r| (r.segment_id(), r.num_deleted_docs()))
            .collect();
        let cached = |all: &[WholeIndexFacets]| {
            all.iter()
                .find(|(ids, d, _)| *ids == live && *d == by_doc)
                .map(|(_, _, f)| f.clone())
        };
        if let Some(f) = cached(
            &self
                .whole_index_facets
                .lock()
                .unwrap_or_else(|e| e.into_inner()),
        ) {
            return Ok(f);
        }
        let facets = count()?;
        let mut all = self
            .whole_index_facets
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        all.retain(|(ids, _, _)| *ids == live);
        all.push((live, by_doc, facets.clone()));
        Ok(facets)
    }

    /// The best `want` passages (or documents, as `group` says) for a query, in the request's
    /// order, and how many match in all.
    pub(crate) fn collect(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn TQuery,
        req: &SearchRequest,
        want: usize,
    ) -> Result<Collected> {
        let want = want.max(1);
        match req.group {
            Grouping::Passage => self.collect_passages(searcher, query, req.sort, want),
            Grouping::Doc => self.collect_documents(searcher, query, req.sort, want),
        }
    }

    /// The best `want` passages for a query and how many match.
    pub(crate) fn collect_passages(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn TQuery,
        sort: SortBy,
        want: usize,
    ) -> Result<Collected> {
        let (count, top): (usize, Vec<(Score, DocAddress)>) = match sort {
            SortBy::Score => return self.best_passages(searcher, query, want),
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
        let lookups = self.lookups.of(searcher)?;
        let hits = top
            .into_iter()
            .map(|(score, address)| Found {
                whole: true,
                score,
                address,
                matched: None,
                partial: false,
                counted: None,
                doc_id: lookups[address.segment_ord as usize]
                    .doc_id(address.doc_id)
                    .to_string(),
            })
            .collect();
        Ok(Collected { total: count, hits })
    }

    /// The best `want` passages by score and how many match, in an order that does not depend
    /// on how the index happens to be cut into segments: equal scores are ordered by document id,
    /// then passage number, so that two builds of the same folder, on any number of threads,
    /// rank alike. When passages tie at the cut (as every passage does for a query of filters
    /// alone), a second pass ranks by score, document number and passage number together.
    fn best_passages(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn TQuery,
        want: usize,
    ) -> Result<Collected> {
        let lookups = self.lookups.of(searcher)?;
        let found = |score: Score, address: DocAddress| {
            let lookup = &lookups[address.segment_ord as usize];
            let found = Found {
                whole: true,
                score,
                address,
                matched: None,
                partial: false,
                counted: None,
                doc_id: lookup.doc_id(address.doc_id).to_string(),
            };
            (found, lookup.ordinal(address.doc_id))
        };
        let limit = want + 1;
        let (count, top) =
            searcher.search(query, &(Count, TopDocs::with_limit(limit).order_by_score()))?;
        let clear =
            top.len() < limit || top.len() <= want || top[top.len() - 1].0 < top[want - 1].0;
        if !clear {
            let by_key = self.by_score_then_id(searcher, lookups.clone(), want)?;
            let top = searcher.search(query, &by_key)?;
            let hits = top
                .into_iter()
                .map(|((score, _, _), address)| found(score, address).0)
                .collect();
            return Ok(Collected { total: count, hits });
        }
        let mut hits: Vec<(Found, u32)> = top.into_iter().map(|(s, a)| found(s, a)).collect();
        hits.sort_by(|(a, ao), (b, bo)| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.doc_id.cmp(&b.doc_id))
                .then(ao.cmp(bo))
        });
        hits.truncate(want);
        let hits = hits.into_iter().map(|(f, _)| f).collect();
        Ok(Collected { total: count, hits })
    }

    /// The `want` best passages by score, then document id (as document numbers, which follow
    /// id order), then passage number: the order [`Self::best_passages`] gives, in one pass
    /// however many passages tie.
    fn by_score_then_id(
        &self,
        searcher: &tantivy::Searcher,
        lookups: Vec<Arc<crate::segments::SegmentLookup>>,
        want: usize,
    ) -> Result<impl tantivy::collector::Collector<Fruit = Vec<(PassageKey, DocAddress)>>> {
        use std::cmp::Reverse;
        let numbers = self.lookups.numbers(searcher)?;
        let segments: HashMap<tantivy::index::SegmentId, u32> = searcher
            .segment_readers()
            .iter()
            .enumerate()
            .map(|(i, r)| (r.segment_id(), i as u32))
            .collect();
        Ok(
            TopDocs::with_limit(want).tweak_score(move |reader: &tantivy::SegmentReader| {
                let s = segments.get(&reader.segment_id()).copied().unwrap_or(0);
                let lookup = lookups[s as usize].clone();
                let numbers = numbers.clone();
                move |doc: tantivy::DocId, score: Score| {
                    let n = lookup
                        .id_ord(doc)
                        .map_or(u32::MAX, |o| numbers.number(s, o));
                    (score, Reverse(n), Reverse(lookup.ordinal(doc)))
                }
            }),
        )
    }

    /// The best `want` documents for a query (each with its best passage and how many of its
    /// passages match) and how many match.
    fn collect_documents(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn TQuery,
        sort: SortBy,
        want: usize,
    ) -> Result<Collected> {
        let numbers = self.lookups.numbers(searcher)?;
        let groups = searcher.search(
            query,
            &DocGroups {
                numbers: numbers.clone(),
            },
        )?;
        let total = groups.len();
        // By number, which orders documents as their ids do.
        let mut best: Vec<(u32, Score, DocAddress, usize)> = groups
            .into_iter()
            .map(|(n, (s, a, count, _))| (n, s, a, count))
            .collect();
        match sort {
            // Equal scores in document id order (see `best_passages`): only the best `want`
            // are sorted.
            SortBy::Score => {
                let order = |a: &(u32, Score, DocAddress, usize),
                             b: &(u32, Score, DocAddress, usize)| {
                    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
                };
                if best.len() > want {
                    best.select_nth_unstable_by(want, order);
                    best.truncate(want);
                }
                best.sort_by(order);
            }
            SortBy::Date => {
                let dates = dates_of(searcher, best.iter().map(|g| g.2));
                let mut dated: Vec<_> = dates.into_iter().zip(best).collect();
                dated.sort_by(|a, b| {
                    b.0.cmp(&a.0)
                        .then(b.1 .1.total_cmp(&a.1 .1))
                        .then(a.1 .0.cmp(&b.1 .0))
                });
                best = dated.into_iter().map(|(_, g)| g).collect();
            }
        }
        let hits = best
            .into_iter()
            .take(want)
            .map(|(n, score, address, count)| Found {
                whole: true,
                score,
                address,
                matched: Some(count),
                partial: false,
                counted: None,
                doc_id: numbers.id(n).to_string(),
            })
            .collect();
        Ok(Collected { total, hits })
    }
}

/// The dates of passages, as the `date` fast field holds them (no stored document read: at ten
/// times the interpellations, reading 156,660 documents to sort them by date took 8 s); a
/// passage without a date (`None`) sorts below every date, so last when newest come first.
fn dates_of(
    searcher: &tantivy::Searcher,
    addresses: impl Iterator<Item = DocAddress>,
) -> Vec<Option<DateTime>> {
    let mut columns = HashMap::new();
    let mut dates = Vec::new();
    for a in addresses {
        let column = match columns.entry(a.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(
                searcher
                    .segment_reader(a.segment_ord)
                    .fast_fields()
                    .date("date")
                    .ok(),
            ),
        };
        dates.push(column.as_ref().and_then(|c| c.first(a.doc_id)));
    }
    dates
}
