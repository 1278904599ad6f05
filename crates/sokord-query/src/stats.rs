//! Views over a result set for comparing and counting: statistics by group, actors side by side,
//! distinctive words (keyness) and the topic taxonomy with its counts.
//!
//! What each figure means (the README's statistics section says the same):
//!
//! - **passages**: passages whose own text or chapter heading matches the query. A match in the
//!   title makes its document match but does not count the document's passages.
//! - **documents**: documents that match: one of their passages matches, or their title does.
//!   A query of several required parts (`vård kö`) matches a document whose passages *together*
//!   hold every part, as `search --group doc` does.
//! - **hits**: occurrences of the query's words and phrases in the counted passages' text: the
//!   lines `kwic` shows for them. A phrase (or a word the analysis cuts in two, `TLV:s`) is one
//!   hit where it stands whole; the words of a phrase with slop are a hit each.
//! - **words**: all running words of the group's population (stop words included), counted at
//!   index time for each passage.
//! - **per_10k_words** = passages × 10,000 / words; **per_million_words** = hits × 1,000,000 /
//!   words; **document_share** = documents / documents of the group's population.
//!
//! The who/when/what-kind filters (actor, party, recipient, type, dates) choose the population,
//! whose words and documents are the denominators; the query, `topic` and `chapter` choose what
//! is counted in it. Groups of single-valued keys add up to the totals; topics overlap (a passage
//! may have several), and so may documents grouped by passage-level keys (topic, chapter).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use sokord_core::parties::PartyTable;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::Query as TQuery;
use tantivy::{BitSet, DateTime, DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::segments::DocNumbers;

/// What to group by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupKey {
    /// The document's year.
    Year,
    /// The document's month, `YYYY-MM`.
    Month,
    /// The parliamentary session (riksmöte, `2012/13`): as the document's metadata gives it
    /// (`session`), else from its date, a session running from 15 September.
    Session,
    /// The actor.
    Actor,
    /// The party.
    Party,
    /// The recipient (an interpellation's minister).
    Recipient,
    /// The document type.
    Type,
    /// The passage's topics (a passage may have several: groups then overlap).
    Topic,
    /// The passage's top-level chapter.
    Chapter,
}

impl GroupKey {
    /// The key's name, as in `--by`.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupKey::Year => "year",
            GroupKey::Month => "month",
            GroupKey::Session => "session",
            GroupKey::Actor => "actor",
            GroupKey::Party => "party",
            GroupKey::Recipient => "recipient",
            GroupKey::Type => "type",
            GroupKey::Topic => "topic",
            GroupKey::Chapter => "chapter",
        }
    }

    /// Whether the key orders groups in time.
    pub fn is_time(self) -> bool {
        matches!(self, GroupKey::Year | GroupKey::Month | GroupKey::Session)
    }

    /// Whether a document's passages may fall in different groups (topics, chapters): then
    /// documents are counted in each group they have passages in.
    pub fn is_passage_level(self) -> bool {
        matches!(self, GroupKey::Topic | GroupKey::Chapter)
    }
}

/// Counts for one group (or, as a total, for all of them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupStats {
    /// The group's value ("" for passages without one); in a cross-tab, the values joined
    /// with " · ".
    pub key: String,
    /// The group's value for each key of the grouping, in its order.
    pub keys: Vec<String>,
    /// Matching documents.
    pub documents: usize,
    /// Passages whose own text (or chapter heading) matches.
    pub passages: usize,
    /// Occurrences of the query's words in those passages' text (as `kwic` lines).
    pub hits: u64,
    /// Running words of the group's population (stop words included).
    pub words: u64,
    /// Documents of the group's population.
    pub population_documents: usize,
    /// Matching passages per 10,000 words.
    pub per_10k_words: f64,
    /// Hits per million words.
    pub per_million_words: f64,
    /// Matching documents / documents of the group's population.
    pub document_share: f64,
}

impl GroupStats {
    /// A cross-tab's rows and columns: the first key's values in the order the groups give
    /// them, and the second key's sorted, the empty value last.
    pub fn cross_tab_axes(groups: &[GroupStats]) -> (Vec<&str>, Vec<&str>) {
        let (rows, cols, _) = GroupStats::cross_tab(groups);
        (rows, cols)
    }

    /// A cross-tab: its rows and columns as [`GroupStats::cross_tab_axes`] orders them, and
    /// each row's cells, one a column, `None` where no group has that pair of values.
    #[allow(clippy::type_complexity)]
    pub fn cross_tab(
        groups: &[GroupStats],
    ) -> (Vec<&str>, Vec<&str>, Vec<Vec<Option<&GroupStats>>>) {
        let mut rows: Vec<&str> = Vec::new();
        let mut cols: Vec<&str> = Vec::new();
        let (mut row_at, mut col_seen) = (HashMap::new(), std::collections::HashSet::new());
        for g in groups {
            let (Some(r), Some(c)) = (g.keys.first(), g.keys.get(1)) else {
                continue;
            };
            row_at.entry(r.as_str()).or_insert_with(|| {
                rows.push(r.as_str());
                rows.len() - 1
            });
            if col_seen.insert(c.as_str()) {
                cols.push(c.as_str());
            }
        }
        cols.sort_by(|a, b| (a.is_empty(), a).cmp(&(b.is_empty(), b)));
        let col_at: HashMap<&str, usize> = cols.iter().enumerate().map(|(i, c)| (*c, i)).collect();
        let mut cells = vec![vec![None; cols.len()]; rows.len()];
        for g in groups {
            if let (Some(r), Some(c)) = (g.keys.first(), g.keys.get(1)) {
                let cell = &mut cells[row_at[r.as_str()]][col_at[c.as_str()]];
                // The first of equal pairs, as a search from the start finds it.
                cell.get_or_insert(g);
            }
        }
        (rows, cols, cells)
    }

