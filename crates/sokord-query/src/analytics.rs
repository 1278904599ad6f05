//! Views over a query's result set for comparing and counting: statistics by group, groups side
//! by side with their representative statements, distinctive words, and topics with their counts.
//! The counting itself is in `stats`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sokord_core::query::Query;
use tantivy::collector::TopDocs;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query as TQuery};
use tantivy::{DocId, TantivyDocument, Term};

use crate::compile::{match_term, TextUnit};
use crate::error::{Error, Result};
use crate::hits::Hit;
use crate::request::SearchRequest;
use crate::searcher::Snapshot;
use crate::stats::{self, Counts, FilterRoles, GroupKey, GroupStats, Keywords, Stats};
use crate::stored::text_of;

/// One group of a [`Comparison`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CompareGroup {
    /// Its counts.
    #[serde(flatten)]
    pub stats: GroupStats,
    /// Its most representative statements: best passages first, cited.
    pub statements: Vec<Hit>,
}

/// Groups side by side for one query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Comparison {
    /// The query.
    pub query: String,
    /// The grouping.
    pub by: GroupKey,
    /// Which filters chose the population and which what is counted.
    pub filters: FilterRoles,
    /// Matching documents in all.
    pub total_documents: usize,
    /// Matching passages in all.
    pub total_passages: usize,
    /// Every figure over all groups.
    pub total: GroupStats,
    /// The groups: by year, month or session in time order; otherwise most matching passages
    /// first, groups without a match last.
    pub groups: Vec<CompareGroup>,
}

impl Comparison {
    /// The `n` groups with the most matching documents (of equals, those with the most
    /// matching passages, then the first by value, no value last), as
    /// indexes into [`Comparison::groups`] in its order; every group with a match when there
    /// are no more than `n`. The groups [`Searcher::compare_largest`](crate::Searcher::compare_largest)
    /// gives statements.
    pub fn largest(&self, n: usize) -> Vec<usize> {
        largest_groups(self.groups.iter().map(|g| &g.stats), n)
    }
}

/// See [`Comparison::largest`].
fn largest_groups<'a>(groups: impl Iterator<Item = &'a GroupStats>, n: usize) -> Vec<usize> {
    let mut with: Vec<(usize, &GroupStats)> = groups
        .enumerate()
        .filter(|(_, g)| g.passages > 0 || g.documents > 0)
        .collect();
    if with.len() > n {
        with.sort_by(|(_, a), (_, b)| {
            b.documents
                .cmp(&a.documents)
                .then(b.passages.cmp(&a.passages))
                .then_with(|| stats::group_order(&a.keys, &b.keys))
        });
        with.truncate(n);
    }
    let mut at: Vec<usize> = with.into_iter().map(|(i, _)| i).collect();
    at.sort_unstable();
    at
}

/// A topic's counts in one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TopicGroup {
    /// The group's value.
    pub key: String,
    /// Passages tagged with the topic.
    pub passages: usize,
    /// Documents with such passages.
    pub documents: usize,
}

/// One topic with its counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
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
    /// Running words of those passages (stop words included).
    pub words: u64,
    /// The actors with most such passages.
    pub top_actors: Vec<TopicGroup>,
    /// Counts by the requested grouping.
    pub groups: Vec<TopicGroup>,
}

impl TopicGroup {
    fn of(key: String, t: &stats::Tally) -> TopicGroup {
        TopicGroup {
            key,
            passages: t.passages,
            documents: t.documents.len(),
        }
    }
}

impl TopicStats {
    /// A topic's counts from its passages' tallies by actor (the actors with most passages
    /// first, then by name; `top_actors` of them) and its groups.
    fn of(
        topic: &sokord_core::topics::Topic,
        by_actor: &[(String, &stats::Tally)],
        groups: Vec<TopicGroup>,
        top_actors: usize,
    ) -> TopicStats {
        let mut actors: Vec<TopicGroup> = by_actor
            .iter()
            .map(|(k, t)| TopicGroup::of(k.clone(), t))
            .collect();
        let passages = actors.iter().map(|a| a.passages).sum();
        let words = by_actor.iter().map(|(_, t)| t.words).sum();
        let documents = by_actor
            .iter()
            .flat_map(|(_, t)| t.documents.iter())
            .collect::<HashSet<_>>()
            .len();
        actors.sort_by(|a, b| b.passages.cmp(&a.passages).then(a.key.cmp(&b.key)));
        actors.truncate(top_actors);
        TopicStats {
            id: topic.id.clone(),
            label: topic.label.clone(),
            query: topic.query.clone(),
            passages,
            documents,
            words,
            top_actors: actors,
            groups,
        }
    }
}

/// The taxonomy with counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TopicOverview {
    /// The grouping of `groups`, if any.
    pub by: Option<GroupKey>,
    /// The topics, in the taxonomy's order.
    pub topics: Vec<TopicStats>,
}

/// A log-likelihood, ordered (for a heap of the best).
#[derive(PartialEq)]
struct Likelihood(f64);

impl Eq for Likelihood {}

