//! Turning a [`Query`] tree and [`Filters`] into tantivy queries over sokord's schema: the one
//! place where a request's filters and query are composed ([`Compiler::filtered`]).
//!
//! Ranking: a word matches the passage text, the title (weighted ×2) and the chapter headings
//! (×1.5); the word as written, found as such in the exact field, scores extra (×0.5) over
//! matches through its lemma or as a compound part; and several words standing close together
//! (within 3 positions) score extra (×1.5) over scattered ones. In searches, a compound typed as
//! one word (`barnmorskebrist`) also matches its parts standing near each other in any order and
//! any inflection ("brist på barnmorskor"), scored below the whole word (×0.25; see
//! `NEAR_SLOP`); counts (stats, kwic, keywords, topics) count the word itself.

use std::collections::HashMap;
use std::ops::Bound;

use crate::labelled::{guarded, Excluded, SameWhenCounting};
use tantivy::collector::Count;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, FuzzyTermQuery, Occur,
    PhraseQuery, Query as TQuery, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DateTime, Term};

use sokord_core::analyzers::{self as analysis, AnalyzedToken, SV_EXACT, WORDS};
use sokord_core::date::{DateError, Day};
use sokord_core::parties::PartyTable;
use sokord_core::{Fields, OpenIndex, Taxonomy};

use crate::error::{Error, Result};
use crate::hits::TruncatedExpansion;
use crate::in_place::InPlace;
use crate::request::Filters;
use crate::values::{closest_names, column_values};
use sokord_core::query::{FieldName, Query};

const TITLE_BOOST: f32 = 2.0;
const HEADING_BOOST: f32 = 1.5;
const EXACT_FORM_BOOST: f32 = 0.5;
const PROXIMITY_BOOST: f32 = 1.5;
const PROXIMITY_SLOP: u32 = 3;
/// How far apart a compound's parts may stand, in words, to match the compound: a stretch of a
/// paragraph (two or three sentences), which reaches "bristen på sjuksköterskor och barnmorskor"
/// and "barnmorskor … Bristen är störst i norr". Measured on the relevance set
/// (`tests/relevance/`, mean nDCG@10 of all 45 queries; of the 12 compounds): 1 word 0.631
/// (0.152), 5 words 0.665 (0.271), 20 words 0.682 (0.299), 50 words 0.700 (0.357), and no better
/// beyond (a passage is at most about 250 words).
pub(crate) const NEAR_SLOP: u32 = 50;
/// The weight of a compound's parts near each other against the compound itself (measured as
/// above: 1.0 gives 0.698, 0.5 0.700, 0.25 0.707, 0.1 0.707).
const PARTS_BOOST: f32 = 0.25;
/// Compounds of more parts than this are matched with their parts in the written order only
/// (every order of 4 parts would be 24 phrases).
const MAX_PERMUTED_PARTS: usize = 3;

type Boxed = Box<dyn TQuery>;

/// The most word forms a prefix or fuzzy word expands to; past that the expansion is cut.
pub const MAX_EXPANSIONS: usize = 256;

pub(crate) struct Compiler<'a> {
    fields: &'a Fields,
    searcher: &'a tantivy::Searcher,
    taxonomy: &'a Taxonomy,
    sv: TextAnalyzer,
    /// Whether the index's analysis adds compounds' parts (not so for a Snowball-only index).
    compounds: bool,
    exact: TextAnalyzer,
    words: TextAnalyzer,
    /// Whether a compound also matches its parts near each other (searches rank with it;
    /// counts count the word itself).
    parts_near: bool,
    /// Search plain words and phrases as exact forms, stop words included: set when none of a
    /// query's words is left otherwise (`och att det`, `"man kan inte"`).
    exact_forms: bool,
    /// Whether plain words and phrases also match the title (searches and document counts); a
    /// passage is counted only when its own text or its chapter heading matches.
    title_matches: bool,
    /// Whether a word's title match and its parts near each other only add to the score of a
    /// passage its own text or heading matches ([`Compiler::counted_first`]).
    own_first: bool,
    /// The text words and phrases of the query compiled last, and how many of them compiled to
    /// something to match.
    text_seen: Vec<String>,
    text_found: usize,
    /// Prefix and fuzzy words whose expansions were cut at [`MAX_EXPANSIONS`].
    truncated: Vec<TruncatedExpansion>,
    /// Party filters match labels as written ([`Filters::party_history`]).
    party_history: bool,
    /// Topic filters select documents ([`Filters::topic_scope`]).
    topic_documents: bool,
    /// The parties the index knows: the built-in table and its manifest's.
    parties: &'a PartyTable,
}