    pub(crate) fn new(
        keys: Vec<String>,
        documents: usize,
        passages: usize,
        hits: u64,
        words: u64,
        population_documents: usize,
    ) -> GroupStats {
        let per = |n: f64, scale: f64| {
            if words > 0 {
                n * scale / words as f64
            } else {
                0.0
            }
        };
        GroupStats {
            key: keys.join(" · "),
            keys,
            documents,
            passages,
            hits,
            words,
            population_documents,
            per_10k_words: per(passages as f64, 10_000.0),
            per_million_words: per(hits as f64, 1_000_000.0),
            document_share: if population_documents > 0 {
                documents as f64 / population_documents as f64
            } else {
                0.0
            },
        }
    }
}

/// Which filters chose the population (and so the denominators) and which chose what is
/// counted in it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FilterRoles {
    /// Filters that choose the population: actor, party, recipient, type, from, to.
    pub population: BTreeMap<String, String>,
    /// Filters that choose what is counted, with the query: topic, chapter.
    pub counted: BTreeMap<String, String>,
}

impl FilterRoles {
    pub(crate) fn of(f: &crate::request::Filters) -> FilterRoles {
        let mut roles = FilterRoles::default();
        for (name, value, population) in [
            ("actor", &f.actor, true),
            ("party", &f.party, true),
            ("recipient", &f.recipient, true),
            ("type", &f.doc_type, true),
            ("from", &f.from, true),
            ("to", &f.to, true),
            ("topic", &f.topic, false),
            ("chapter", &f.chapter, false),
        ] {
            if let Some(v) = value {
                let side = if population {
                    &mut roles.population
                } else {
                    &mut roles.counted
                };
                side.insert(name.to_string(), v.clone());
            }
        }
        roles
    }
}

/// One query's counts by group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Series {
    /// The query.
    pub query: String,
    /// Its counts over every group.
    pub total: GroupStats,
    /// Its groups, as in [`Stats::groups`].
    pub groups: Vec<GroupStats>,
}

/// Statistics of a query (or of several) by group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Stats {
    /// The (first) query.
    pub query: String,
    /// The grouping: one key, or two for a cross-tab.
    pub by: Vec<GroupKey>,
    /// Which filters chose the population and which what is counted.
    pub filters: FilterRoles,
    /// Matching documents in all.
    pub total_documents: usize,
    /// Matching passages in all.
    pub total_passages: usize,
    /// Hits in all.
    pub total_hits: u64,
    /// Every figure over all groups (topics: each passage once).
    pub total: GroupStats,
    /// The groups of the population, in key order (time keys in time order), those without
    /// matches included.
    pub groups: Vec<GroupStats>,
    /// With several queries, one series per query (the first is also the top level's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub series: Vec<Series>,
}

impl Stats {
    /// These statistics with, for each key that is not a time key, only its `n` values with
    /// the most matching documents in the first query (then the most passages, then in key
    /// order, as [`Comparison::largest`](crate::Comparison::largest) chooses), for a page or a
    /// chart that cannot show a thousand actors; each key's values are chosen among the groups
    /// the keys before it kept. Time keys keep every value (a year left out would be a gap);
    /// the totals stay those of every group. The groups keep their order. Also says how many
    /// groups were left out.
    pub fn largest(&self, n: usize) -> (Stats, usize) {
        let first = self.first_series();
        let mut kept: Vec<Option<std::collections::HashSet<&str>>> = Vec::new();
        for (k, key) in self.by.iter().enumerate() {
            if key.is_time() {
                kept.push(None);
                continue;
            }
            // Each value's passages and documents over the groups it is in.
            let mut sums: Vec<(&str, usize, usize)> = Vec::new();
            let mut at: HashMap<&str, usize> = HashMap::new();
            // Among the groups the keys before this one kept (`--by party,actor`: the largest
            // actors of the largest parties, not actors of parties left out).
            let earlier = |g: &GroupStats| {
                kept.iter()
                    .enumerate()
                    .all(|(j, values): (usize, &Option<_>)| {
                        values
                            .as_ref()
                            .is_none_or(|v: &std::collections::HashSet<&str>| {
                                v.contains(g.keys.get(j).map_or(g.key.as_str(), String::as_str))
                            })
                    })
            };
            for g in first.groups.iter().filter(|g| earlier(g)) {
                let value = g.keys.get(k).map_or(g.key.as_str(), String::as_str);
                let i = *at.entry(value).or_insert_with(|| {
                    sums.push((value, 0, 0));
                    sums.len() - 1
                });
                sums[i].1 += g.passages;
                sums[i].2 += g.documents;
            }
            if sums.len() <= n {
                kept.push(None);
                continue;
            }
            let order: HashMap<&str, usize> =
                sums.iter().enumerate().map(|(i, s)| (s.0, i)).collect();
            sums.sort_by(|a, b| {
                b.2.cmp(&a.2)
                    .then(b.1.cmp(&a.1))
                    .then(order[a.0].cmp(&order[b.0]))
            });
            kept.push(Some(sums.iter().take(n).map(|s| s.0).collect()));
        }
        let keep = |g: &GroupStats| {
            kept.iter().enumerate().all(|(k, values)| {
                values.as_ref().is_none_or(|v| {
                    v.contains(g.keys.get(k).map_or(g.key.as_str(), String::as_str))
                })
            })
        };
        let mut out = self.clone();
        out.groups.retain(|g| keep(g));
        for series in &mut out.series {
            series.groups.retain(|g| keep(g));
        }
        let left_out = self.groups.len() - out.groups.len();
        (out, left_out)
    }