impl PartialOrd for Likelihood {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Likelihood {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// One query's tallies: by group, and its counted passages and their hits in all.
struct Counted {
    tally: BTreeMap<Vec<String>, stats::Tally>,
    passages: usize,
    hits: u64,
    /// The query's words and phrases as passages are counted (for highlighting statements).
    units: Vec<TextUnit>,
}

impl Snapshot {
    /// Hits of each passage `counted` matches, read from the postings: the places in its
    /// text where one of the query's words stands, or one of its phrases (a word the analysis
    /// cuts in two, *TLV:s*, is a phrase) stands whole, each place once: what `kwic`
    /// highlights, one line each. Words are counted in the `body` field (stems, lemmas and
    /// compound parts, which share their word's position), exact-form words in the `exact`
    /// field. Of places that overlap (a word inside a phrase of the query), the first counts.
    pub(crate) fn passage_hits(
        &self,
        searcher: &tantivy::Searcher,
        counted: &dyn TQuery,
        units: &[TextUnit],
    ) -> Result<stats::PassageHits> {
        use tantivy::postings::Postings;
        use tantivy::schema::IndexRecordOption;
        use tantivy::DocSet;
        let f = self.fields();
        let (mut body, mut exact): (BTreeSet<Term>, BTreeSet<Term>) = Default::default();
        let mut phrases: Vec<&[(usize, Term)]> = Vec::new();
        for unit in units {
            match unit {
                TextUnit::Words { field, terms } => {
                    let set = if *field == f.body_exact {
                        &mut exact
                    } else {
                        &mut body
                    };
                    set.extend(terms.iter().filter(|t| t.field() == *field).cloned());
                }
                TextUnit::Phrase { terms } => phrases.push(terms),
            }
        }
        let segments = searcher.segment_readers();
        let mut out = searcher.search(counted, &stats::CountedPassages)?;
        let mut buf = Vec::new();
        for (ord, segment) in segments.iter().enumerate() {
            let Some(hits) = out.get_mut(ord) else {
                continue;
            };
            // The places of each passage: (first position, one past the last).
            let mut places: HashMap<DocId, Vec<(u32, u32)>> = HashMap::new();
            for (field, terms) in [(f.body, &body), (f.body_exact, &exact)] {
                if terms.is_empty() {
                    continue;
                }
                let index = segment.inverted_index(field)?;
                // One term in all (no phrase, nothing in the other field): its frequency is the
                // number of its places. Several (a lemma and a stem, compound parts, a word and
                // its exact form, whose positions are the same): the positions any stands at.
                let one = terms.len() == 1 && phrases.is_empty() && body.len() + exact.len() == 1;
                for t in terms {
                    let option = if one {
                        IndexRecordOption::WithFreqs
                    } else {
                        IndexRecordOption::WithFreqsAndPositions
                    };
                    let Some(mut postings) = index
                        .read_postings(t, option)
                        .map_err(tantivy::TantivyError::from)?
                    else {
                        continue;
                    };
                    let mut doc = postings.doc();
                    while doc != tantivy::TERMINATED {
                        match hits.get_mut(doc as usize) {
                            Some(n) if *n != stats::NOT_COUNTED => {
                                if one {
                                    *n += postings.term_freq();
                                } else {
                                    postings.positions(&mut buf);
                                    let at = places.entry(doc).or_default();
                                    at.extend(buf.iter().map(|&p| (p, p + 1)));
                                }
                            }
                            _ => {}
                        }
                        doc = postings.advance();
                    }
                }
            }
            for &terms in &phrases {
                // Each term's positions in the counted passages that hold it (a phrase's stop
                // words in the exact-form field, its other words in the passage text's).
                let mut each: Vec<HashMap<DocId, Vec<u32>>> = Vec::with_capacity(terms.len());
                for (_, t) in terms {
                    let index = segment.inverted_index(t.field())?;
                    let mut at: HashMap<DocId, Vec<u32>> = HashMap::new();
                    if let Some(mut postings) = index
                        .read_postings(t, IndexRecordOption::WithFreqsAndPositions)
                        .map_err(tantivy::TantivyError::from)?
                    {
                        let mut doc = postings.doc();
                        while doc != tantivy::TERMINATED {
                            let counted = hits
                                .get(doc as usize)
                                .is_some_and(|&n| n != stats::NOT_COUNTED);
                            if counted && (each.is_empty() || each[0].contains_key(&doc)) {
                                postings.positions(&mut buf);
                                at.insert(doc, buf.clone());
                            }
                            doc = postings.advance();
                        }
                    }
                    each.push(at);
                }
                let last = terms.last().map_or(0, |t| t.0) as u32;
                for (doc, starts) in &each[0] {
                    for &p in starts {
                        let whole = terms.iter().zip(&each).skip(1).all(|((off, _), at)| {
                            at.get(doc)
                                .is_some_and(|ps| ps.binary_search(&(p + *off as u32)).is_ok())
                        });
                        if whole {
                            places.entry(*doc).or_default().push((p, p + last + 1));
                        }
                    }
                }
            }
            for (doc, mut p) in places {
                hits[doc as usize] += count_places(&mut p);
            }
        }
        Ok(out)
    }

    /// Counts one request by groups: passages whose own text (or heading) matches, with their
    /// hits and the `top` best of them, and the documents that match (as wholes, for a query of
    /// several parts).
    fn count_by(
        &self,
        searcher: &tantivy::Searcher,
        req: &SearchRequest,
        by: &[GroupKey],
        top: usize,
    ) -> Result<Counted> {
        let mut counting = self.compiler(searcher).passages_only();
        let passage = counting.filtered(&req.filters, Some(&req.query))?;
        let units = counting.text_units(&req.query)?;
        let hits = self.passage_hits(searcher, passage.query().as_ref(), &units)?;
        let counted = || hits.iter().flatten().filter(|&&n| n != stats::NOT_COUNTED);
        let passages = counted().count();
        let total_hits = counted().map(|&n| u64::from(n)).sum();
        let documents = self.counted_documents_query(searcher, req)?;
        let tally = stats::tally(
            searcher,
            documents.as_ref(),
            by,
            top,
            self.party_labels(&req.filters),
            Some(Arc::new(hits)),
            self.lookups.numbers(searcher)?,
        )?;
        Ok(Counted {
            tally,
            passages,
            hits: total_hits,
            units,
        })
    }

    /// The passages the counts count documents by: those of the documents whose passages or
    /// title hold the words (together, for several required words), not a compound's parts
    /// near each other.
    pub(crate) fn counted_documents_query(
        &self,
        searcher: &tantivy::Searcher,
        req: &SearchRequest,
    ) -> Result<Box<dyn TQuery>> {
        let mut compiler = self.compiler(searcher);
        let compiled = compiler.filtered(&req.filters, Some(&req.query))?;
        let whole = compiled.query();
        Ok(
            match self.documents_matching(
                searcher,
                &mut compiler,
                &compiled,
                &req.query,
                whole.as_ref(),
            )? {
                Some(level) => level.passages,
                None => whole,
            },
        )
    }

    /// The population of a request by groups (its words and documents), and its words in all:
    /// for the whole index by one key, as the indexing run wrote it (see
    /// [`Self::write_populations`]) while it fits the segments.
    fn population_by(
        &self,
        searcher: &tantivy::Searcher,
        req: &SearchRequest,
        by: &[GroupKey],
    ) -> Result<stats::Population> {
        let compiled = self.compiler(searcher).filtered(&req.filters, None)?;
        if let ([key], true) = (by, compiled.whole_index()) {
            if let Some(p) = self.written_population(searcher, *key, req.filters.party_history) {
                return Ok(p);
            }
        }
        self.count_population(searcher, &compiled, &req.filters, by)
    }

