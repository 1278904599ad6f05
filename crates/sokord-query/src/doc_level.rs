//! Documents as units: where results are documents (`--group doc`), a query of several parts
//! matches a document whose passages *together* hold every part, not only one passage holding
//! them all, and documents are ranked by evidence from the whole of them.
//!
//! A query `a b "c d"` (with filters, field filters and `-e` anywhere in it) matches a document
//! when, within the filters, some passage matches `a`, some passage matches `b` and some matches
//! `"c d"`, and no passage matches `e`. Its score is the sum of each part's best passage score
//! (how strongly the document says each thing) plus the score of its best passage holding every
//! part, if one does (saying them together). The passage shown is that one, or else the passage
//! that matches most of the query.

use rustc_hash::FxHashSet;

use tantivy::query::{BooleanQuery, Occur, Query as TQuery, TermSetQuery};
use tantivy::{DocAddress, Score, Term};

use sokord_core::query::Query;

use crate::collectors::{DocGroups, Groups};
use crate::compile::{Compiled, Compiler};
use crate::error::Result;
use crate::searcher::Snapshot;

type Boxed = Box<dyn TQuery>;

/// A document matched at the document level.
pub(crate) struct DocMatch {
    pub(crate) doc_id: String,
    /// The document's number (see `DocNumbers`).
    pub(crate) number: u32,
    pub(crate) score: Score,
    /// The passage shown.
    pub(crate) address: DocAddress,
    /// Passages that match some part of the query.
    pub(crate) passages: usize,
    /// Of the query's required parts, how many the document holds.
    pub(crate) parts: usize,
    /// Whether the passage shown holds every part.
    pub(crate) whole: bool,
}

/// The documents a query matches as wholes, best first (equal scores by id), the documents that
/// hold only some of its parts (most parts first, then score), and a query for the passages of
/// the matching documents (what facets count).
pub(crate) struct DocLevel {
    pub(crate) matches: Vec<DocMatch>,
    pub(crate) partial: Vec<DocMatch>,
    pub(crate) passages: Boxed,
}

impl Snapshot {
    /// Matches `query` document by document (see the module); `None` when it is not a
    /// conjunction of at least two parts, which matches as it does passage by passage.
    pub(crate) fn documents_matching(
        &self,
        searcher: &tantivy::Searcher,
        compiler: &mut Compiler,
        compiled: &Compiled,
        query: &Query,
        whole: &dyn TQuery,
    ) -> Result<Option<DocLevel>> {
        let Query::And(items) = query else {
            return Ok(None);
        };
        let mut required = Vec::new();
        let mut within = Vec::new();
        let mut excluded = Vec::new();
        for item in items {
            match item {
                Query::Not(inner) => excluded.extend(compiler.negated(inner)?),
                Query::Word { field: Some(f), .. } if f.is_filter() => {
                    within.extend(compiler.compile(item)?)
                }
                Query::DateRange { .. } => within.extend(compiler.compile(item)?),
                // A lone stop word compiles to nothing: it is not required.
                _ => required.extend(compiler.compile(item)?),
            }
        }
        if required.len() < 2 {
            return Ok(None);
        }
        // The passages a part is looked for in: the request's filters and the query's own.
        let restrict = |q: Boxed| -> Boxed {
            let mut clauses: Vec<(Occur, Boxed)> = vec![(Occur::Must, q)];
            clauses.extend(within.iter().map(|w| (Occur::Must, w.box_clone())));
            compiled.within(Some(Box::new(BooleanQuery::new(clauses))))
        };
        let numbers = self.lookups.numbers(searcher)?;
        let groups = |q: &dyn TQuery| {
            searcher.search(
                q,
                &DocGroups {
                    numbers: numbers.clone(),
                },
            )
        };
        let any: Boxed = Box::new(BooleanQuery::new(
            required
                .iter()
                .map(|q| (Occur::Should, q.box_clone()))
                .collect(),
        ));
        let any = restrict(any);
        let candidates = groups(any.as_ref())?;
        let mut parts = Vec::with_capacity(required.len());
        for q in required {
            parts.push(groups(restrict(q).as_ref())?);
        }
        let together = groups(whole)?;
        let mut out: FxHashSet<u32> = FxHashSet::default();
        for q in excluded {
            out.extend(groups(restrict(q).as_ref())?.into_keys());
        }

        // Documents by number, which orders them as their ids do.
        let mut matches = Vec::new();
        let mut partial = Vec::new();
        let mut held: Vec<Score> = Vec::with_capacity(parts.len());
        for (number, (any_score, any_address, passages, _)) in candidates {
            if out.contains(&number) {
                continue;
            }
            held.clear();
            held.extend(
                parts
                    .iter()
                    .filter_map(|p: &Groups| p.get(&number).map(|g| g.0)),
            );
            let all = held.len() == parts.len();
            let best = together.get(&number);
            let m = DocMatch {
                score: if all {
                    held.iter().sum::<Score>() + best.map_or(0.0, |g| g.0)
                } else {
                    any_score
                },
                address: best.map_or(any_address, |g| g.1),
                passages,
                parts: held.len(),
                whole: best.is_some(),
                number,
                doc_id: String::new(),
            };
            if all {
                matches.push(m);
            } else {
                partial.push(m);
            }
        }
        matches.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.number.cmp(&b.number)));
        partial.sort_by(|a, b| {
            b.parts
                .cmp(&a.parts)
                .then(b.score.total_cmp(&a.score))
                .then(a.number.cmp(&b.number))
        });
        let wanted: Vec<u32> = matches.iter().chain(&partial).map(|m| m.number).collect();
        for (m, id) in matches
            .iter_mut()
            .chain(partial.iter_mut())
            .zip(numbers.ids(&wanted))
        {
            m.doc_id = id;
        }
        let ids = matches
            .iter()
            .map(|m| Term::from_field_text(self.open.fields.doc_id, &m.doc_id));
        let in_matches: Boxed = Box::new(TermSetQuery::new(ids));
        let passages = Box::new(BooleanQuery::new(vec![
            (Occur::Must, any),
            (Occur::Must, in_matches),
        ]));
        Ok(Some(DocLevel {
            matches,
            partial,
            passages,
        }))
    }
}