    /// The first (or only) query's series.
    pub fn first_series(&self) -> Series {
        match self.series.first() {
            Some(s) => s.clone(),
            None => Series {
                query: self.query.clone(),
                total: self.total.clone(),
                groups: self.groups.clone(),
            },
        }
    }
}

/// Counts of a query without grouping or ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Counts {
    /// The query.
    pub query: String,
    /// Which filters chose the population and which what is counted.
    pub filters: FilterRoles,
    /// Passages whose own text (or chapter heading) matches.
    pub passages: usize,
    /// Matching documents.
    pub documents: usize,
    /// Occurrences of the query's words in those passages.
    pub hits: u64,
}

/// Per group: passages, documents (by number, see [`DocNumbers`]), words, hits and the best
/// passages.
#[derive(Default, Clone)]
pub(crate) struct Tally {
    pub passages: usize,
    pub documents: Documents,
    pub words: u64,
    pub hits: u64,
    pub best: Vec<(Score, DocAddress)>,
}

/// Document numbers (see [`DocNumbers`]), sorted and each once: pushed as collected, then put
/// in order once (a hash set per group cost a hash and, as it grew, fresh pages per document).
#[derive(Default, Clone, Debug)]
pub(crate) struct Documents(Vec<u32>);

impl Documents {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &u32> {
        self.0.iter()
    }

    /// Adds `other`'s documents; [`Documents::normalise`] puts them in order again.
    fn add(&mut self, other: Vec<u32>) {
        if self.0.is_empty() {
            self.0 = other;
        } else {
            self.0.extend(other);
        }
    }

    fn normalise(&mut self) {
        self.0.sort_unstable();
        self.0.dedup();
    }
}

/// A set of document numbers as bits.
struct NumberSet {
    words: Vec<u64>,
    len: usize,
}

impl NumberSet {
    fn new() -> NumberSet {
        NumberSet {
            words: Vec::new(),
            len: 0,
        }
    }

    fn extend(&mut self, documents: &Documents) {
        for &n in &documents.0 {
            let (w, bit) = ((n / 64) as usize, 1u64 << (n % 64));
            if w >= self.words.len() {
                self.words.resize(w + 1, 0);
            }
            if self.words[w] & bit == 0 {
                self.words[w] |= bit;
                self.len += 1;
            }
        }
    }
}

/// Hits of each passage by segment and document id: [`NOT_COUNTED`] for a passage not
/// counted.
pub(crate) type PassageHits = Vec<Vec<u32>>;

/// A passage [`PassageHits`] does not count.
pub(crate) const NOT_COUNTED: u32 = u32::MAX;

/// The passages a query matches, as [`PassageHits`] with no hits yet.
pub(crate) struct CountedPassages;

impl Collector for CountedPassages {
    type Fruit = PassageHits;
    type Child = CountedSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(CountedSegment {
            segment,
            hits: vec![NOT_COUNTED; reader.max_doc() as usize],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(SegmentOrdinal, Vec<u32>)>,
    ) -> tantivy::Result<PassageHits> {
        let mut out = vec![Vec::new(); fruits.len()];
        for (segment, hits) in fruits {
            if segment as usize >= out.len() {
                out.resize(segment as usize + 1, Vec::new());
            }
            out[segment as usize] = hits;
        }
        Ok(out)
    }
}

pub(crate) struct CountedSegment {
    segment: SegmentOrdinal,
    hits: Vec<u32>,
}

impl SegmentCollector for CountedSegment {
    type Fruit = (SegmentOrdinal, Vec<u32>);

    fn collect(&mut self, doc: DocId, _: Score) {
        self.hits[doc as usize] = 0;
    }

    fn harvest(self) -> Self::Fruit {
        (self.segment, self.hits)
    }
}

/// Tallies the matching passages by group keys, keeping the `top` best passages of each group.
pub(crate) struct GroupTally {
    pub keys: Vec<GroupKey>,
    /// Group parties by today's labels through this table; `None`: by the labels as written.
    pub parties: Option<Arc<PartyTable>>,
    pub top: usize,
    pub scoring: bool,
    /// The passages counted, with their hits; `None`: every passage collected counts (with
    /// no hits). Passages collected but not counted count only for their documents.
    pub hits: Option<Arc<PassageHits>>,
    pub numbers: Arc<DocNumbers>,
}

/// In one segment: passages, document numbers, words, hits and the best passages.
struct SegmentTally {
    passages: usize,
    /// Each document's number once at least (pushed when it differs from the last).
    documents: Vec<u32>,
    /// The document added last: a document's passages mostly come one after another.
    last: u32,
    words: u64,
    hits: u64,
    best: Vec<(Score, DocId)>,
}

impl Default for SegmentTally {
    fn default() -> SegmentTally {
        SegmentTally {
            passages: 0,
            documents: Vec::new(),
            last: u32::MAX,
            words: 0,
            hits: 0,
            best: Vec::new(),
        }
    }
}

/// One key's values in a segment, as numbers that `name` turns into the group's value.
enum KeyColumn {
    Str(Option<StrColumn>, bool),
    Year(Option<Column<u64>>),
    Month(Option<Column<DateTime>>),
}

const NONE: u64 = u64::MAX;

impl KeyColumn {
    fn open(key: GroupKey, reader: &SegmentReader) -> tantivy::Result<KeyColumn> {
        let ff = reader.fast_fields();
        Ok(match key {
            GroupKey::Year => KeyColumn::Year(ff.u64("year").ok()),
            GroupKey::Month => KeyColumn::Month(ff.date("date").ok()),
            GroupKey::Session => KeyColumn::Str(ff.str("session")?, false),
            GroupKey::Actor => KeyColumn::Str(ff.str("actor")?, false),
            GroupKey::Party => KeyColumn::Str(ff.str("party")?, true),
            GroupKey::Recipient => KeyColumn::Str(ff.str("recipient")?, false),
            GroupKey::Type => KeyColumn::Str(ff.str("type")?, false),
            GroupKey::Topic => KeyColumn::Str(ff.str("topics")?, false),
            GroupKey::Chapter => KeyColumn::Str(ff.str("chapter_label")?, false),
        })
    }