    /// Counts a population (see [`Self::population_by`]).
    fn count_population(
        &self,
        searcher: &tantivy::Searcher,
        compiled: &crate::compile::Compiled,
        filters: &crate::request::Filters,
        by: &[GroupKey],
    ) -> Result<stats::Population> {
        let q = compiled.denominator();
        let tally = stats::tally(
            searcher,
            q.as_ref(),
            by,
            0,
            self.party_labels(filters),
            None,
            self.lookups.numbers(searcher)?,
        )?;
        let words = if by.iter().any(|k| k.is_passage_level()) {
            searcher.search(q.as_ref(), &stats::WordSum)?
        } else {
            tally.values().map(|t| t.words).sum()
        };
        Ok(stats::Population::of(&tally, words))
    }

    /// The population of the whole index by `key`, as [`Self::write_populations`] left it:
    /// `None` when there is none for the segments as they are (or it cannot be read: then it is
    /// counted).
    fn written_population(
        &self,
        searcher: &tantivy::Searcher,
        key: GroupKey,
        party_history: bool,
    ) -> Option<stats::Population> {
        // Parties as written or by today's labels make a difference to parties only.
        let history = party_history && key == GroupKey::Party;
        let path = self.population_dir().join(population_file(key, history));
        let written: WrittenPopulation = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
        (written.format == KEPT_FORMAT && written.segments == segment_ids(searcher)).then(|| {
            stats::Population {
                groups: written.groups.into_iter().collect(),
                documents: written.documents,
                words: written.words,
            }
        })
    }

    fn population_dir(&self) -> std::path::PathBuf {
        sokord_core::layout::generation_dir(&self.open.path, self.open.meta.generation)
            .join(POPULATION_DIR)
    }

    /// Counts the population of the whole index by each key (parties by today's labels and as
    /// written) and writes it into the index's current generation, where `stats` and `compare`
    /// read it while the segments are the same: a view of the whole index then counts only what
    /// its query matches. The topics of the whole index are written beside it. An indexing run
    /// from the command line ends with this. Files already kept for these segments (by this
    /// version) are left as they are.
    pub(crate) fn write_populations(&self) -> Result<()> {
        let searcher = self.reader.searcher();
        let dir = self.population_dir();
        std::fs::create_dir_all(&dir).map_err(|e| sokord_core::Error::io(&dir, e))?;
        let segments = segment_ids(&searcher);
        let jobs: Vec<(GroupKey, bool)> = GroupKey::ALL
            .iter()
            .flat_map(|&key| [(key, false), (key, true)])
            .filter(|&(key, party_history)| !party_history || key == GroupKey::Party)
            // Kept already for these segments (a run that found nothing changed).
            .filter(|&(key, party_history)| {
                self.written_population(&searcher, key, party_history)
                    .is_none()
            })
            .collect();
        let count_and_keep = |(key, party_history): (GroupKey, bool)| -> Result<()> {
            let filters = crate::request::Filters {
                party_history,
                ..Default::default()
            };
            let compiled = self.compiler(&searcher).filtered(&filters, None)?;
            let population = self.count_population(&searcher, &compiled, &filters, &[key])?;
            let written = WrittenPopulation {
                format: KEPT_FORMAT,
                segments: segments.clone(),
                groups: population.groups.into_iter().collect(),
                documents: population.documents,
                words: population.words,
            };
            let name = population_file(key, party_history);
            let bytes = serde_json::to_vec(&written)
                .map_err(|e| sokord_core::Error::io(dir.join(&name), std::io::Error::other(e)))?;
            sokord_core::layout::write_atomically(&dir, &name, &bytes)?;
            Ok(())
        };
        // Each key on its own, on two threads; the documents' numbers they all use are read
        // (or made) once, before.
        if !jobs.is_empty() {
            self.lookups.numbers(&searcher)?;
        }
        let next = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..jobs.len().min(2))
                .map(|_| {
                    scope.spawn(|| -> Result<()> {
                        loop {
                            let at = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(&job) = jobs.get(at) else {
                                return Ok(());
                            };
                            count_and_keep(job)?;
                        }
                    })
                })
                .collect();
            workers
                .into_iter()
                .try_for_each(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
        })?;
        // The topics of the whole index, as `sokord topics` shows them.
        if self.written_topics(&searcher, KEPT_TOP_ACTORS).is_some() {
            return Ok(());
        }
        let all = SearchRequest::parse("")?;
        match self.topics_in_one_pass(&searcher, &all, None, KEPT_TOP_ACTORS)? {
            Some(overview) => {
                let written = WrittenTopics {
                    format: KEPT_FORMAT,
                    segments,
                    top_actors: KEPT_TOP_ACTORS,
                    overview,
                };
                let bytes = serde_json::to_vec(&written).map_err(|e| {
                    sokord_core::Error::io(dir.join(TOPICS_FILE), std::io::Error::other(e))
                })?;
                sokord_core::layout::write_atomically(&dir, TOPICS_FILE, &bytes)?;
            }
            None => {
                let _ = std::fs::remove_file(dir.join(TOPICS_FILE));
            }
        }
        Ok(())
    }

    /// One query's series.
    fn series_of(
        &self,
        req: &SearchRequest,
        by: &[GroupKey],
        counted: &Counted,
        population: &stats::Population,
    ) -> stats::Series {
        let mut s = stats::series(req.query.to_string(), by, &counted.tally, population);
        if by.contains(&GroupKey::Topic) {
            stats::set_totals(&mut s, counted.passages, counted.hits, population.words);
        }
        s
    }

    pub fn stats(&self, reqs: &[SearchRequest], by: &[GroupKey]) -> Result<Stats> {
        let searcher = self.reader.searcher();
        if by.len() > 2 {
            return Err(crate::error::Error::Grouping(
                "one key, or two for a cross-tab (--by party,year)".into(),
            ));
        }
        let Some(first) = reqs.first() else {
            return Err(crate::error::Error::Grouping("a query".into()));
        };
        let mut series = Vec::with_capacity(reqs.len());
        // Queries with the same filters share their population.
        let mut population: Option<(&crate::request::Filters, stats::Population)> = None;
        for req in reqs {
            if population.as_ref().is_none_or(|p| *p.0 != req.filters) {
                population = Some((&req.filters, self.population_by(&searcher, req, by)?));
            }
            let Some((_, population)) = &population else {
                unreachable!("set above");
            };
            let counted = self.count_by(&searcher, req, by, 0)?;
            series.push(self.series_of(req, by, &counted, population));
        }
        let one = series[0].clone();
        Ok(Stats {
            query: one.query,
            by: by.to_vec(),
            filters: FilterRoles::of(&first.filters),
            total_documents: one.total.documents,
            total_passages: one.total.passages,
            total_hits: one.total.hits,
            total: one.total,
            groups: one.groups,
            series: if series.len() > 1 { series } else { Vec::new() },
        })
    }

