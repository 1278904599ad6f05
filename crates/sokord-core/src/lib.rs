//! # sokord-core
//!
//! What indexing (`sokord-index`) and searching (`sokord-query`) share, and nothing that reads
//! documents: the index schema ([`schema`]), the named analyzers registered on an index
//! ([`analyzers`], the Swedish ones from [`sokord_analysis`]), the index's layout on disk and
//! opening it ([`layout`]), a passage's chapter path ([`Chapter`]), the topic taxonomy
//! ([`topics`]), the lemma terms' totals and the document numbers written when indexing ends ([`totals`], [`docnumbers`]), the Swedish parties and their earlier names ([`parties`]), recipients as one name each ([`recipients`]), the query language ([`query`]: topic definitions are queries too), calendar days ([`date`]) and small text utilities ([`text`]).
#![deny(missing_docs)]
#![doc(test(attr(deny(warnings))))]

pub mod analyzers;
mod chapter;
pub mod date;
pub mod docnumbers;
mod error;
pub mod layout;
pub mod parties;
pub mod query;
pub mod recipients;
pub mod schema;
pub mod text;
pub mod topics;
pub mod totals;

pub use crate::chapter::Chapter;
pub use crate::error::{Error, Result};
pub use crate::layout::{index_exists, open_index, IndexMeta, OpenIndex, META_FILE};
pub use crate::schema::{Fields, SCHEMA_VERSION};
pub use crate::topics::{Taxonomy, Topic, DEFAULT_TOPICS};