    /// The passage's values (none: [`NONE`]).
    fn values(&mut self, doc: DocId, out: &mut Vec<u64>) {
        out.clear();
        match self {
            KeyColumn::Str(Some(c), _) => {
                out.extend(c.term_ords(doc));
                // A value given twice (a topic named twice in an older index) counts once.
                if out.len() > 1 {
                    out.sort_unstable();
                    out.dedup();
                }
            }
            KeyColumn::Str(None, _) => {}
            KeyColumn::Year(c) => out.extend(c.as_ref().and_then(|c| c.first(doc))),
            KeyColumn::Month(c) => out.extend(
                c.as_ref()
                    .and_then(|c| c.first(doc))
                    .and_then(sokord_core::date::Day::from_tantivy)
                    .map(|d| d.year().max(0) as u64 * 100 + u64::from(d.month())),
            ),
        }
        if out.is_empty() {
            out.push(NONE);
        }
    }

    /// The names of `values` (sorted, each once): a column's dictionary read in one pass.
    fn names(&self, values: &[u64], parties: Option<&PartyTable>) -> FxHashMap<u64, String> {
        let mut out = FxHashMap::default();
        if let KeyColumn::Str(Some(c), party) = self {
            let ords: Vec<u64> = values.iter().copied().filter(|&v| v != NONE).collect();
            let mut at = 0;
            let _ = c.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                let mut s = String::from_utf8_lossy(bytes).into_owned();
                if let (true, Some(table)) = (*party, parties) {
                    s = table.current(&s).to_string();
                }
                if let Some(&ord) = ords.get(at) {
                    out.insert(ord, s);
                }
                at += 1;
            });
            if values.contains(&NONE) {
                out.insert(NONE, String::new());
            }
            return out;
        }
        for &v in values {
            out.insert(v, self.name(v, parties));
        }
        out
    }

    fn name(&self, v: u64, parties: Option<&PartyTable>) -> String {
        if v == NONE {
            return String::new();
        }
        match self {
            KeyColumn::Str(Some(c), party) => {
                let mut s = String::new();
                let _ = c.ord_to_str(v, &mut s);
                if let (true, Some(table)) = (*party, parties) {
                    s = table.current(&s).to_string();
                }
                s
            }
            KeyColumn::Str(None, _) => String::new(),
            KeyColumn::Year(_) => v.to_string(),
            KeyColumn::Month(_) => format!("{:04}-{:02}", v / 100, v % 100),
        }
    }
}

pub(crate) struct GroupTallySegment {
    segment: SegmentOrdinal,
    parties: Option<Arc<PartyTable>>,
    top: usize,
    keys: Vec<KeyColumn>,
    doc_id: Option<StrColumn>,
    words: Option<Column<u64>>,
    hits: Option<Arc<PassageHits>>,
    numbers: Arc<DocNumbers>,
    /// By the keys' values (at most two keys; the unused place 0): where in `tallies`.
    groups: FxHashMap<[u64; 2], usize>,
    tallies: Vec<SegmentTally>,
    /// The group of the passage collected last (a document's passages mostly come one after
    /// another, with the same values).
    last: Option<([u64; 2], usize)>,
    values: Vec<Vec<u64>>,
    /// The document ordinal `values` were read for.
    values_of: u64,
    /// Whether every key is document-level (not topics or chapters).
    document_level: bool,
}

fn keep_best(best: &mut Vec<(Score, DocId)>, top: usize, score: Score, doc: DocId) {
    if top == 0 {
        return;
    }
    if best.len() < top {
        best.push((score, doc));
    } else if let Some(min) = best.iter_mut().min_by(|a, b| a.0.total_cmp(&b.0)) {
        if score > min.0 {
            *min = (score, doc);
        }
    }
}