    pub fn count(&self, req: &SearchRequest) -> Result<Counts> {
        let searcher = self.reader.searcher();
        let counted = self.count_by(&searcher, req, &[], 0)?;
        let documents = counted
            .tally
            .values()
            .map(|t| t.documents.len())
            .sum::<usize>();
        Ok(Counts {
            query: req.query.to_string(),
            filters: FilterRoles::of(&req.filters),
            passages: counted.passages,
            documents,
            hits: counted.hits,
        })
    }

    /// A group's statement: one of the best passages it counts, cited.
    fn statement(
        &self,
        doc: &TantivyDocument,
        score: tantivy::Score,
        highlighter: &mut crate::snippet::Highlighter,
        req: &SearchRequest,
    ) -> Hit {
        let mut hit = Hit::read(
            self.fields(),
            doc,
            score,
            highlighter,
            req.snippet_chars,
            None,
        );
        hit.counted = true;
        hit
    }

    pub fn compare(
        &self,
        req: &SearchRequest,
        by: GroupKey,
        top: usize,
        largest: Option<usize>,
    ) -> Result<Comparison> {
        let searcher = self.reader.searcher();
        let keys = [by];
        let population = self.population_by(&searcher, req, &keys)?;
        // A few more candidates than asked for: a passage that is all a quotation (a minister's
        // answer, a newspaper, quoted by the member) gives way to the group's own words.
        let candidates = if top == 0 { 0 } else { top + 3 };
        let counted = self.count_by(&searcher, req, &keys, candidates)?;
        let counts = self.series_of(req, &keys, &counted, &population);
        let mut highlighter = self.highlighter(&searcher, &counted.units)?;
        let stated = largest.map(|n| largest_groups(counts.groups.iter(), n));
        let mut groups = Vec::new();
        for (i, g) in counts.groups.into_iter().enumerate() {
            let mut statements = Vec::new();
            let best = match &stated {
                Some(stated) if stated.binary_search(&i).is_err() => &[][..],
                _ => counted.tally.get(&g.keys).map_or(&[][..], |t| &t.best[..]),
            };
            let mut quoted = Vec::new();
            for (score, address) in best {
                if statements.len() >= top {
                    break;
                }
                let doc: TantivyDocument = searcher.doc(*address)?;
                let text = crate::stored::text_of(&doc, self.fields().text).unwrap_or_default();
                if is_quotation(&text) || is_document_header(&text) {
                    quoted.push((*score, doc));
                    continue;
                }
                statements.push(self.statement(&doc, *score, &mut highlighter, req));
            }
            for (score, doc) in quoted {
                if statements.len() >= top {
                    break;
                }
                statements.push(self.statement(&doc, score, &mut highlighter, req));
            }
            groups.push(CompareGroup {
                stats: g,
                statements,
            });
        }
        // Time in time order; other groups most matching passages first.
        if !by.is_time() {
            groups.sort_by(|a, b| {
                b.stats
                    .passages
                    .cmp(&a.stats.passages)
                    .then(a.stats.key.cmp(&b.stats.key))
            });
        }
        Ok(Comparison {
            query: counts.query,
            by,
            filters: FilterRoles::of(&req.filters),
            total_documents: counts.total.documents,
            total_passages: counts.total.passages,
            total: counts.total,
            groups,
        })
    }

    /// Term counts of the passages two queries match, read from the inverted index of the
    /// passages' lemma terms (one pass over its postings, block by block, not over the texts;
    /// the segments' sorted term lists merged, so that no term is hashed per segment). Only
    /// the terms the subset holds at least `min_count` times are kept: keyness asks for no
    /// others.
    fn term_counts(
        &self,
        searcher: &tantivy::Searcher,
        subset: &dyn TQuery,
        reference: &dyn TQuery,
        min_count: u64,
    ) -> Result<(stats::TermCounts, stats::TermCounts)> {
        use tantivy::BitSet;
        let f = self.fields();
        let segments = searcher.segment_readers();
        // The passages of each side (a bit set per segment), and their running words.
        let members = |q: &dyn TQuery| -> Result<(Vec<BitSet>, u64)> {
            let (sets, words) = searcher.search(q, &(stats::Members, stats::WordSum))?;
            Ok((sets, words))
        };
        let ((sub_docs, sub_words), (ref_docs, ref_words)) =
            (members(subset)?, members(reference)?);
        let mut indexes = Vec::with_capacity(segments.len());
        for segment in segments {
            indexes.push(segment.inverted_index(f.lemma)?);
        }
        let mut streams = Vec::with_capacity(indexes.len());
        for index in &indexes {
            let mut s = index
                .terms()
                .stream()
                .map_err(tantivy::TantivyError::from)?;
            let live = s.advance();
            streams.push((s, live));
        }
        let (mut a, mut b) = (stats::TermCounts::default(), stats::TermCounts::default());
        let min_count = min_count.max(1);
        let mut at: Vec<usize> = Vec::with_capacity(streams.len());
        loop {
            // The segments whose next term is the least.
            at.clear();
            let mut least: Option<&[u8]> = None;
            for (i, (s, live)) in streams.iter().enumerate() {
                if !live {
                    continue;
                }
                match least.map(|l| s.key().cmp(l)) {
                    None | Some(std::cmp::Ordering::Less) => {
                        least = Some(s.key());
                        at.clear();
                        at.push(i);
                    }
                    Some(std::cmp::Ordering::Equal) => at.push(i),
                    Some(std::cmp::Ordering::Greater) => {}
                }
            }
            let Some(key) = least else {
                break;
            };
            let term = std::str::from_utf8(key)
                .ok()
                .filter(|t| stats::counts_as_word(t));
            if let Some(term) = term {
                let (mut in_a, mut in_b) = (0u64, 0u64);
                for &i in &at {
                    let (sub, rest) = (&sub_docs[i], &ref_docs[i]);
                    for_each_posting(&indexes[i], streams[i].0.value(), |doc, tf| {
                        if sub.contains(doc) {
                            in_a += u64::from(tf);
                        }
                        if rest.contains(doc) {
                            in_b += u64::from(tf);
                        }
                    })?;
                }
                if in_a >= min_count {
                    if in_b > 0 {
                        b.counts.insert(term.to_string(), in_b);
                    }
                    a.counts.insert(term.to_string(), in_a);
                }
            }
            for &i in &at {
                let s = &mut streams[i];
                s.1 = s.0.advance();
            }
        }
        // Rates are per running word (stop words included), as everywhere.
        (a.tokens, b.tokens) = (sub_words, ref_words);
        Ok((a, b))
    }

