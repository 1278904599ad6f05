//! # sokord-query
//!
//! Searching a sokord index: keyword queries over Swedish passages, filtered by actor, party,
//! document type, chapter, topic and date, each hit citing its document, actor, date and
//! chapter with a snippet of the passage. Results are plain data (`Serialize`); rendering them
//! is the caller's business.
//!
//! ```no_run
//! use std::path::Path;
//! use sokord_query::{Filters, Grouping, SearchRequest, Searcher};
//!
//! # fn main() -> Result<(), sokord_query::Error> {
//! let searcher = Searcher::open(Path::new(".sokord"))?;
//! let request = SearchRequest::parse("kliniska prövningar")?
//!     .group(Grouping::Doc)
//!     .filters(Filters::default().doc_type("remissvar"));
//! let results = searcher.search(&request)?;
//! for hit in &results.hits {
//!     let cite = &hit.citation;
//!     let chapter = cite.chapter.as_ref().map_or("-".to_string(), |c| c.title.clone());
//!     println!("{} ({:?}, {:?}) [{chapter}]: {}", cite.title, cite.actor, cite.date, hit.snippet);
//! }
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
#![doc(test(attr(deny(warnings))))]

mod analytics;
mod collectors;
mod compile;
mod doc_level;
mod document;
mod error;
mod explain;
mod facet;
mod hits;
mod in_place;
mod kwic;
mod labelled;
mod params;
mod request;
mod searcher;
mod segments;
mod snippet;
mod stats;
mod stored;
mod suggest;
mod values;

/// The reference [`Searcher::keywords`] compares with when it is given none: every passage
/// outside the subset.
pub const REST: &str = "the rest";

pub use crate::analytics::{CompareGroup, Comparison, TopicGroup, TopicOverview, TopicStats};
pub use crate::compile::MAX_EXPANSIONS;
pub use crate::document::{DocumentView, PassageView};
pub use crate::error::{Error, Result};
pub use crate::explain::ScorePart;
pub use crate::facet::{FacetCounts, FacetValue};
pub use crate::hits::{
    ChapterRef, Citation, Hit, KwicLine, KwicResults, Ranked, Ranking, SearchResults,
    TruncatedExpansion,
};
pub use crate::request::{Filters, Grouping, SearchRequest, SortBy, TopicScope};
pub use crate::searcher::Searcher;
pub use crate::stats::{
    Counts, FilterRoles, GroupKey, GroupStats, Keyword, Keywords, Series, Stats,
};
pub use crate::values::closest_names;
pub use sokord_core::date::Day;
pub use sokord_core::query::{FieldName, ParseError, Query, MAX_CLAUSES, MAX_FUZZY, MIN_PREFIX};
/// The index's own errors (`Error::Index` holds one: `NotAnIndex`, `SchemaVersion`, …) and
/// what [`Searcher::meta`] returns, so that a program that only searches can match and read
/// them without depending on `sokord-core` itself.
pub use sokord_core::{Error as IndexError, IndexMeta};

/// The README's example, compiled with the doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;