impl Collector for GroupTally {
    type Fruit = BTreeMap<Vec<String>, Tally>;
    type Child = GroupTallySegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<GroupTallySegment> {
        let ff = reader.fast_fields();
        let mut keys = Vec::with_capacity(self.keys.len());
        for k in &self.keys {
            keys.push(KeyColumn::open(*k, reader)?);
        }
        Ok(GroupTallySegment {
            segment,
            parties: self.parties.clone(),
            top: self.top,
            values: vec![Vec::new(); keys.len()],
            values_of: NONE,
            document_level: !self.keys.iter().any(|k| k.is_passage_level()),
            keys,
            doc_id: ff.str("doc_id")?,
            words: ff.u64("words").ok(),
            hits: self.hits.clone(),
            numbers: self.numbers.clone(),
            groups: FxHashMap::default(),
            tallies: Vec::new(),
            last: None,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    /// Each key's values of all segments are put in one order (by name) first; the groups are
    /// then merged by their places in it, and named once each.
    fn merge_fruits(&self, mut fruits: Vec<SegmentGroups>) -> tantivy::Result<Self::Fruit> {
        let dims = self.keys.len().min(2);
        let segment_names: Vec<Vec<Vec<String>>> = fruits
            .iter_mut()
            .map(|f| std::mem::take(&mut f.names))
            .collect();
        // Per key: every name of every segment, in order, each once.
        let mut all_names: Vec<Vec<&str>> = vec![Vec::new(); dims];
        for names in &segment_names {
            for (i, names) in names.iter().enumerate() {
                all_names[i].extend(names.iter().map(String::as_str));
            }
        }
        for names in &mut all_names {
            names.sort_unstable();
            names.dedup();
        }
        // The groups of all segments, and where each is by its key: made as large as they can
        // get at once (growing them step by step cost fresh pages at each step).
        let most: usize = fruits.iter().map(|f| f.groups.len()).sum();
        let mut place: FxHashMap<[u32; 2], usize> =
            FxHashMap::with_capacity_and_hasher(most, Default::default());
        let mut merged: Vec<([u32; 2], Tally)> = Vec::with_capacity(most);
        for (fruit, names) in fruits.into_iter().zip(&segment_names) {
            // A segment's place of a value, in all segments' order.
            let places: Vec<Vec<u32>> = names
                .iter()
                .zip(&all_names)
                .map(|(names, all)| {
                    names
                        .iter()
                        .map(|n| all.binary_search(&n.as_str()).unwrap_or_default() as u32)
                        .collect()
                })
                .collect();
            for (local, t) in fruit.groups {
                let mut key = [0u32; 2];
                for i in 0..dims {
                    key[i] = places[i][local[i] as usize];
                }
                let at = *place.entry(key).or_insert(merged.len());
                if at == merged.len() {
                    merged.push((key, Tally::default()));
                }
                let e = &mut merged[at].1;
                e.passages += t.passages;
                e.documents.add(t.documents.0);
                e.words += t.words;
                e.hits += t.hits;
                e.best.extend(t.best);
            }
        }
        let mut groups = merged;
        // The places are in the names' order: so are the keys named from them.
        groups.sort_unstable_by_key(|(k, _)| *k);
        Ok(groups
            .into_iter()
            .map(|(k, mut t)| {
                t.documents.normalise();
                t.best
                    .sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                t.best.truncate(self.top);
                let key = (0..dims)
                    .map(|i| all_names[i][k[i] as usize].to_string())
                    .collect();
                (key, t)
            })
            .collect())
    }
}

/// What one segment's [`GroupTallySegment`] gives: its groups by the places of their values
/// in `names`, each key's names (in any order; a name may be there twice, for party labels
/// that are one party today).
pub(crate) struct SegmentGroups {
    names: Vec<Vec<String>>,
    groups: Vec<([u32; 2], Tally)>,
}

impl SegmentCollector for GroupTallySegment {
    type Fruit = SegmentGroups;

    fn collect(&mut self, doc: DocId, score: Score) {
        let doc_ord = self
            .doc_id
            .as_ref()
            .and_then(|c| c.term_ords(doc).next())
            .unwrap_or(NONE);
        let words = self.words.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
        let (counted, hits) = match &self.hits {
            None => (true, 0),
            Some(h) => match h
                .get(self.segment as usize)
                .and_then(|m| m.get(doc as usize))
            {
                Some(&n) if n != NOT_COUNTED => (true, u64::from(n)),
                _ => (false, 0),
            },
        };
        // A document's passages have its values for document-level keys: read once for
        // passages one after another of the same document.
        if !(self.document_level && doc_ord != NONE && doc_ord == self.values_of) {
            for (i, k) in self.keys.iter_mut().enumerate() {
                k.values(doc, &mut self.values[i]);
            }
            self.values_of = doc_ord;
        }
        // Every combination of the keys' values (one, unless a key has several: topics).
        let dims = self.values.len().min(2);
        let mut combo = [0usize; 2];
        loop {
            let mut key = [0u64; 2];
            for i in 0..dims {
                key[i] = self.values[i][combo[i]];
            }
            let at = match self.last {
                Some((k, at)) if k == key => at,
                _ => {
                    let next = self.tallies.len();
                    let at = *self.groups.entry(key).or_insert(next);
                    if at == next {
                        self.tallies.push(SegmentTally::default());
                    }
                    self.last = Some((key, at));
                    at
                }
            };
            let t = &mut self.tallies[at];
            if doc_ord != NONE {
                let n = self.numbers.number(self.segment, doc_ord);
                if n != t.last {
                    t.documents.push(n);
                    t.last = n;
                }
            }
            if counted {
                t.passages += 1;
                t.words += words;
                t.hits += hits;
                keep_best(&mut t.best, self.top, score, doc);
            }
            // The next combination.
            let mut i = dims;
            loop {
                if i == 0 {
                    return;
                }
                i -= 1;
                combo[i] += 1;
                if combo[i] < self.values[i].len() {
                    break;
                }
                combo[i] = 0;
            }
        }
    }

    fn harvest(self) -> SegmentGroups {
        // Each key's values named once (a dictionary's in one pass over it), in the order of
        // their numbers: a group's place of a value is where its number is.
        let mut values: Vec<Vec<u64>> = Vec::with_capacity(self.keys.len());
        let mut names: Vec<Vec<String>> = Vec::with_capacity(self.keys.len());
        for (i, col) in self.keys.iter().enumerate().take(2) {
            let mut v: Vec<u64> = self.groups.keys().map(|k| k[i]).collect();
            v.sort_unstable();
            v.dedup();
            let mut named = col.names(&v, self.parties.as_deref());
            names.push(
                v.iter()
                    .map(|n| named.remove(n).unwrap_or_default())
                    .collect(),
            );
            values.push(v);
        }
        let mut tallies: Vec<Option<SegmentTally>> = self.tallies.into_iter().map(Some).collect();
        let mut groups = Vec::with_capacity(self.groups.len());
        for (k, at) in self.groups {
            let Some(t) = tallies[at].take() else {
                continue;
            };
            let mut local = [0u32; 2];
            for (i, v) in values.iter().enumerate() {
                local[i] = v.binary_search(&k[i]).unwrap_or_default() as u32;
            }
            let tally = Tally {
                passages: t.passages,
                documents: Documents(t.documents),
                words: t.words,
                hits: t.hits,
                best: t
                    .best
                    .into_iter()
                    .map(|(s, d)| (s, DocAddress::new(self.segment, d)))
                    .collect(),
            };
            groups.push((local, tally));
        }
        SegmentGroups { names, groups }
    }
}

/// Tallies a query by groups.
#[allow(clippy::too_many_arguments)]
pub(crate) fn tally(
    searcher: &tantivy::Searcher,
    query: &dyn TQuery,
    keys: &[GroupKey],
    top: usize,
    parties: Option<Arc<PartyTable>>,
    hits: Option<Arc<PassageHits>>,
    numbers: Arc<DocNumbers>,
) -> tantivy::Result<BTreeMap<Vec<String>, Tally>> {
    searcher.search(
        query,
        &GroupTally {
            keys: keys.to_vec(),
            parties,
            top,
            scoring: top > 0,
            hits,
            numbers,
        },
    )
}

/// The order of groups: time keys by time (sessions and months sort as written), others by
/// value; the empty value last.
pub(crate) fn group_order(a: &[String], b: &[String]) -> std::cmp::Ordering {
    for (x, y) in a.iter().zip(b) {
        let o = match (x.is_empty(), y.is_empty()) {
            (true, false) => std::cmp::Ordering::Greater,
            (false, true) => std::cmp::Ordering::Less,
            _ => x.cmp(y),
        };
        if o != std::cmp::Ordering::Equal {
            return o;
        }
    }
    std::cmp::Ordering::Equal
}

/// A population by groups: what rates and shares are counted against (see the module).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Population {
    /// Per group: its passages, running words and documents.
    pub groups: BTreeMap<Vec<String>, PopulationGroup>,
    /// The documents of all groups together (a document may be in several).
    pub documents: usize,
    /// The running words of the population (of all groups, each passage once).
    pub words: u64,
}

/// One group of a [`Population`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct PopulationGroup {
    pub passages: usize,
    pub words: u64,
    pub documents: usize,
}

impl Population {
    /// The population of tallies (of a population's passages), with its words.
    pub(crate) fn of(tally: &BTreeMap<Vec<String>, Tally>, words: u64) -> Population {
        let mut all = NumberSet::new();
        let groups = tally
            .iter()
            .map(|(k, t)| {
                all.extend(&t.documents);
                let group = PopulationGroup {
                    passages: t.passages,
                    words: t.words,
                    documents: t.documents.len(),
                };
                (k.clone(), group)
            })
            .collect();
        Population {
            groups,
            documents: all.len,
            words,
        }
    }
}

/// Builds one query's [`Series`] from what it matched and its population.
pub(crate) fn series(
    query: String,
    by: &[GroupKey],
    matched: &BTreeMap<Vec<String>, Tally>,
    population: &Population,
) -> Series {
    let mut groups = Vec::new();
    let mut docs_all = NumberSet::new();
    let (mut passages_all, mut hits_all, mut words_all) = (0usize, 0u64, 0u64);
    let overlapping = by.contains(&GroupKey::Topic);
    let mut keys: Vec<&Vec<String>> = population.groups.keys().collect();
    keys.extend(
        matched
            .keys()
            .filter(|k| !population.groups.contains_key(*k)),
    );
    keys.sort_by(|a, b| group_order(a, b));
    keys.dedup();
    for key in keys {
        let pop = population.groups.get(key);
        let p = matched.get(key);
        let d = p;
        let passages = p.map_or(0, |t| t.passages);
        let hits = p.map_or(0, |t| t.hits);
        let words = pop.map_or(0, |t| t.words);
        if let Some(d) = d {
            docs_all.extend(&d.documents);
        }
        if !overlapping {
            passages_all += passages;
            hits_all += hits;
            words_all += words;
        }
        groups.push(GroupStats::new(
            key.clone(),
            d.map_or(0, |t| t.documents.len()),
            passages,
            hits,
            words,
            pop.map_or(0, |t| t.documents),
        ));
    }
    let total = GroupStats::new(
        Vec::new(),
        docs_all.len,
        passages_all,
        hits_all,
        words_all,
        population.documents,
    );
    Series {
        query,
        total,
        groups,
    }
}

/// The totals of an overlapping grouping (topics), counted apart: each passage once.
pub(crate) fn set_totals(series: &mut Series, passages: usize, hits: u64, words: u64) {
    let t = &mut series.total;
    *t = GroupStats::new(
        Vec::new(),
        t.documents,
        passages,
        hits,
        words,
        t.population_documents,
    );
}

/// Sums the words (and passages) of what a query matches.
pub(crate) struct WordSum;

impl Collector for WordSum {
    type Fruit = u64;
    type Child = WordSumSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(WordSumSegment {
            words: reader.fast_fields().u64("words").ok(),
            sum: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<u64>) -> tantivy::Result<u64> {
        Ok(fruits.into_iter().sum())
    }
}

pub(crate) struct WordSumSegment {
    words: Option<Column<u64>>,
    sum: u64,
}

impl SegmentCollector for WordSumSegment {
    type Fruit = u64;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.sum += self.words.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
    }