    /// Keyness of the passages `subset` matches against all others, from the term totals
    /// written at indexing (`sokord_core::totals`): only the subset's counts are read from the
    /// postings (the rest's are the totals less them), terms most frequent first, until a
    /// term's total is too small for it to reach the `top` found so far (see
    /// [`stats::keyness_bound`]). The same keywords as [`stats::keyness`] over
    /// [`Snapshot::term_counts`]; `None` when the index has no totals for its segments as they
    /// are (then those are counted). Returns the keywords and the words of both sides.
    fn keyness_from_totals(
        &self,
        searcher: &tantivy::Searcher,
        subset: &dyn TQuery,
        top: usize,
        min_count: u64,
    ) -> Result<Option<(Vec<stats::Keyword>, u64, u64)>> {
        let Some(totals) = self.term_totals(searcher)? else {
            return Ok(None);
        };
        let Some(order) = totals.segment_order(searcher) else {
            return Ok(None);
        };
        let (members, sub_words): (Vec<tantivy::BitSet>, u64) =
            searcher.search(subset, &(stats::Members, stats::WordSum))?;
        let ref_words = totals.words().saturating_sub(sub_words);
        let (c, d) = stats::keyness_words(sub_words, ref_words);
        let segments = searcher.segment_readers();
        let mut indexes = Vec::with_capacity(segments.len());
        for segment in segments {
            indexes.push(segment.inverted_index(self.fields().lemma)?);
        }
        let min_count = min_count.max(1);
        let mut found: Vec<stats::Keyword> = Vec::new();
        // The `top` highest log-likelihoods so far, least first.
        let mut best: std::collections::BinaryHeap<std::cmp::Reverse<Likelihood>> =
            Default::default();
        let Some(mut terms) = totals.terms()? else {
            return Ok(None);
        };
        let (mut term, mut infos) = (Vec::new(), Vec::new());
        while let Some(total) = terms.next_term(&mut term, &mut infos) {
            if total < min_count || top == 0 {
                break;
            }
            if best.len() == top {
                let least = best.peek().map_or(0.0, |l| l.0 .0);
                // A margin for rounding: a term at the bound is still counted.
                if stats::keyness_bound(total, c, d) * (1.0 + 1e-9) < least {
                    break;
                }
            }
            let Some(term) = std::str::from_utf8(&term)
                .ok()
                .filter(|t| stats::counts_as_word(t))
            else {
                continue;
            };
            let mut a = 0u64;
            for (i, info) in infos.iter().enumerate() {
                let (Some(info), Some(&s)) = (info, order.get(i)) else {
                    continue;
                };
                let sub = &members[s];
                for_each_posting(&indexes[s], info, |doc, tf| {
                    if sub.contains(doc) {
                        a += u64::from(tf);
                    }
                })?;
            }
            if a < min_count {
                continue;
            }
            let Some(k) = stats::keyword(term, a, total.saturating_sub(a), c, d) else {
                continue;
            };
            best.push(std::cmp::Reverse(Likelihood(k.log_likelihood)));
            if best.len() > top {
                best.pop();
            }
            found.push(k);
        }
        Ok(Some((
            stats::most_distinctive(found, top),
            sub_words,
            ref_words,
        )))
    }

    /// Keyness of the passages of some party labels (the `party` field's terms) against all
    /// others, from the counts by label written at indexing ([`sokord_core::totals::PartyTotals`]):
    /// no postings read. The same keywords as [`Self::keyness_from_totals`]; `None` when the
    /// index has no such counts for its segments as they are.
    fn keyness_from_party_totals(
        &self,
        searcher: &tantivy::Searcher,
        labels: &[String],
        top: usize,
        min_count: u64,
    ) -> Result<Option<(Vec<stats::Keyword>, u64, u64)>> {
        // Both files must fit the segments: the rest's words are the lemma totals' words less
        // the party's. A damaged party file is passed over (the postings are counted).
        let Some(totals) = self.term_totals(searcher)? else {
            return Ok(None);
        };
        if totals.segment_order(searcher).is_none() {
            return Ok(None);
        }
        let Some(parties) = self.party_totals(searcher) else {
            return Ok(None);
        };
        let min_count = min_count.max(1);
        let Ok(counts) = parties.counts(labels.iter().map(String::as_str), min_count) else {
            return Ok(None);
        };
        let (sub_words, ref_words) = (counts.words, totals.words().saturating_sub(counts.words));
        let (c, d) = stats::keyness_words(sub_words, ref_words);
        let found = counts
            .terms
            .iter()
            .filter(|(term, &(a, _))| a >= min_count && stats::counts_as_word(term))
            .filter_map(|(term, &(a, total))| {
                stats::keyword(term, a, total.saturating_sub(a), c, d)
            })
            .collect();
        Ok(Some((
            stats::most_distinctive(found, top),
            sub_words,
            ref_words,
        )))
    }

    /// The counts by party label written at indexing, when they fit the segments as they are
    /// (a damaged file is passed over: the postings are counted).
    fn party_totals(
        &self,
        searcher: &tantivy::Searcher,
    ) -> Option<sokord_core::totals::PartyTotals> {
        let dir = sokord_core::layout::generation_dir(&self.open.path, self.open.meta.generation);
        let parties = sokord_core::totals::PartyTotals::read(&dir).ok()??;
        parties.fits(searcher).then_some(parties)
    }

