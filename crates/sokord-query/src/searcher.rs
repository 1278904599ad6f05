//! The searcher: an open index, ranked and paged hits, and the hits read back with citations.

use std::collections::HashSet;
use std::path::Path;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query as TQuery};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DateTime, DocAddress, IndexReader, Score, TantivyDocument};

use sokord_core::{open_index, Fields, IndexMeta, OpenIndex};

use crate::collectors::DocGroups;
use crate::compile::Compiler;
use crate::error::Result;
use crate::facet::{FacetCounts, Facets};
use crate::hits::{Hit, Ranked, Ranking, SearchResults};
use crate::request::{Grouping, SearchRequest, SortBy};
use crate::segments::SegmentLookups;
use crate::snippet::PASSAGE_CHARS;
use crate::stored::date_of;

/// An open index to search.
pub struct Searcher {
    pub(crate) open: OpenIndex,
    pub(crate) reader: IndexReader,
    lookups: SegmentLookups,
}

/// A hit before its document is read.
pub(crate) struct Found {
    pub(crate) score: Score,
    pub(crate) address: DocAddress,
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
    exact_forms: bool,
    truncated: Vec<crate::hits::TruncatedExpansion>,
}

/// The hits wanted and the number of all matches.
pub(crate) struct Collected {
    pub(crate) total: usize,
    pub(crate) hits: Vec<Found>,
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
            lookups: SegmentLookups::default(),
        })
    }

    /// Brings the searcher up to date with its index: when an indexing run has switched the
    /// index to a new generation (a rebuild), the searcher reopens it; when a run updated the
    /// current generation in place, it reads the newest commit at once (without this, it follows
    /// in-place commits by itself within about half a second). Returns whether anything changed.
    ///
    /// A searcher that is not reloaded goes on answering from what it opened, even after a
    /// rebuild has deleted that generation's files (they stay readable while open), so a
    /// long-running program reloads when it wants to see new documents: a server, say, once a
    /// second or before each request.
    pub fn reload(&mut self) -> Result<bool> {
        let current = sokord_core::layout::read_meta(&self.open.path)?;
        if current.generation != self.open.meta.generation {
            *self = Searcher::open(&self.open.path)?;
            return Ok(true);
        }
        let before = self.reader.searcher().generation().segments().clone();
        self.reader.reload()?;
        Ok(self.reader.searcher().generation().segments() != &before)
    }

    /// What the index records about itself (corpus, taxonomy, files).
    pub fn meta(&self) -> &IndexMeta {
        &self.open.meta
    }

    pub(crate) fn fields(&self) -> &Fields {
        &self.open.fields
    }

    /// A compiler of requests into queries over this index, as `searcher` sees it.
    pub(crate) fn compiler<'s>(&'s self, searcher: &'s tantivy::Searcher) -> Compiler<'s> {
        Compiler::new(&self.open, searcher)
    }

    /// Highlighters for a query's matches in a passage's text: the `body` field's terms and,
    /// with that field's analyzer, the `exact` field's. None without a query.
    pub(crate) fn snippet_generators(
        &self,
        searcher: &tantivy::Searcher,
        text: Option<&dyn TQuery>,
    ) -> Result<Vec<SnippetGenerator>> {
        let Some(text) = text else {
            return Ok(Vec::new());
        };
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

    /// The best passages (or documents) for a query as references: what the request asks for,
    /// without reading the passages. Much cheaper than [`Searcher::search`] when only the
    /// ranking is wanted (ids to cite, counts); facets and snippets are not computed.
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
        let mut compiler = self.compiler(searcher);
        let compiled = compiler.filtered(&req.filters, Some(&req.query))?;
        let query = compiled.query();

        // A limit of 0 counts the matches and returns no hits.
        let limit = req.limit;
        let mut found = self.collect(searcher, query.as_ref(), req, limit + req.offset)?;
        let total_hits = found.total;
        let mut page: Vec<Found> = found.hits.drain(..).skip(req.offset).take(limit).collect();

        // Too few hits for all the words: go on with hits for some of them.
        let conjuncts = req.query.conjuncts();
        if req.fill_partial && limit > 0 && conjuncts.len() >= 2 && total_hits < req.offset + limit
        {
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
                    (Occur::MustNot, query.box_clone()),
                ]));
                let skip = req.offset.saturating_sub(total_hits);
                let want = req.offset + limit - total_hits.max(req.offset);
                let seen: HashSet<String> = page.iter().map(|h| h.doc_id.clone()).collect();
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
            text: compiled.text,
            total: total_hits,
            hits: page,
            exact_forms: compiled.exact_forms,
            truncated: compiled.truncated,
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
            exact_forms,
            truncated,
        } = self.page(&searcher, req)?;

        // Snippets come from the passage text; matches in the exact field are highlighted in
        // it too, with that field's analyzer.
        let snippets = self.snippet_generators(&searcher, text.as_deref())?;

        let mut hits = Vec::with_capacity(page.len());
        for h in page {
            let doc: TantivyDocument = searcher.doc(h.address)?;
            let mut hit = Hit::read(
                self.fields(),
                &doc,
                h.score,
                &snippets,
                req.snippet_chars,
                h.matched,
            );
            hit.partial = h.partial;
            if req.explain {
                let e = query.explain(&searcher, h.address)?;
                hit.explain = crate::explain::explained(&e, &searcher.schema().clone());
            }
            hits.push(hit);
        }
        let facets = if req.facets {
            searcher.search(
                query.as_ref(),
                &Facets {
                    by_doc: req.group == Grouping::Doc,
                    party_history: req.filters.party_history,
                },
            )?
        } else {
            FacetCounts::default()
        };
        let suggestions = if total_hits == 0 {
            crate::suggest::suggestions(
                self.compiler(&searcher),
                self.fields().body_exact,
                &searcher,
                req,
            )?
        } else {
            Vec::new()
        };
        Ok(SearchResults {
            query: req.query.to_string(),
            suggestions,
            total_hits,
            hits,
            facets,
            exact_forms,
            truncated_expansions: truncated,
        })
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
        let (count, top) = match sort {
            SortBy::Score => {
                searcher.search(query, &(Count, TopDocs::with_limit(want).order_by_score()))?
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
        let lookups = self.lookups.of(searcher)?;
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
        Ok(Collected { total: count, hits })
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
        let groups = searcher.search(
            query,
            &DocGroups {
                lookups: self.lookups.of(searcher)?,
            },
        )?;
        let total = groups.len();
        let mut best: Vec<(String, Score, DocAddress, usize)> = groups
            .into_iter()
            .map(|(id, (s, a, n))| (id, s, a, n))
            .collect();
        match sort {
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
        Ok(Collected { total, hits })
    }
}