    fn harvest(self) -> u64 {
        self.sum
    }
}

/// The passages a query matches: a bit set per segment, by segment ordinal.
pub(crate) struct Members;

impl Collector for Members {
    type Fruit = Vec<BitSet>;
    type Child = MembersSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(MembersSegment {
            segment,
            set: BitSet::with_max_value(reader.max_doc()),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<(SegmentOrdinal, BitSet)>) -> tantivy::Result<Vec<BitSet>> {
        let mut out: Vec<BitSet> = Vec::with_capacity(fruits.len());
        for (segment, set) in fruits {
            let segment = segment as usize;
            while out.len() <= segment {
                out.push(BitSet::with_max_value(0));
            }
            out[segment] = set;
        }
        Ok(out)
    }
}

pub(crate) struct MembersSegment {
    segment: SegmentOrdinal,
    set: BitSet,
}

impl SegmentCollector for MembersSegment {
    type Fruit = (SegmentOrdinal, BitSet);

    fn collect(&mut self, doc: DocId, _: Score) {
        self.set.insert(doc);
    }

    fn harvest(self) -> Self::Fruit {
        (self.segment, self.set)
    }
}

/// One distinctive word of a subset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Keyword {
    /// The word as it is most often written in the subset (the term when no form is found).
    pub word: String,
    /// The indexed term (lemma, stemmed) the counts are for.
    pub term: String,
    /// Occurrences in the subset.
    pub subset_count: u64,
    /// Occurrences in the reference.
    pub reference_count: u64,
    /// Per 10,000 words of the subset.
    pub subset_per_10k: f64,
    /// Per 10,000 words of the reference.
    pub reference_per_10k: f64,
    /// Log-likelihood (G²): how sure it is that the difference is not chance.
    pub log_likelihood: f64,
    /// Effect size: log₂ of the ratio of relative frequencies (with 0.5 added to zero counts).
    pub log_ratio: f64,
}

/// The words most distinctive of a subset against a reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Keywords {
    /// What the subset is.
    pub subset: String,
    /// What it is compared with.
    pub reference: String,
    /// Words in the subset.
    pub subset_words: u64,
    /// Words in the reference.
    pub reference_words: u64,
    /// The words, most distinctive first.
    pub keywords: Vec<Keyword>,
}