/// A term matched as such, its frequency not read (ids, lemmas to look up).
pub(crate) fn match_term(field: Field, value: &str) -> Boxed {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// The terms of `field` within `distance` edits of `word` that begin with one of `firsts` (a
/// typo rarely hits the first letter), each with the passages that hold it.
pub(crate) fn fuzzy_terms(
    searcher: &tantivy::Searcher,
    field: Field,
    word: &str,
    distance: u8,
    firsts: &[char],
) -> Result<HashMap<String, u64>> {
    let fuzzy = FuzzyTermQuery::new(Term::from_field_text(field, word), distance, true);
    let mut found: HashMap<String, u64> = HashMap::new();
    for first in firsts {
        let first = first.to_string();
        let mut upper = first.as_bytes().to_vec();
        upper.push(0xFF);
        for segment in searcher.segment_readers() {
            let index = segment.inverted_index(field)?;
            let mut stream = index
                .terms()
                .search(fuzzy.automaton()?)
                .ge(first.as_bytes())
                .lt(&upper)
                .into_stream()
                .map_err(tantivy::TantivyError::from)?;
            while stream.advance() {
                if let Ok(t) = std::str::from_utf8(stream.key()) {
                    *found.entry(t.to_string()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
    }
    Ok(found)
}

/// A term, scored by its frequency (positions are only read by phrases).
fn term(field: Field, value: &str) -> Boxed {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::WithFreqs,
    ))
}

/// A filter: it chooses what matches and adds nothing to a hit's score (a hit's score is its
/// query's alone: `--actor Göran` does not rank a short name above a long one).
pub(crate) fn chooses(q: Boxed) -> Boxed {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

fn boost(q: Boxed, by: f32) -> Boxed {
    Box::new(BoostQuery::new(q, by))
}

fn any_of(mut qs: Vec<Boxed>) -> Boxed {
    if qs.len() == 1 {
        return qs.pop().unwrap();
    }
    guarded(Box::new(BooleanQuery::new(
        qs.into_iter().map(|q| (Occur::Should, q)).collect(),
    )))
}

fn alternatives(value: &str) -> impl Iterator<Item = String> + '_ {
    typed_alternatives(value).map(str::to_lowercase)
}

/// The alternatives of a filter value as typed.
fn typed_alternatives(value: &str) -> impl Iterator<Item = &str> + '_ {
    value.split(',').map(str::trim).filter(|v| !v.is_empty())
}

/// The query's words and phrases (not under a `-`), with whether each is searched as exact
/// forms only (`=word`, `exact:`, prefixes, typos).
pub(crate) fn text_nodes<'q>(q: &'q Query, out: &mut Vec<(&'q Query, bool)>) {
    match q {
        Query::Word {
            field,
            prefix,
            fuzzy,
            exact,
            ..
        } => {
            if field.is_none() || *field == Some(FieldName::Exact) {
                let exact_only =
                    *prefix || fuzzy.is_some() || *exact || *field == Some(FieldName::Exact);
                out.push((q, exact_only));
            }
        }
        Query::Phrase { field, .. } => {
            if field.is_none() || *field == Some(FieldName::Exact) {
                out.push((q, *field == Some(FieldName::Exact)));
            }
        }
        Query::And(parts) | Query::Or(parts) => {
            for p in parts {
                text_nodes(p, out);
            }
        }
        Query::Not(_) | Query::DateRange { .. } | Query::All => {}
    }
}

/// How a word or phrase of a query stands in a passage, for counting its hits and highlighting
/// them (see [`Compiler::text_units`]).
#[derive(Debug, Clone)]
pub(crate) enum TextUnit {
    /// Each of these terms where it stands, one hit a position: a word (its stem, lemma and
    /// compound parts share its position), a prefix's or a typo's forms, the words of a phrase
    /// with slop. `terms` are its compiled terms in `field`, where its hits are counted and
    /// highlighted (not those of the exact-form clause that helps rank a plain word: *i-länder*
    /// is *land* there, and its exact form's *i* would be a hit wherever it stands).
    Words { field: Field, terms: Vec<Term> },
    /// These terms at these offsets from each other, one hit each time they stand so: a
    /// phrase, or a word the analysis cuts in two (*TLV:s*, *covid-19-pandemin*). Each term is
    /// in its own field: a phrase's stop words in the exact forms, its other words in the
    /// passage text (see [`InPlace`]).
    Phrase { terms: Vec<(usize, Term)> },
}

/// A phrase's terms at their offsets from its first word's: compound parts share their word's
/// position, and a phrase takes the first term there.
fn phrase_terms(field: Field, tokens: &[AnalyzedToken]) -> Vec<(usize, Term)> {
    let mut terms: Vec<(usize, Term)> = Vec::new();
    for t in tokens {
        if terms.last().is_none_or(|(p, _)| *p != t.position) {
            terms.push((t.position, Term::from_field_text(field, &t.text)));
        }
    }
    let first = terms.first().map_or(0, |t| t.0);
    terms.into_iter().map(|(p, t)| (p - first, t)).collect()
}

/// A phrase (or a single term) over `field` from analysed tokens, keeping their positions.
fn phrase(field: Field, tokens: &[AnalyzedToken], slop: u32) -> Option<Boxed> {
    match tokens {
        [] => None,
        [t] => Some(term(field, &t.text)),
        _ => {
            let terms = phrase_terms(field, tokens);
            if terms.len() == 1 {
                return Some(Box::new(TermQuery::new(
                    terms[0].1.clone(),
                    IndexRecordOption::WithFreqs,
                )));
            }
            // Two words with slop are near each other in either order: `"läkemedel brist"~5`
            // finds *brist på läkemedel* as it finds *läkemedel … brist*. tantivy's slop is
            // measured from the word's place in the phrase, which leaves the other order one
            // word short on each side; both at the first's place, with their distance added
            // to the slop, allow the same words between them either way.
            let q = match &terms[..] {
                [(_, a), (d, b)] if slop > 0 && a != b => {
                    either_order(a.clone(), b.clone(), slop + *d as u32)
                }
                _ if slop > 0 => {
                    let mut q = PhraseQuery::new_with_offset(terms);
                    q.set_slop(slop);
                    return Some(guarded(Box::new(SameWhenCounting(q))));
                }
                _ => PhraseQuery::new_with_offset(terms),
            };
            Some(guarded(Box::new(q)))
        }
    }
}

/// Calls `each` with every order of `items[k..]` after `items[..k]` (Heap's algorithm would do
/// the same; three items at most here).
fn permutations<'t>(items: &mut Vec<&'t str>, k: usize, each: &mut dyn FnMut(&[&'t str])) {
    if k == items.len() {
        each(items);
        return;
    }
    for i in k..items.len() {
        items.swap(k, i);
        permutations(items, k + 1, each);
        items.swap(k, i);
    }
}

/// Two terms within [`NEAR_SLOP`] words of each other in either order: the union of the phrases
/// *a b* and *b a* with that slop, as one phrase (both at offset 0, one word more slop).
fn near_pair(a: Term, b: Term) -> PhraseQuery {
    either_order(a, b, NEAR_SLOP + 1)
}

/// Two terms at most `distance` places apart, in either order: both at the first's place, with
/// that slop (tantivy's slop is the distance of each term from its place in the phrase).
fn either_order(a: Term, b: Term, distance: u32) -> PhraseQuery {
    let mut q = PhraseQuery::new_with_offset(vec![(0, a), (0, b)]);
    q.set_slop(distance);
    q
}

/// Parses a filter date; `end` picks the last day of a year or month.
pub(crate) fn filter_date(name: &str, s: &str, end: bool) -> Result<DateTime> {
    let bad = |m: &str| Error::Filter {
        name: name.to_string(),
        message: format!("`{s}` {m}; write YYYY, YYYY-MM or YYYY-MM-DD"),
    };
    let year = s.trim().split('-').next().unwrap_or_default();
    if (1..=2).contains(&year.len()) && year.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(
            "has a year of two digits (write 2015 or 1999, not 15 or 99)",
        ));
    }
    match Day::parse_partial(s, end) {
        Ok((day, _)) => Ok(day.to_tantivy()),
        Err(DateError::Month(..)) => Err(bad("has no such month")),
        Err(DateError::Impossible(_)) => Err(bad("is not a real date")),
        Err(_) => Err(bad("is not a date")),
    }
}

/// The chapter keys a chapter as hits cite it stands for, all of which its passages have:
/// `Kapitel 3: Title` is chapter 3 titled so, `Mål 2: Title` the level numbered *Mål 2*; of a
/// path (`… > Mål 2: Title`), the innermost level. `None` for a value not written so.
fn cited_chapter_keys(value: &str) -> Option<Vec<String>> {
    let v = value.trim().to_lowercase();
    let v = v.rsplit(" > ").next().unwrap_or(&v).trim().to_string();
    let (head, title) = match v.split_once(':') {
        Some((h, t)) => (h.trim(), Some(t.trim()).filter(|t| !t.is_empty())),
        None => (v.as_str(), None),
    };
    let number = ["kapitel ", "kap. ", "kap "]
        .iter()
        .find_map(|p| head.strip_prefix(p))
        .map(str::trim);
    let keys: Vec<&str> = match (number, title) {
        (Some(n), t) => std::iter::once(n).chain(t).collect(),
        (None, Some(t)) => vec![head, t],
        (None, None) => return None,
    };
    Some(keys.into_iter().map(str::to_string).collect())
}

/// A request compiled: its filters, and its query's text part.
pub(crate) struct Compiled {
    /// Queries that must all match.
    filters: Vec<Boxed>,
    /// Of those, the filters that choose the population a query is counted in (who, when, what
    /// kind: actor, party, recipient, type, dates); the others (topic, chapter) choose what is
    /// counted in it, like the query.
    population: Vec<Boxed>,
    /// The query, without the request's filters (those it names itself included); `None` when
    /// there is none or nothing of it is left to match. Snippets highlight its matches.
    pub(crate) text: Option<Boxed>,
    /// Whether the query's words were all stop words and are searched as exact forms.
    pub(crate) exact_forms: bool,
    /// Prefix and fuzzy words whose expansions were cut.
    pub(crate) truncated: Vec<TruncatedExpansion>,
}

impl Compiled {
    /// `core` (everything, when `None`) within the filters: the one place where the request's
    /// filters are composed with what they narrow. The filters choose, they do not score
    /// ([`chooses`]).
    pub(crate) fn within(&self, core: Option<Boxed>) -> Boxed {
        let core = core.unwrap_or_else(|| Box::new(AllQuery));
        if self.filters.is_empty() {
            return core;
        }
        let mut clauses: Vec<(Occur, Boxed)> = self
            .filters
            .iter()
            .map(|q| (Occur::Must, chooses(q.box_clone())))
            .collect();
        clauses.push((Occur::Must, core));
        guarded(Box::new(BooleanQuery::new(clauses)))
    }

    /// The query within the filters (everything within them, without a query).
    pub(crate) fn query(&self) -> Boxed {
        self.within(self.text.as_ref().map(|t| t.box_clone()))
    }

    /// Whether the population is the whole index (no who/when/what-kind filter).
    pub(crate) fn whole_index(&self) -> bool {
        self.population.is_empty()
    }

    /// The population a query is counted in, whose words and documents are the denominators
    /// of rates and shares: the who/when/what-kind filters alone (not topic or chapter).
    pub(crate) fn denominator(&self) -> Boxed {
        if self.population.is_empty() {
            return Box::new(AllQuery);
        }
        Box::new(BooleanQuery::new(
            self.population
                .iter()
                .map(|q| (Occur::Must, q.box_clone()))
                .collect(),
        ))
    }
}

impl<'a> Compiler<'a> {
    /// A compiler for the index `open`, expanding prefixes and typos with the terms `searcher`
    /// sees.
    pub(crate) fn new(
        open: &'a OpenIndex,
        parties: &'a PartyTable,
        searcher: &'a tantivy::Searcher,
    ) -> Compiler<'a> {
        Compiler {
            fields: &open.fields,
            searcher,
            taxonomy: &open.meta.taxonomy,
            sv: open.meta.analysis.query_analyzer(),
            compounds: open.meta.analysis == sokord_core::analyzers::Profile::Full,
            exact: analysis::analyzer(SV_EXACT).expect("sv_exact"),
            words: analysis::analyzer(WORDS).expect("words"),
            parts_near: false,
            exact_forms: false,
            title_matches: true,
            own_first: false,
            text_seen: Vec::new(),
            text_found: 0,
            truncated: Vec::new(),
            party_history: false,
            topic_documents: false,
            parties,
        }
    }

    /// Lets a compound query word also match its parts standing near each other: for ranked
    /// searches, not for counts of the word.
    pub(crate) fn with_parts_near(mut self) -> Compiler<'a> {
        self.parts_near = true;
        self
    }

    /// Plain words and phrases match the passages the counts count (their own text and
    /// headings), ranked as a search ranks them: the title and a compound's parts near each
    /// other add to their scores but match nothing alone. The same passages as the search's
    /// query and the counting query together, scored as the first (bar the title's share of an
    /// OR's alternative that matches through the title alone), at the cost of one query.
    pub(crate) fn counted_first(mut self) -> Compiler<'a> {
        self.own_first = true;
        self
    }

    /// Plain words and phrases match the passage text and headings only, not the title: what
    /// passage counts count (a title match makes its document match, not each of its passages).
    pub(crate) fn passages_only(mut self) -> Compiler<'a> {
        self.title_matches = false;
        self
    }

    /// A request's filters and query (if any), compiled.
    pub(crate) fn filtered(
        &mut self,
        filters: &Filters,
        query: Option<&Query>,
    ) -> Result<Compiled> {
        let (filters, population) = self.filters(filters)?;
        let text = match query {
            Some(q) => self.compile_text(q)?,
            None => None,
        };
        Ok(Compiled {
            filters,
            population,
            text,
            exact_forms: self.exact_forms,
            truncated: std::mem::take(&mut self.truncated),
        })
    }

    /// Compiles a query's text part. When the query has words and phrases but none of them is
    /// left to search (all stop words), they are searched as exact forms, stop words included;
    /// when even that leaves nothing, the query is refused: it would match everything.
    fn compile_text(&mut self, q: &Query) -> Result<Option<Boxed>> {
        self.exact_forms = false;
        self.text_seen.clear();
        self.text_found = 0;
        let compiled = self.compile(q)?;
        if self.text_seen.is_empty() || self.text_found > 0 {
            return Ok(compiled);
        }
        self.exact_forms = true;
        self.text_seen.clear();
        self.truncated.clear();
        let compiled = self.compile(q)?;
        if self.text_found > 0 {
            return Ok(compiled);
        }
        Err(Error::NothingToSearch {
            query: q.to_string(),
            reason: self.why_nothing(),
        })
    }

    /// Why none of the words and phrases of the query compiled last is left to search.
    fn why_nothing(&mut self) -> String {
        let seen = self.text_seen.join(" ");
        let words = analysis::tokens(&mut self.words, &seen);
        if let Some(long) = words
            .iter()
            .find(|w| w.text.len() > sokord_analysis::MAX_WORD)
        {
            let start: String = long.text.chars().take(12).collect();
            return format!(
                "`{start}…` is {} letters long, longer than any word the index holds (it passes over words of more than {} bytes); search for a shorter word",
                long.text.chars().count(),
                sokord_analysis::MAX_WORD
            );
        }
        if words.is_empty() {
            return "it has no letters or digits to search for; write a word".to_string();
        }
        "its words are stop words, which titles are not indexed with; search the text for them with exact:\"…\"".to_string()
    }

    /// The filters of a request, as queries that must all match, and those of them that choose
    /// the population (see [`Compiled::denominator`]).
    fn filters(&mut self, f: &Filters) -> Result<(Vec<Boxed>, Vec<Boxed>)> {
        self.party_history = f.party_history;
        self.topic_documents = f.topic_scope == crate::request::TopicScope::Document;
        let mut out = Vec::new();
        let mut population = Vec::new();
        for (name, value) in [
            (FieldName::Actor, &f.actor),
            (FieldName::Party, &f.party),
            (FieldName::Recipient, &f.recipient),
            (FieldName::Type, &f.doc_type),
            (FieldName::Chapter, &f.chapter),
            (FieldName::Topic, &f.topic),
        ] {
            if let Some(v) = value {
                let q = self.filter(name, v)?;
                if !matches!(name, FieldName::Chapter | FieldName::Topic) {
                    population.push(q.box_clone());
                }
                out.push(q);
            }
        }
        if f.from.is_some() || f.to.is_some() {
            let q = self.date_range(f.from.as_deref(), f.to.as_deref(), "from", "to")?;
            population.push(q.box_clone());
            out.push(q);
        }
        Ok((out, population))
    }

    fn date_range(
        &self,
        from: Option<&str>,
        to: Option<&str>,
        from_name: &str,
        to_name: &str,
    ) -> Result<Boxed> {
        let date = self.fields.date;
        let lower = match from {
            Some(s) => Bound::Included(Term::from_field_date(
                date,
                filter_date(from_name, s, false)?,
            )),
            None => Bound::Unbounded,
        };
        let upper = match to {
            Some(s) => Bound::Included(Term::from_field_date(date, filter_date(to_name, s, true)?)),
            None => Bound::Unbounded,
        };
        if let (Some(f), Some(t)) = (from, to) {
            if filter_date(from_name, f, false)? > filter_date(to_name, t, true)? {
                return Err(Error::Filter {
                    name: from_name.to_string(),
                    message: format!(
                        "the range starts at `{f}`, after its end `{t}`, so nothing can match; swap them"
                    ),
                });
            }
        }
        Ok(Box::new(RangeQuery::new(lower, upper)))
    }

    /// The `party` terms one party filter alternative matches: a party of the table, every
    /// label it had (unless asked for labels as written); else the label, if some passage has it.
    fn party_labels(&mut self, a: &str) -> Result<Vec<String>> {
        match self.parties.find(a).filter(|_| !self.party_history) {
            Some(party) => {
                let labels: Vec<String> = party.labels().map(|l| l.to_lowercase()).collect();
                // A party of the list that this index does not hold (*NyD* in an index of later
                // years) counts nothing: said, with the parties it holds, rather than a silent 0.
                for l in &labels {
                    if self
                        .searcher
                        .doc_freq(&Term::from_field_text(self.fields.party, l))?
                        > 0
                    {
                        return Ok(labels);
                    }
                }
                Err(self.no_such_party(a)?)
            }
            None => {
                let term = Term::from_field_text(self.fields.party, &a.to_lowercase());
                if self.searcher.doc_freq(&term)? > 0 {
                    return Ok(vec![a.to_lowercase()]);
                }
                Err(self.no_such_party(a)?)
            }
        }
    }

    /// The error for a party the index does not hold, listing the labels it holds and their
    /// parties' names: a name misspelt from memory (`Modertaerna`) is close to a name, not to
    /// a label, and both are values that work.
    fn no_such_party(&self, value: &str) -> Result<Error> {
        let mut known = column_values(self.searcher, "party")?;
        let names: Vec<String> = known
            .iter()
            .filter_map(|l| self.parties.find(l))
            .map(|p| p.name.clone())
            .filter(|n| !n.is_empty())
            .collect();
        known.extend(names);
        known.sort();
        known.dedup();
        Ok(Error::UnknownValue {
            name: FieldName::Party.as_str().to_string(),
            value: value.to_string(),
            known,
        })
    }

    /// The `party` terms a party filter value matches (its alternatives' together).
    pub(crate) fn party_terms(&mut self, value: &str, history: bool) -> Result<Vec<String>> {
        self.party_history = history;
        let mut out = Vec::new();
        for a in typed_alternatives(value) {
            out.extend(self.party_labels(a)?);
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// The passages of the chapter a filter value names, `None` when the index has none: by
    /// number (`3`, `2.3`, `mål 2`), by title, or as hits cite it (`Kapitel 3: Title`, the
    /// innermost level of `Kapitel 4: Title > Mål 2: Title`).
    fn chapter(&mut self, value: &str) -> Result<Option<Boxed>> {
        let f = self.fields;
        let whole = value.trim().to_lowercase();
        let mut readings = vec![vec![whole.clone()]];
        // The innermost level of a cited path, whole (a heading may hold a colon), then read.
        if let Some((_, inner)) = whole.rsplit_once(" > ") {
            readings.push(vec![inner.trim().to_string()]);
        }
        readings.extend(cited_chapter_keys(value));
        for keys in readings {
            let q: Boxed = match &keys[..] {
                [key] => term(f.chapter_key, key),
                _ => Box::new(BooleanQuery::new(
                    keys.iter()
                        .map(|k| (Occur::Must, term(f.chapter_key, k)))
                        .collect(),
                )),
            };
            if self.searcher.search(q.as_ref(), &Count)? > 0 {
                return Ok(Some(q));
            }
        }
        Ok(None)
    }

    /// A metadata filter; a comma separates alternatives.
    fn filter(&mut self, name: FieldName, value: &str) -> Result<Boxed> {
        let f = self.fields;
        let bad = |m: String| Error::Filter {
            name: name.as_str().to_string(),
            message: m,
        };
        let mut qs: Vec<Boxed> = Vec::new();
        match name {
            FieldName::Actor | FieldName::Recipient => {
                let (field, column) = match name {
                    FieldName::Actor => (f.actor_words, "actor"),
                    _ => (f.recipient, "recipient"),
                };
                // A recipient written as sources and citations write one, with its party or
                // office (*Hallengren, Lena (s)*, *Lars Engqvist (S)*), is that one name alone.
                let keyed = match name {
                    FieldName::Recipient => Some(sokord_core::recipients::key(value))
                        .filter(|k| k.as_str() != value.trim() && !k.contains(',')),
                    _ => None,
                };
                let value = keyed.as_deref().unwrap_or(value);
                // "Hägglund, Göran" as Riksdag lists print names is one name, surname first,
                // when the index holds it so; else the comma separates alternatives.
                let turned = sokord_core::recipients::surname_first(value).and_then(|name| {
                    let tokens = analysis::tokens(&mut self.words, &name);
                    phrase(field, &tokens, 0).filter(|q| {
                        self.searcher
                            .search(q.as_ref(), &Count)
                            .is_ok_and(|n| n > 0)
                    })
                });
                if let Some(q) = turned {
                    return Ok(q);
                }
                for alt in value.split(',') {
                    // A recipient as citations show it, with the party (*Lars Engqvist (S)*) or
                    // an office, is the name alone: the sources write it with and without them.
                    let alt = match name {
                        FieldName::Recipient => sokord_core::recipients::key(alt),
                        _ => alt.to_string(),
                    };
                    let alt = alt.as_str();
                    let tokens = analysis::tokens(&mut self.words, alt);
                    if let Some(q) = phrase(field, &tokens, 0) {
                        // A name matching no one is a typo or a name remembered wrong.
                        if self.searcher.search(q.as_ref(), &Count)? == 0 {
                            let names = column_values(self.searcher, column)?;
                            return Err(Error::NoSuchName {
                                name: name.as_str().to_string(),
                                value: alt.trim().to_string(),
                                closest: closest_names(alt, &names, 5),
                            });
                        }
                        qs.push(q);
                    }
                }
            }
            FieldName::Party => {
                for a in typed_alternatives(value) {
                    let labels = self.party_labels(a)?;
                    qs.push(any_of(labels.iter().map(|l| term(f.party, l)).collect()));
                }
            }
            FieldName::Type => {
                for a in typed_alternatives(value) {
                    self.known(name, f.doc_type, "type", a)?;
                    qs.push(term(f.doc_type, &a.to_lowercase()));
                }
            }
            FieldName::Chapter => {
                // The whole value first: a chapter's title may hold a comma.
                match self.chapter(value)? {
                    Some(q) => qs.push(q),
                    None => {
                        for a in typed_alternatives(value) {
                            let Some(q) = self.chapter(a)? else {
                                let names = column_values(self.searcher, "chapter_label")?;
                                return Err(Error::UnknownChapter {
                                    value: a.trim().to_string(),
                                    closest: closest_names(a, &names, 5),
                                });
                            };
                            qs.push(q);
                        }
                    }
                }
            }
            FieldName::Topic => {
                let field = if self.topic_documents {
                    f.doc_topics
                } else {
                    f.topics
                };
                for a in typed_alternatives(value) {
                    // A label names its topic too.
                    let id = match self.taxonomy.topics.iter().find(|t| {
                        t.label.to_lowercase() == a.to_lowercase()
                            || t.id.to_lowercase() == a.to_lowercase()
                    }) {
                        Some(topic) => topic.id.to_lowercase(),
                        // A topic outside the taxonomy that documents were given (in their
                        // front matter, or by a program) is one the index holds.
                        None if self
                            .searcher
                            .doc_freq(&Term::from_field_text(f.topics, &a.to_lowercase()))
                            .unwrap_or(0)
                            > 0 =>
                        {
                            a.to_lowercase()
                        }
                        None => {
                            return Err(Error::UnknownValue {
                                name: name.as_str().to_string(),
                                value: a.to_string(),
                                known: self.taxonomy.topics.iter().map(|t| t.id.clone()).collect(),
                            })
                        }
                    };
                    qs.push(term(field, &id));
                }
            }
            FieldName::Year => {
                for a in alternatives(value) {
                    // A year, or years from one to another (`year:2015-2020`, as people write
                    // them), both included.
                    let year = |y: &str| -> Option<u64> {
                        (y.len() == 4).then(|| y.parse().ok()).flatten()
                    };
                    let (from, to) = match a.split_once(['-', '–']) {
                        Some((x, y)) => (year(x.trim()), year(y.trim())),
                        None => (year(&a), year(&a)),
                    };
                    let (Some(from), Some(to)) = (from, to) else {
                        return Err(bad(format!(
                            "`{a}` is not a year: write `year:2015`, years `year:2015-2020`, or days `date:[2015-03-01 TO 2016-06-30]`"
                        )));
                    };
                    if from > to {
                        return Err(bad(format!(
                            "`{a}` ends before it starts: write `year:{to}-{from}`"
                        )));
                    }
                    for y in from..=to {
                        qs.push(Box::new(TermQuery::new(
                            Term::from_field_u64(f.year, y),
                            IndexRecordOption::Basic,
                        )));
                    }
                }
            }
            FieldName::Date => {
                // date:2024 or date:2024-05: the whole year or month.
                return self.date_range(Some(value), Some(value), "date", "date");
            }
            FieldName::Title | FieldName::Exact => unreachable!("not a filter"),
        }
        if qs.is_empty() {
            return Err(bad(format!("`{value}` has nothing to match")));
        }
        Ok(any_of(qs))
    }

    /// Checks that the index holds `value` (any case) in a keyword `field` whose values, as
    /// written, are the fast field `column`.
    fn known(&self, name: FieldName, field: Field, column: &str, value: &str) -> Result<()> {
        if self
            .searcher
            .doc_freq(&Term::from_field_text(field, &value.to_lowercase()))?
            > 0
        {
            return Ok(());
        }
        Err(Error::UnknownValue {
            name: name.as_str().to_string(),
            value: value.to_string(),
            known: column_values(self.searcher, column)?,
        })
    }

    /// A word in the text fields: passage text, title and headings, and its exact form.
    fn text_word(&mut self, text: &str) -> Option<Boxed> {
        let f = self.fields;
        if self.exact_forms {
            let tokens = analysis::tokens(&mut self.exact, text);
            return phrase(f.body_exact, &tokens, 0);
        }
        let tokens = analysis::tokens(&mut self.sv, text);
        let exact_tokens = analysis::tokens(&mut self.exact, text);
        let body = phrase(f.body, &tokens, 0)?;
        let mut own = vec![body];
        own.extend(phrase(f.heading, &tokens, 0).map(|q| boost(q, HEADING_BOOST)));
        own.extend(phrase(f.body_exact, &exact_tokens, 0).map(|q| boost(q, EXACT_FORM_BOOST)));
        let mut more = Vec::new();
        if self.title_matches {
            more.extend(phrase(f.title, &tokens, 0).map(|q| boost(q, TITLE_BOOST)));
        }
        if self.parts_near && tokens.len() == 1 {
            // Pasted words carry punctuation (*vårdgaranti.*, *(cancervård)*) that the
            // analysis drops: the compound is read without it.
            let word = text.trim_matches(|c: char| !c.is_alphanumeric());
            more.extend(self.parts_near(word).map(|q| boost(q, PARTS_BOOST)));
        }
        Some(self.own_then(own, more))
    }

    /// Clauses that match a passage by its own text (`own`) and those that match it otherwise
    /// (`more`: the title, a compound's parts near each other): any of them, or, counted first,
    /// the first kind with the second adding to the score.
    fn own_then(&self, own: Vec<Boxed>, more: Vec<Boxed>) -> Boxed {
        if more.is_empty() {
            return any_of(own);
        }
        if !self.own_first {
            return any_of(own.into_iter().chain(more).collect());
        }
        let mut clauses = vec![(Occur::Must, any_of(own))];
        clauses.extend(more.into_iter().map(|q| (Occur::Should, q)));
        guarded(Box::new(BooleanQuery::new(clauses)))
    }

    /// A compound's parts standing near each other in the passage text, in any order, for each
    /// reading of the compound (*vårdplatsbrist*: *vård* near *platsbrist*, or *vårdplats* near
    /// *brist*); `None` for a word the index's analysis does not split.
    fn parts_near(&mut self, word: &str) -> Option<Boxed> {
        // The index's own analysis decides whether compounds have parts at all.
        if !self.compounds {
            return None;
        }
        let lower = word.to_lowercase();
        let f = self.fields;
        let near = |order: &[&str]| -> Boxed {
            let terms: Vec<(usize, Term)> = order
                .iter()
                .enumerate()
                .map(|(i, p)| (i, Term::from_field_text(f.body, p)))
                .collect();
            let mut q = PhraseQuery::new_with_offset(terms);
            q.set_slop(NEAR_SLOP);
            guarded(Box::new(SameWhenCounting(q)))
        };
        let mut readings: Vec<Vec<String>> = sokord_analysis::compound_readings(&lower)
            .into_iter()
            .map(|r| r.into_iter().map(|p| p.lemma).collect())
            .collect();
        if readings.is_empty() {
            readings.extend(self.split_by_the_index(&lower));
        }
        let mut orders = Vec::new();
        for reading in readings {
            let mut parts: Vec<String> = Vec::new();
            for part in &reading {
                let term = analysis::tokens(&mut self.sv, part);
                if let [t] = term.as_slice() {
                    if !parts.contains(&t.text) {
                        parts.push(t.text.clone());
                    }
                }
            }
            if parts.len() < 2 {
                continue;
            }
            let mut parts: Vec<&str> = parts.iter().map(String::as_str).collect();
            let mut reading_orders = Vec::new();
            if let [a, b] = parts[..] {
                // tantivy's slop is a distance either way: *a b* within NEAR_SLOP matches *b* from
                // 49 words before *a* to 51 after, *b a* from 51 before to 49 after. One phrase of
                // both at the same offset, one word further, matches exactly their union at half
                // the cost, and counts for the two orders it replaces.
                let q = near_pair(
                    Term::from_field_text(f.body, a),
                    Term::from_field_text(f.body, b),
                );
                reading_orders.push(boost(guarded(Box::new(q)), 2.0));
            } else if parts.len() > MAX_PERMUTED_PARTS {
                reading_orders.push(near(&parts));
            } else {
                permutations(&mut parts, 0, &mut |order| reading_orders.push(near(order)));
            }
            orders.push(Box::new(crate::labelled::Labelled {
                inner: any_of(reading_orders),
                label: Some(format!("{}{}", crate::labelled::NEAR, reading.join(" + "))),
            }) as Boxed);
        }
        if orders.is_empty() {
            return None;
        }
        Some(any_of(orders))
    }

    /// A compound the lexicon cannot split (its parts are missing from it: *tolk*, *kö*), read
    /// as two words the index holds, when the whole word is nowhere in the index: *tolkbrist* is
    /// *tolk* + *brist*, *psykiatriköer* *psykiatri* + *köer*. Each part at least four letters
    /// (shorter ones turn typing errors into matches: *läkemdel* is not *läkem* + *del*), a
    /// linking *s* or *e* dropped from the first; among the splits, the one whose rarer part is
    /// most frequent.
    fn split_by_the_index(&mut self, lower: &str) -> Option<Vec<String>> {
        const MIN_PART: usize = 4;
        let f = self.fields;
        let doc_freq = |searcher: &tantivy::Searcher, sv: &mut TextAnalyzer, word: &str| -> u64 {
            match analysis::tokens(sv, word).as_slice() {
                [t] => searcher
                    .doc_freq(&Term::from_field_text(f.body, &t.text))
                    .unwrap_or(0),
                _ => 0,
            }
        };
        if doc_freq(self.searcher, &mut self.sv, lower) > 0 {
            return None;
        }
        let chars: Vec<(usize, char)> = lower.char_indices().collect();
        let mut best: Option<(u64, Vec<String>)> = None;
        for &(at, _) in chars.iter().skip(MIN_PART) {
            let (left, right) = lower.split_at(at);
            if right.chars().count() < MIN_PART {
                break;
            }
            let right_df = doc_freq(self.searcher, &mut self.sv, right);
            if right_df == 0 {
                continue;
            }
            let mut lefts = vec![left];
            lefts.extend(
                left.strip_suffix(['s', 'e'])
                    .filter(|l| l.chars().count() >= MIN_PART),
            );
            for l in lefts {
                let df = doc_freq(self.searcher, &mut self.sv, l).min(right_df);
                if df > 0 && best.as_ref().is_none_or(|(b, _)| df > *b) {
                    best = Some((df, vec![l.to_string(), right.to_string()]));
                }
            }
        }
        best.map(|(_, parts)| parts)
    }

    /// The terms of `field` that start with `start` and satisfy `keep`: the
    /// [`MAX_EXPANSIONS`] most frequent of them (in documents), when there are more.
    fn expand(
        &mut self,
        field: Field,
        word: &str,
        start: &str,
        keep: impl Fn(&str) -> bool,
    ) -> Result<Vec<String>> {
        let mut found: HashMap<String, u64> = HashMap::new();
        let mut upper = start.as_bytes().to_vec();
        upper.push(0xFF);
        for segment in self.searcher.segment_readers() {
            let index = segment.inverted_index(field)?;
            let mut stream = index
                .terms()
                .range()
                .ge(start.as_bytes())
                .lt(&upper)
                .into_stream()
                .map_err(tantivy::TantivyError::from)?;
            while stream.advance() {
                if let Ok(t) = std::str::from_utf8(stream.key()) {
                    if keep(t) {
                        *found.entry(t.to_string()).or_default() +=
                            u64::from(stream.value().doc_freq);
                    }
                }
            }
        }
        Ok(self.most_frequent(word, found))
    }

    /// The word forms of `field` within `distance` edits of `word` (a transposition counts as
    /// one), found by a Levenshtein automaton run over the term dictionary (tantivy's
    /// [`FuzzyTermQuery`] automaton), among the forms that share the word's first letter: typos
    /// rarely hit it. The [`MAX_EXPANSIONS`] most frequent, when there are more.
    fn expand_fuzzy(
        &mut self,
        field: Field,
        shown: &str,
        word: &str,
        distance: u8,
    ) -> Result<Vec<String>> {
        let first = word.chars().next().unwrap_or('a');
        let found = fuzzy_terms(self.searcher, field, word, distance, &[first])?;
        Ok(self.most_frequent(shown, found))
    }

    /// The [`MAX_EXPANSIONS`] most frequent forms (ties in term order), noting the cut.
    fn most_frequent(&mut self, word: &str, found: HashMap<String, u64>) -> Vec<String> {
        let mut forms: Vec<(String, u64)> = found.into_iter().collect();
        forms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        if forms.len() > MAX_EXPANSIONS {
            let dropped = &forms[MAX_EXPANSIONS..];
            self.truncated.push(TruncatedExpansion {
                word: word.to_string(),
                forms: forms.len(),
                searched: MAX_EXPANSIONS,
                most_frequent_dropped: dropped.first().map(|(t, _)| t.clone()),
            });
            forms.truncate(MAX_EXPANSIONS);
        }
        forms.into_iter().map(|(t, _)| t).collect()
    }

    /// Any of these terms of a field; nothing when there are none.
    fn forms(&self, field: Field, forms: Vec<String>) -> Boxed {
        if forms.is_empty() {
            return Box::new(EmptyQuery);
        }
        any_of(forms.iter().map(|t| term(field, t)).collect())
    }

    /// A phrase's terms with its stop words in the exact-form field, at their offsets from its
    /// first word (see [`InPlace`]): `None` for a phrase with slop, without stop words, or of
    /// stop words alone (searched as exact forms).
    fn stops_in_place(&mut self, text: &str, slop: u32) -> Option<Vec<(usize, Term)>> {
        if slop > 0 {
            return None;
        }
        let f = self.fields;
        let words = analysis::tokens(&mut self.sv, text);
        let forms = analysis::tokens(&mut self.exact, text);
        // The passage text's first term at each place (a compound's parts share it).
        let mut at: HashMap<usize, &str> = HashMap::new();
        for t in &words {
            at.entry(t.position).or_insert(t.text.as_str());
        }
        if at.is_empty() || forms.iter().all(|t| at.contains_key(&t.position)) {
            return None;
        }
        let first = forms.first()?.position;
        let mut terms: Vec<(usize, Term)> = Vec::with_capacity(forms.len());
        for t in &forms {
            if terms.last().is_some_and(|(p, _)| *p == t.position - first) {
                continue;
            }
            let term = match at.get(&t.position) {
                Some(word) => Term::from_field_text(f.body, word),
                None => Term::from_field_text(f.body_exact, &t.text),
            };
            terms.push((t.position - first, term));
        }
        (terms.len() >= 2).then_some(terms)
    }

    /// The words and phrases of `query` (not under a `-`) as their hits are counted and
    /// highlighted, with this compiler's settings (call it after compiling the query, which
    /// decides whether plain words are searched as exact forms).
    pub(crate) fn text_units(&mut self, query: &Query) -> Result<Vec<TextUnit>> {
        let f = self.fields;
        let mut nodes = Vec::new();
        text_nodes(query, &mut nodes);
        let mut units = Vec::new();
        for (node, exact_only) in nodes {
            let exact_only = exact_only || self.exact_forms;
            let field = if exact_only { f.body_exact } else { f.body };
            let as_phrase = match node {
                Query::Phrase { text, slop: 0, .. } => Some(text),
                Query::Word {
                    text,
                    prefix: false,
                    fuzzy: None,
                    ..
                } => Some(text),
                _ => None,
            };
            if let Some(text) = as_phrase {
                let analyzer = if exact_only {
                    &mut self.exact
                } else {
                    &mut self.sv
                };
                let tokens = analysis::tokens(analyzer, text);
                let stops = match node {
                    Query::Phrase { .. } if !exact_only => self.stops_in_place(text, 0),
                    _ => None,
                };
                let terms = stops.unwrap_or_else(|| phrase_terms(field, &tokens));
                if terms.len() >= 2 {
                    units.push(TextUnit::Phrase { terms });
                    continue;
                }
            }
            let Some(q) = self.compile(node)? else {
                continue;
            };
            let terms_in = |field: Field| {
                let mut terms = Vec::new();
                q.query_terms(&mut |t, _| {
                    if t.field() == field {
                        terms.push(t.clone());
                    }
                });
                terms
            };
            units.push(TextUnit::Words {
                field,
                terms: terms_in(field),
            });
            // A prefix also finds its word as a plain word, in the passage text's terms.
            let prefix = matches!(
                node,
                Query::Word {
                    prefix: true,
                    exact: false,
                    field: None,
                    ..
                }
            );
            if prefix && !self.exact_forms && field != f.body {
                units.push(TextUnit::Words {
                    field: f.body,
                    terms: terms_in(f.body),
                });
            }
        }
        Ok(units)
    }

    /// Compiles a query; `None` when nothing of it is left to match (a lone stop word).
    pub(crate) fn compile(&mut self, q: &Query) -> Result<Option<Boxed>> {
        let text = match q {
            Query::Word { text, field, .. } | Query::Phrase { text, field, .. }
                if field.is_none_or(|f| !f.is_filter()) =>
            {
                Some(text)
            }
            _ => None,
        };
        let compiled = self.compile_clause(q)?;
        if let Some(text) = text {
            self.text_seen.push(text.clone());
            if compiled.is_some() {
                self.text_found += 1;
            }
        }
        Ok(compiled)
    }

    /// What a NOT takes away, compiled the same way in every view: a passage is taken away when
    /// its text, headings or its document's title say the word (as a search matches it), and
    /// only for the word itself, not for a compound's parts standing near each other
    /// (*-tandvård* does not take away *tandläkaren … fotvård*).
    pub(crate) fn negated(&mut self, inner: &Query) -> Result<Option<Boxed>> {
        let (parts_near, title_matches, own_first) =
            (self.parts_near, self.title_matches, self.own_first);
        self.parts_near = false;
        self.title_matches = true;
        self.own_first = false;
        let compiled = self.compile(inner);
        self.parts_near = parts_near;
        self.title_matches = title_matches;
        self.own_first = own_first;
        compiled
    }

    fn compile_clause(&mut self, q: &Query) -> Result<Option<Boxed>> {
        let f = self.fields;
        Ok(match q {
            Query::All => Some(Box::new(AllQuery)),
            Query::Word {
                text,
                field,
                prefix,
                fuzzy,
                exact,
            } => match field {
                // A filter in the query chooses, as the request's filters do; it does not score.
                Some(name) if name.is_filter() => Some(chooses(self.filter(*name, text)?)),
                // A prefix in titles: the title terms it begins, and the word itself as a
                // title word, so that `title:corona*` finds at least what `title:corona` does.
                Some(FieldName::Title) if *prefix => {
                    let p = text.to_lowercase();
                    let shown = q.to_string();
                    let terms = self.expand(f.title, &shown, &p, |t| t.starts_with(p.as_str()))?;
                    let tokens = analysis::tokens(&mut self.sv, text);
                    let qs: Vec<Boxed> = terms
                        .iter()
                        .map(|t| term(f.title, t))
                        .chain(phrase(f.title, &tokens, 0))
                        .collect();
                    (!qs.is_empty()).then(|| any_of(qs))
                }
                Some(FieldName::Title) => {
                    let tokens = analysis::tokens(&mut self.sv, text);
                    phrase(f.title, &tokens, 0)
                }
                // Prefixes and typos expand, boundedly, to the word forms the index holds, so
                // that the forms found are highlighted like any other match.
                _ if *prefix => {
                    let p = text.to_lowercase();
                    let shown = q.to_string();
                    let forms =
                        self.expand(f.body_exact, &shown, &p, |t| t.starts_with(p.as_str()))?;
                    let forms = self.forms(f.body_exact, forms);
                    // And the word itself as a plain word (its inflections, the compounds it
                    // is part of): `vård*` finds at least what `vård` finds (it found a third
                    // less, missing *sjukvården*), though not its parts near each other. Not
                    // so for exact forms (`=vård*`, `exact:vård*`).
                    if *exact || field.is_some() || self.exact_forms {
                        return Ok(Some(forms));
                    }
                    let parts_near = std::mem::replace(&mut self.parts_near, false);
                    let word = self.text_word(text);
                    self.parts_near = parts_near;
                    Some(match word {
                        Some(word) => any_of(vec![forms, word]),
                        None => forms,
                    })
                }
                _ if fuzzy.is_some() => {
                    let w = text.to_lowercase();
                    let shown = q.to_string();
                    let forms = self.expand_fuzzy(f.body_exact, &shown, &w, fuzzy.unwrap_or(1))?;
                    Some(self.forms(f.body_exact, forms))
                }
                Some(FieldName::Exact) | None if *exact || *field == Some(FieldName::Exact) => {
                    let tokens = analysis::tokens(&mut self.exact, text);
                    phrase(f.body_exact, &tokens, 0)
                }
                _ => self.text_word(text),
            },
            Query::Phrase { text, field, slop } => match field {
                Some(FieldName::Exact) | None
                    if self.exact_forms || *field == Some(FieldName::Exact) =>
                {
                    let tokens = analysis::tokens(&mut self.exact, text);
                    phrase(f.body_exact, &tokens, *slop)
                }
                Some(FieldName::Title) => {
                    let tokens = analysis::tokens(&mut self.sv, text);
                    phrase(f.title, &tokens, *slop)
                }
                _ => {
                    let tokens = analysis::tokens(&mut self.sv, text);
                    let mut body = phrase(f.body, &tokens, *slop);
                    // Its stop words where they stand (`"vård och omsorg"`, not *vård, skola,
                    // omsorg*): checked in the exact forms beside the phrase that scores. Titles
                    // keep no exact forms, so such a phrase is not looked for there.
                    let stops = self.stops_in_place(text, *slop);
                    let in_titles = self.title_matches && stops.is_none();
                    if let (Some(b), Some(terms)) = (&body, stops) {
                        body = Some(guarded(Box::new(BooleanQuery::new(vec![
                            (Occur::Must, b.box_clone()),
                            (Occur::Must, Box::new(InPlace::new(terms)) as Boxed),
                        ]))));
                    }
                    let title = phrase(f.title, &tokens, *slop)
                        .filter(|_| in_titles)
                        .map(|q| boost(q, TITLE_BOOST));
                    match body {
                        Some(body) => Some(self.own_then(vec![body], title.into_iter().collect())),
                        None => title.filter(|_| !self.own_first),
                    }
                }
            },
            Query::DateRange { from, to } => Some(chooses(self.date_range(
                from.as_deref(),
                to.as_deref(),
                "date",
                "date",
            )?)),
            Query::Not(inner) => match self.negated(inner)? {
                Some(x) => Some(guarded(Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery) as Boxed),
                    (Occur::MustNot, Box::new(Excluded(x)) as Boxed),
                ])))),
                None => None,
            },
            Query::Or(parts) => {
                let mut qs = Vec::new();
                for p in parts {
                    qs.extend(self.compile(p)?);
                }
                (!qs.is_empty()).then(|| any_of(qs))
            }
            Query::And(parts) => {
                let mut clauses: Vec<(Occur, Boxed)> = Vec::new();
                for p in parts {
                    match p {
                        Query::Not(inner) => {
                            if let Some(x) = self.negated(inner)? {
                                clauses.push((Occur::MustNot, Box::new(Excluded(x))));
                            }
                        }
                        _ => {
                            if let Some(x) = self.compile(p)? {
                                clauses.push((Occur::Must, x));
                            }
                        }
                    }
                }
                if clauses.is_empty() {
                    return Ok(None);
                }
                if !clauses.iter().any(|(o, _)| *o == Occur::Must) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                // Words standing close together score above scattered ones.
                let words: Vec<&str> = parts
                    .iter()
                    .filter_map(|p| match p {
                        Query::Word {
                            text,
                            field: None,
                            prefix: false,
                            fuzzy: None,
                            exact: false,
                        } => Some(text.as_str()),
                        _ => None,
                    })
                    .collect();
                if words.len() >= 2 {
                    let tokens = analysis::tokens(&mut self.sv, &words.join(" "));
                    if let Some(p) = phrase(f.body, &tokens, PROXIMITY_SLOP) {
                        clauses.push((Occur::Should, boost(p, PROXIMITY_BOOST)));
                    }
                }
                Some(guarded(Box::new(BooleanQuery::new(clauses))))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one phrase for two parts matches exactly the passages the two ordered phrases did,
    /// at every distance around the slop's edge, both orders, repeated and missing parts.
    #[test]
    fn a_pair_near_each_other_matches_what_both_orders_did() {
        use tantivy::collector::DocSetCollector;
        use tantivy::schema::{Schema, TEXT};
        use tantivy::{doc, Index};
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let filler = |n: usize| vec!["x"; n].join(" ");
        let mut texts = vec![
            "alfa".to_string(),
            "beta".to_string(),
            "alfa beta".to_string(),
        ];
        for d in 0..(NEAR_SLOP as usize + 5) {
            texts.push(format!("alfa {} beta", filler(d)));
            texts.push(format!("beta {} alfa", filler(d)));
            texts.push(format!(
                "{} beta {} alfa {} beta",
                filler(3),
                filler(d),
                filler(60)
            ));
        }
        for t in &texts {
            writer.add_document(doc!(body => t.as_str())).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = |w: &str| Term::from_field_text(body, w);
        let ordered = |x: &str, y: &str| -> Boxed {
            let mut q = PhraseQuery::new_with_offset(vec![(0, term(x)), (1, term(y))]);
            q.set_slop(NEAR_SLOP);
            Box::new(q)
        };
        let before = any_of(vec![ordered("alfa", "beta"), ordered("beta", "alfa")]);
        let after = near_pair(term("alfa"), term("beta"));
        let before = searcher.search(before.as_ref(), &DocSetCollector).unwrap();
        let after = searcher.search(&after, &DocSetCollector).unwrap();
        // Something on both sides of the edge: matches and passages too far apart.
        assert!(
            before.len() > 100 && before.len() < texts.len() - 10,
            "{}",
            before.len()
        );
        assert_eq!(before, after);
    }

    #[test]
    fn filter_dates_cover_whole_years_and_months() {
        let day = |s: &str, end| {
            Day::from_tantivy(filter_date("from", s, end).unwrap())
                .unwrap()
                .to_string()
        };
        assert_eq!(day("2024", false), "2024-01-01");
        assert_eq!(day("2024", true), "2024-12-31");
        assert_eq!(day("2024-02", true), "2024-02-29");
        assert_eq!(day("2024-06-30", true), "2024-06-30");
        let err = filter_date("to", "2024-02-30", true)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("bad filter to:") && err.contains("YYYY-MM-DD"),
            "{err}"
        );
        assert!(filter_date("from", "igår", false).is_err());
    }
}
