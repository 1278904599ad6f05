//! # sokord-query
//!
//! Searching a sokord index: keyword queries over Swedish passages, filtered by actor, party,
//! document type, chapter, topic and date, each hit citing its document, actor, date and
//! chapter with a snippet of the passage. Results are plain data (`Serialize`); rendering them
//! is the caller's business.
//!
//! ```no_run
//! use std::path::Path;
//! use sokord_query::{Searcher, SearchRequest};
//!
//! # fn main() -> Result<(), sokord_query::Error> {
//! let searcher = Searcher::open(Path::new(".sokord"))?;
//! let mut request = SearchRequest::parse("kliniska prövningar")?;
//! request.filters.doc_type = Some("remissvar".into());
//! let results = searcher.search(&request)?;
//! for hit in &results.hits {
//!     let chapter = hit.chapter.as_ref().map_or("-".to_string(), |c| c.title.clone());
//!     println!("{} ({:?}, {:?}) [{chapter}]: {}", hit.title, hit.actor, hit.date, hit.snippet);
//! }
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
#![doc(test(attr(deny(warnings))))]

mod compile;
mod error;
mod facet;
mod search;
mod snippet;
mod stats;

pub use crate::error::{Error, Result};
pub use crate::facet::{FacetCounts, FacetValue};
pub use crate::search::{
    ChapterRef, CompareGroup, Comparison, DocumentView, Filters, Grouping, Hit, KwicLine,
    KwicResults, PassageView, Ranked, Ranking, SearchRequest, SearchResults, Searcher, SortBy,
    TopicGroup, TopicOverview, TopicStats,
};
pub use crate::stats::{GroupKey, GroupStats, Keyword, Keywords, Stats};
pub use sokord_core::query::{FieldName, ParseError, Query, MAX_CLAUSES, MAX_FUZZY, MIN_PREFIX};