/// Term counts of a set of passages.
#[derive(Default)]
pub(crate) struct TermCounts {
    pub counts: HashMap<String, u64>,
    /// Running words of the passages (stop words included): the denominator.
    pub tokens: u64,
}

/// Whether an indexed term counts as a word for keyness: no digits, three letters at least.
pub(crate) fn counts_as_word(term: &str) -> bool {
    !term.chars().any(|c| c.is_ascii_digit()) && term.chars().count() >= 3
}

/// Log-likelihood keyness (Rayson and Garside) of the subset's words against the reference's,
/// with the log-ratio effect size (Hardie); the `top` words over-represented in the subset.
pub(crate) fn keyness(
    subset: &TermCounts,
    reference: &TermCounts,
    top: usize,
    min_count: u64,
) -> Vec<Keyword> {
    let (c, d) = keyness_words(subset.tokens, reference.tokens);
    let out: Vec<Keyword> = subset
        .counts
        .iter()
        .filter(|(_, &a)| a >= min_count)
        .filter_map(|(term, &a)| {
            let b = reference.counts.get(term).copied().unwrap_or(0);
            keyword(term, a, b, c, d)
        })
        .collect();
    most_distinctive(out, top)
}

/// The words of subset and reference as keyness divides by them.
pub(crate) fn keyness_words(subset: u64, reference: u64) -> (f64, f64) {
    (subset.max(1) as f64, reference.max(1) as f64)
}

/// A term's keyness with `a` occurrences in the subset of `c` words and `b` in the reference of
/// `d`; `None` when it is not over-represented in the subset.
pub(crate) fn keyword(term: &str, a: u64, b: u64, c: f64, d: f64) -> Option<Keyword> {
    let (af, bf) = (a as f64, b as f64);
    if af / c <= bf / d {
        return None;
    }
    let e1 = c * (af + bf) / (c + d);
    let e2 = d * (af + bf) / (c + d);
    let part = |o: f64, e: f64| if o > 0.0 { o * (o / e).ln() } else { 0.0 };
    let g2 = 2.0 * (part(af, e1) + part(bf, e2));
    let ratio = ((af.max(0.5) / c) / (bf.max(0.5) / d)).log2();
    Some(Keyword {
        word: term.to_string(),
        term: term.to_string(),
        subset_count: a,
        reference_count: b,
        subset_per_10k: af * 10_000.0 / c,
        reference_per_10k: bf * 10_000.0 / d,
        log_likelihood: g2,
        log_ratio: ratio,
    })
}

/// The highest log-likelihood a term with `total` occurrences in subset and reference together
/// can have: all of them in the subset (G² = 2 · total · ln((c + d) / c); for a fixed total, G²
/// grows as the subset's share grows past its expected share).
pub(crate) fn keyness_bound(total: u64, c: f64, d: f64) -> f64 {
    2.0 * total as f64 * ((c + d) / c).ln()
}