    /// Keyness of the passages of some party labels against those of others, from the counts
    /// by label written at indexing: no postings read. The same keywords as
    /// [`stats::keyness`] over [`Snapshot::term_counts`] of the two; `None` when the index has
    /// no such counts for its segments as they are.
    fn keyness_between_parties(
        &self,
        searcher: &tantivy::Searcher,
        subset: &[String],
        reference: &[String],
        top: usize,
        min_count: u64,
    ) -> Result<Option<(Vec<stats::Keyword>, u64, u64)>> {
        let Some(parties) = self.party_totals(searcher) else {
            return Ok(None);
        };
        let min_count = min_count.max(1);
        let (Ok(a), Ok(b)) = (
            parties.counts(subset.iter().map(String::as_str), min_count),
            parties.counts(reference.iter().map(String::as_str), 1),
        ) else {
            return Ok(None);
        };
        // As `term_counts` counts them: the subset's words seen `min_count` times at least,
        // the reference's counts of those.
        let mut sub = stats::TermCounts {
            tokens: a.words,
            ..Default::default()
        };
        let mut rest = stats::TermCounts {
            tokens: b.words,
            ..Default::default()
        };
        for (term, &(count, _)) in &a.terms {
            if count < min_count || !stats::counts_as_word(term) {
                continue;
            }
            if let Some(&(in_b, _)) = b.terms.get(term).filter(|c| c.0 > 0) {
                rest.counts.insert(term.clone(), in_b);
            }
            sub.counts.insert(term.clone(), count);
        }
        Ok(Some((
            stats::keyness(&sub, &rest, top, min_count),
            sub.tokens,
            rest.tokens,
        )))
    }

    /// The index's term totals, read once per snapshot (again when its segments changed).
    fn term_totals(
        &self,
        searcher: &tantivy::Searcher,
    ) -> Result<Option<Arc<sokord_core::totals::TermTotals>>> {
        let mut cached = self.totals.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = &*cached {
            if t.segment_order(searcher).is_some() {
                return Ok(Some(t.clone()));
            }
        }
        let dir = sokord_core::layout::generation_dir(&self.open.path, self.open.meta.generation);
        let read = sokord_core::totals::TermTotals::read(&dir)?.map(Arc::new);
        *cached = read.clone();
        Ok(read)
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
                (Occur::Must, match_term(f.lemma, t)),
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

    pub fn keywords(
        &self,
        subset: &SearchRequest,
        reference: Option<&SearchRequest>,
        top: usize,
        min_count: u64,
    ) -> Result<Keywords> {
        let searcher = self.reader.searcher();
        // Passages count by their own text, as in stats.
        let mut compiler = self.compiler(&searcher).passages_only();
        let sub_q = compiler
            .filtered(&subset.filters, Some(&subset.query))?
            .query();
        let (ref_q, reference_name) = match reference {
            Some(r) => (
                compiler.filtered(&r.filters, Some(&r.query))?.query(),
                r.query.to_string(),
            ),
            None => {
                let rest = BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery) as Box<dyn TQuery>),
                    (
                        Occur::MustNot,
                        Box::new(crate::labelled::Excluded(sub_q.box_clone())),
                    ),
                ]);
                (Box::new(rest) as Box<dyn TQuery>, crate::REST.to_string())
            }
        };
        let from_totals = match (reference, party_only(subset)) {
            (None, Some(party)) => {
                let terms = compiler.party_terms(&party, subset.filters.party_history)?;
                match self.keyness_from_party_totals(&searcher, &terms, top, min_count)? {
                    Some(k) => Some(k),
                    None => self.keyness_from_totals(&searcher, sub_q.as_ref(), top, min_count)?,
                }
            }
            (None, None) => self.keyness_from_totals(&searcher, sub_q.as_ref(), top, min_count)?,
            // One party against another (`--party S --vs party:M`): both from the counts by
            // label.
            (Some(r), Some(party)) => match party_only(r) {
                Some(other) => {
                    let a = compiler.party_terms(&party, subset.filters.party_history)?;
                    let b = compiler.party_terms(&other, r.filters.party_history)?;
                    self.keyness_between_parties(&searcher, &a, &b, top, min_count)?
                }
                None => None,
            },
            (Some(_), None) => None,
        };
        let (mut keywords, subset_words, reference_words) = match from_totals {
            Some(k) => k,
            None => {
                let (a, b) =
                    self.term_counts(&searcher, sub_q.as_ref(), ref_q.as_ref(), min_count)?;
                (stats::keyness(&a, &b, top, min_count), a.tokens, b.tokens)
            }
        };
        if reference_words == 0 {
            return Err(Error::EmptyReference {
                reference: reference_name,
                rest: reference.is_none(),
            });
        }
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
            subset_words,
            reference_words,
            keywords,
        })
    }

    pub fn topics(
        &self,
        req: &SearchRequest,
        by: Option<GroupKey>,
        top_actors: usize,
    ) -> Result<TopicOverview> {
        let searcher = self.reader.searcher();
        // The whole index's, as `sokord index` kept it.
        if by.is_none() && req.query == Query::All && req.filters.select_nothing_out() {
            if let Some(overview) = self.written_topics(&searcher, top_actors) {
                return Ok(overview);
            }
        }
        if let Some(overview) = self.topics_in_one_pass(&searcher, req, by, top_actors)? {
            return Ok(overview);
        }
        self.topics_one_by_one(&searcher, req, by, top_actors)
    }

    /// The topics of the whole index as [`Self::write_populations`] left them, with at most
    /// `top_actors` actors each: `None` when there are none for the segments as they are, they
    /// were kept with fewer actors, or they cannot be read (then they are counted).
    fn written_topics(
        &self,
        searcher: &tantivy::Searcher,
        top_actors: usize,
    ) -> Option<TopicOverview> {
        let path = self.population_dir().join(TOPICS_FILE);
        let written: WrittenTopics = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
        if written.format != KEPT_FORMAT
            || written.segments != segment_ids(searcher)
            || top_actors > written.top_actors
        {
            return None;
        }
        let mut overview = written.overview;
        for t in &mut overview.topics {
            t.top_actors.truncate(top_actors);
        }
        Some(overview)
    }

    /// [`Snapshot::topics`] from one pass over the passages that have any topic, grouped by
    /// their topics (the topics column) and actor (and `by`). `None` where that pass could
    /// differ from filtering by each topic in turn: topic filters that select documents, topic
    /// ids that are not told apart by their lower-cased form (as filters match them), and
    /// `--by topic`.
    fn topics_in_one_pass(
        &self,
        searcher: &tantivy::Searcher,
        req: &SearchRequest,
        by: Option<GroupKey>,
        top_actors: usize,
    ) -> Result<Option<TopicOverview>> {
        let taxonomy = &self.open.meta.taxonomy.topics;
        let mut place: HashMap<String, usize> = HashMap::new();
        for (i, t) in taxonomy.iter().enumerate() {
            if t.id.contains(',') || place.insert(t.id.to_lowercase(), i).is_some() {
                return Ok(None);
            }
        }
        // A filter value finds the first topic whose label or id it is: the ids must find
        // their own topics.
        let own = |t: &sokord_core::topics::Topic| {
            taxonomy.iter().find(|u| {
                u.label.to_lowercase() == t.id.to_lowercase()
                    || u.id.to_lowercase() == t.id.to_lowercase()
            }) == Some(t)
        };
        if taxonomy.is_empty()
            || req.filters.topic_scope != crate::request::TopicScope::Passage
            || by == Some(GroupKey::Topic)
            || !taxonomy.iter().all(own)
        {
            return Ok(None);
        }
        let ids: Vec<&str> = taxonomy.iter().map(|t| t.id.as_str()).collect();
        let filters = req.filters.clone().topic(ids.join(","));
        let mut compiler = self.compiler(searcher).passages_only();
        let query = compiler.filtered(&filters, Some(&req.query))?.query();
        let tally = |key: GroupKey| -> Result<BTreeMap<Vec<String>, stats::Tally>> {
            Ok(stats::tally(
                searcher,
                query.as_ref(),
                &[GroupKey::Topic, key],
                0,
                self.party_labels(&req.filters),
                None,
                self.lookups.numbers(searcher)?,
            )?)
        };
        // Each topic's groups, by its place in the taxonomy; `None` if two values of the
        // column are one topic (a passage could have both and be counted twice).
        let split = |tally: BTreeMap<Vec<String>, stats::Tally>| {
            let mut out: Vec<Vec<(String, stats::Tally)>> = vec![Vec::new(); taxonomy.len()];
            let mut written: HashMap<usize, String> = HashMap::new();
            for (mut k, t) in tally {
                let Some(&i) = place.get(&k[0].to_lowercase()) else {
                    continue;
                };
                if written.entry(i).or_insert_with(|| k[0].clone()) != &k[0] {
                    return None;
                }
                out[i].push((k.swap_remove(1), t));
            }
            Some(out)
        };
        let Some(by_actor) = split(tally(GroupKey::Actor)?) else {
            return Ok(None);
        };
        let by_key = match by {
            Some(key) => match split(tally(key)?) {
                Some(groups) => Some(groups),
                None => return Ok(None),
            },
            None => None,
        };
        let mut topics = Vec::new();
        for (i, topic) in taxonomy.iter().enumerate() {
            let of_actors: Vec<(String, &stats::Tally)> =
                by_actor[i].iter().map(|(k, t)| (k.clone(), t)).collect();
            let groups = by_key
                .as_ref()
                .map(|g| {
                    g[i].iter()
                        .map(|(k, t)| TopicGroup::of(k.clone(), t))
                        .collect()
                })
                .unwrap_or_default();
            topics.push(TopicStats::of(topic, &of_actors, groups, top_actors));
        }
        Ok(Some(TopicOverview { by, topics }))
    }

    /// [`Snapshot::topics`] with one query (and pass) per topic.
    fn topics_one_by_one(
        &self,
        searcher: &tantivy::Searcher,
        req: &SearchRequest,
        by: Option<GroupKey>,
        top_actors: usize,
    ) -> Result<TopicOverview> {
        let mut compiler = self.compiler(searcher).passages_only();
        let mut topics = Vec::new();
        for topic in &self.open.meta.taxonomy.topics {
            let filters = req.filters.clone().topic(topic.id.clone());
            let query = compiler.filtered(&filters, Some(&req.query))?.query();
            let by_actor = stats::tally(
                searcher,
                query.as_ref(),
                &[GroupKey::Actor],
                0,
                self.party_labels(&req.filters),
                None,
                self.lookups.numbers(searcher)?,
            )?;
            let groups = match by {
                Some(key) => stats::tally(
                    searcher,
                    query.as_ref(),
                    &[key],
                    0,
                    self.party_labels(&req.filters),
                    None,
                    self.lookups.numbers(searcher)?,
                )?
                .iter()
                .map(|(k, t)| TopicGroup::of(k.join(" · "), t))
                .collect(),
                None => Vec::new(),
            };
            let by_actor: Vec<(String, &stats::Tally)> =
                by_actor.iter().map(|(k, t)| (k.join(" · "), t)).collect();
            topics.push(TopicStats::of(topic, &by_actor, groups, top_actors));
        }
        Ok(TopicOverview { by, topics })
    }
}