/// The `top` keywords, most distinctive first (ties by term).
pub(crate) fn most_distinctive(mut out: Vec<Keyword>, top: usize) -> Vec<Keyword> {
    out.sort_by(|x, y| {
        y.log_likelihood
            .total_cmp(&x.log_likelihood)
            .then(x.term.cmp(&y.term))
    });
    out.truncate(top);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cross_tab_puts_each_group_in_its_cell() {
        let group = |r: &str, c: &str, passages: usize| {
            GroupStats::new(vec![r.into(), c.into()], 1, passages, 1, 100, 1)
        };
        let groups = [
            group("S", "2019", 1),
            group("M", "", 2),
            group("S", "2001", 3),
            group("M", "2019", 4),
            group("V", "2001", 5),
        ];
        let (rows, cols, cells) = GroupStats::cross_tab(&groups);
        assert_eq!(rows, ["S", "M", "V"], "in the groups' order");
        assert_eq!(cols, ["2001", "2019", ""], "sorted, the empty value last");
        let passages: Vec<Vec<Option<usize>>> = cells
            .iter()
            .map(|row| row.iter().map(|g| g.map(|g| g.passages)).collect())
            .collect();
        assert_eq!(
            passages,
            [
                [Some(3), Some(1), None],
                [None, Some(4), Some(2)],
                [Some(5), None, None]
            ]
        );
        assert_eq!(GroupStats::cross_tab_axes(&groups), (rows, cols));
    }

    /// The groups' two keys, in order.
    fn pairs(s: &Stats) -> Vec<(&str, &str)> {
        s.groups
            .iter()
            .map(|g| (g.keys[0].as_str(), g.keys[1].as_str()))
            .collect()
    }

    #[test]
    fn the_largest_values_of_a_key_are_kept_and_time_keys_whole() {
        let group = |keys: &[&str], passages: usize, documents: usize| {
            GroupStats::new(
                keys.iter().map(|k| k.to_string()).collect(),
                documents,
                passages,
                1,
                100,
                10,
            )
        };
        let groups = vec![
            group(&["A", "2001"], 1, 1),
            group(&["A", "2002"], 1, 1),
            group(&["B", "2001"], 5, 2),
            group(&["C", "2002"], 2, 3),
            group(&["D", "2001"], 2, 2),
            group(&["E", "2003"], 0, 0),
        ];
        let stats = Stats {
            query: "q".into(),
            by: vec![GroupKey::Actor, GroupKey::Year],
            filters: FilterRoles::default(),
            total_documents: 7,
            total_passages: 11,
            total_hits: 6,
            total: group(&[], 11, 7),
            groups,
            series: Vec::new(),
        };
        // C (3 documents), then B (2 documents, 5 passages), then A and D (2 and 2: A first).
        let (top, left_out) = stats.largest(2);
        let kept = pairs(&top);
        assert_eq!(kept, [("B", "2001"), ("C", "2002")]);
        assert_eq!(left_out, 4);
        assert_eq!(top.total, stats.total, "the totals are every group's");
        let (top, _) = stats.largest(3);
        let actors: Vec<&str> = top.groups.iter().map(|g| g.keys[0].as_str()).collect();
        assert_eq!(
            actors,
            ["A", "A", "B", "C"],
            "ties by passages, then in key order"
        );
        // Nothing left out when there are no more values than asked for; years never.
        assert_eq!(stats.largest(5).0.groups.len(), 6);
        let mut by_year = stats.clone();
        by_year.by = vec![GroupKey::Year, GroupKey::Actor];
        by_year.groups = by_year
            .groups
            .iter()
            .map(|g| group(&[&g.keys[1], &g.keys[0]], g.passages, g.documents))
            .collect();
        let (top, _) = by_year.largest(1);
        let kept = pairs(&top);
        assert_eq!(
            kept,
            [("2002", "C")],
            "every year whose groups hold the largest actor"
        );
        // Two keys to cut: the second's largest among the first's kept values.
        let mut by_party = stats.clone();
        by_party.by = vec![GroupKey::Party, GroupKey::Actor];
        by_party.groups = vec![
            group(&["S", "A"], 4, 4),
            group(&["M", "C"], 3, 3),
            group(&["M", "F"], 3, 3),
            group(&["V", "D"], 2, 2),
            group(&["V", "E"], 3, 3),
        ];
        // M (6) and V (5) are kept, S (4) not; A (4) is the largest actor, but of S.
        let (top, _) = by_party.largest(2);
        let kept = pairs(&top);
        assert_eq!(
            kept,
            [("M", "C"), ("M", "F")],
            "the largest actors of M and V"
        );
    }

    fn counts(pairs: &[(&str, u64)], tokens: u64) -> TermCounts {
        let mut t = TermCounts {
            tokens,
            ..TermCounts::default()
        };
        for (w, n) in pairs {
            t.counts.insert(w.to_string(), *n);
        }
        t
    }

    #[test]
    fn rates_are_the_counts_over_the_population() {
        let g = GroupStats::new(vec!["S".into()], 3, 12, 20, 61_136, 203);
        assert_eq!(g.key, "S");
        assert!((g.per_10k_words - 12.0 * 10_000.0 / 61_136.0).abs() < 1e-12);
        assert!((g.per_million_words - 20.0 * 1e6 / 61_136.0).abs() < 1e-9);
        assert!((g.document_share - 3.0 / 203.0).abs() < 1e-15);
        let empty = GroupStats::new(vec!["S".into(), "2024".into()], 0, 0, 0, 0, 0);
        assert_eq!(empty.key, "S · 2024");
        assert_eq!(
            (
                empty.per_10k_words,
                empty.per_million_words,
                empty.document_share
            ),
            (0.0, 0.0, 0.0)
        );
    }

    #[test]
    fn groups_without_a_value_come_last() {
        let mut keys = vec![
            vec![String::new()],
            vec!["S".to_string()],
            vec!["C".to_string()],
        ];
        keys.sort_by(|a, b| group_order(a, b));
        assert_eq!(
            keys,
            [vec!["C".to_string()], vec!["S".into()], vec![String::new()]]
        );
    }

    #[test]
    fn log_likelihood_matches_a_worked_example() {
        // a = 30 of 10,000 words, b = 10 of 10,000: E1 = E2 = 20;
        // G² = 2 (30 ln 1.5 + 10 ln 0.5) = 10.464; log ratio = log₂ 3 = 1.585.
        let k = keyness(
            &counts(&[("vård", 30)], 10_000),
            &counts(&[("vård", 10)], 10_000),
            10,
            1,
        );
        assert_eq!(k.len(), 1);
        assert!(
            (k[0].log_likelihood - 10.464).abs() < 1e-3,
            "{}",
            k[0].log_likelihood
        );
        assert!((k[0].log_ratio - 3f64.log2()).abs() < 1e-9);
        // Under-represented words are not keywords of the subset.
        let none = keyness(
            &counts(&[("vård", 5)], 10_000),
            &counts(&[("vård", 10)], 10_000),
            10,
            1,
        );
        assert!(none.is_empty());
    }
}