/// Calls `each` with every passage and term frequency of a term's postings in one segment, read
/// block by block (no per-document seeking: every posting is wanted).
fn for_each_posting(
    index: &tantivy::InvertedIndexReader,
    info: &tantivy::postings::TermInfo,
    mut each: impl FnMut(DocId, u32),
) -> Result<()> {
    let mut block = index
        .read_block_postings_from_terminfo(info, tantivy::schema::IndexRecordOption::WithFreqs)
        .map_err(tantivy::TantivyError::from)?;
    loop {
        let docs = block.docs();
        if docs.is_empty() {
            return Ok(());
        }
        for (&doc, &tf) in docs.iter().zip(block.freqs()) {
            each(doc, tf);
        }
        block.advance();
    }
}

/// The party filter a request is made of alone: a party filter and no query, or a `party:`
/// query and no filter (the other settings as by default).
fn party_only(req: &SearchRequest) -> Option<String> {
    let mut rest = req.filters.clone();
    let filter = rest.party.take();
    if !rest.select_nothing_out() {
        return None;
    }
    match (&req.query, filter) {
        (Query::All, Some(value)) => Some(value),
        (
            Query::Word {
                text,
                field: Some(sokord_core::query::FieldName::Party),
                prefix: false,
                fuzzy: None,
                exact: false,
            },
            None,
        ) => Some(text.clone()),
        _ => None,
    }
}

/// Where [`Snapshot::write_populations`] writes, in the generation's folder.
const POPULATION_DIR: &str = "population";

/// A population's file: `year.json`, `party.json`, `party-history.json` (parties as written).
fn population_file(key: GroupKey, party_history: bool) -> String {
    let history = if party_history { "-history" } else { "" };
    format!("{}{history}.json", key.as_str())
}

/// Where [`Snapshot::write_populations`] keeps the topics of the whole index.
const TOPICS_FILE: &str = "topics.json";

/// The most actors per topic kept (`sokord topics` and the web page show 5).
const KEPT_TOP_ACTORS: usize = 20;

/// The topics of the whole index as written, with the segments they were counted on and how
/// many actors each topic kept.
#[derive(Serialize, Deserialize)]
struct WrittenTopics {
    /// [`KEPT_FORMAT`]; absent (0) in files of earlier versions, which are not read.
    #[serde(default)]
    format: u32,
    segments: Vec<(String, u64)>,
    top_actors: usize,
    overview: TopicOverview,
}

/// The version of what the kept population and topics files hold and how it was counted. A file
/// of another version is not read (the view counts instead) and is written again by the next
/// indexing run: raise it when a change to the code changes what these files would say.
const KEPT_FORMAT: u32 = 1;

/// A population as written, with the segments (id, deleted passages) it was counted on.
#[derive(Serialize, Deserialize)]
struct WrittenPopulation {
    /// [`KEPT_FORMAT`]; absent (0) in files of earlier versions, which are not read.
    #[serde(default)]
    format: u32,
    segments: Vec<(String, u64)>,
    groups: Vec<(Vec<String>, stats::PopulationGroup)>,
    documents: usize,
    words: u64,
}

/// The segments of a searcher: id and deleted passages.
fn segment_ids(searcher: &tantivy::Searcher) -> Vec<(String, u64)> {
    searcher
        .segment_readers()
        .iter()
        .map(|r| {
            (
                r.segment_id().uuid_string(),
                u64::from(r.num_deleted_docs()),
            )
        })
        .collect()
}

/// How many places a passage's matches stand at: of places that overlap, the first (the
/// longest of those starting together) counts, as highlighting keeps it.
fn count_places(places: &mut [(u32, u32)]) -> u32 {
    places.sort_unstable_by_key(|&(start, end)| (start, std::cmp::Reverse(end)));
    let mut n = 0;
    let mut end = 0;
    for &(s, e) in places.iter() {
        if n == 0 || s >= end {
            n += 1;
            end = e;
        }
    }
    n
}

/// Whether a passage is a parliamentary document's header line rather than anyone's words:
/// "Interpellation 1999/2000:56 av Chatrine Pålsson (kd) till socialminister Lars Engqvist om
/// …" (428 of the interpellations have one as a paragraph).
pub(crate) fn is_document_header(text: &str) -> bool {
    let Some(rest) = text.trim().strip_prefix("Interpellation ") else {
        return false;
    };
    let (designation, rest) = rest.split_once(' ').unwrap_or((rest, ""));
    let designated = designation.contains(['/', ':'])
        && designation
            .chars()
            .all(|c| c.is_ascii_digit() || c == '/' || c == ':');
    designated && rest.starts_with("av ") && rest.contains(" till ")
}

/// Whether a passage is all a quotation: it opens with a quotation mark and ends with one,
/// perhaps before its source in parentheses (the member quoting the minister's answer or a
/// newspaper, in a paragraph of its own).
pub(crate) fn is_quotation(text: &str) -> bool {
    const MARKS: [char; 6] = ['”', '“', '„', '«', '»', '"'];
    let trailing = |c: char| c.is_whitespace() || ".,;:…".contains(c);
    let t = text.trim().trim_start_matches('…').trim_start();
    let mut end = t.trim_end_matches(trailing);
    if end.ends_with(')') {
        if let Some(open) = end.rfind('(') {
            end = end[..open].trim_end_matches(trailing);
        }
    }
    t.starts_with(MARKS) && end.ends_with(MARKS) && end.chars().count() > 2
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A paragraph all in quotation marks is a quotation; one that quotes within its own words
    /// is not.
    #[test]
    fn a_paragraph_in_quotation_marks_is_a_quotation() {
        for quoted in [
            "”När det gäller väntetider, som interpellanten refererar till, vill jag hävda …”",
            "“Vården ska vara jämlik.”",
            "«Köerna växer.» ",
            "\"Det är bråttom\".",
            "”Människor blir inte utan vård.” (Dagens Nyheter den 14 juni 1995)",
        ] {
            assert!(is_quotation(quoted), "{quoted}");
        }
        for own in [
            "Ministern svarade: ”Köerna ska kortas.”",
            "”Vård i tid” är regeringens mål, men köerna växer.",
            "Väntetiderna växer i hela landet.",
            "”",
        ] {
            assert!(!is_quotation(own), "{own}");
        }
        assert!(is_document_header(
            "Interpellation 1999/2000:56 av Chatrine Pålsson (kd) till socialminister Lars \
             Engqvist om vårdköerna"
        ));
        assert!(!is_document_header(
            "Interpellationen av den 3 maj till ministern gällde vårdköerna."
        ));
        assert!(!is_document_header("Interpellation 12 om vården"));
    }

    #[test]
    fn the_largest_groups_are_those_with_most_documents_then_passages_then_by_value() {
        let group = |key: &str, documents: usize, passages: usize| {
            GroupStats::new(vec![key.to_string()], documents, passages, 1, 100, 10)
        };
        let groups = [
            group("", 5, 9),
            group("Annie Lööf", 5, 9),
            group("Bo Ek", 9, 9),
            group("Anna Ek", 5, 9),
            group("Cecilia Ek", 0, 0),
            group("Dag Ek", 5, 12),
        ];
        let names = |at: Vec<usize>| -> Vec<&str> {
            at.into_iter().map(|i| groups[i].key.as_str()).collect()
        };
        // Most documents; of equals, most passages; then by value, no value last; in the
        // groups' own order.
        assert_eq!(
            names(largest_groups(groups.iter(), 3)),
            ["Bo Ek", "Anna Ek", "Dag Ek"]
        );
        assert_eq!(
            names(largest_groups(groups.iter(), 4)),
            ["Annie Lööf", "Bo Ek", "Anna Ek", "Dag Ek"]
        );
        // Every group with a match when there are no more than `n`, none without.
        assert_eq!(
            names(largest_groups(groups.iter(), 5)),
            ["", "Annie Lööf", "Bo Ek", "Anna Ek", "Dag Ek"]
        );
        assert_eq!(largest_groups(groups.iter(), 40).len(), 5);
        assert!(largest_groups(groups.iter(), 0).is_empty());
    }
}
