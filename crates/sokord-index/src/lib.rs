//! # sokord-index
//!
//! Reading a folder of Swedish health-policy documents and writing it into an on-disk
//! [tantivy](https://docs.rs/tantivy) index that `sokord-query` searches.
//!
//! A document (`.txt`, `.md`, `.pdf`, `.html`, `.docx`, in UTF-8, UTF-16 or Windows-1252) is
//! decoded, normalised ([`text::normalize`]), reflowed into paragraphs when it is text pulled out
//! of a PDF ([`text::reflow`]), given metadata (front matter, the corpus manifest, or detection:
//! [`metadata`]), cut into passages that carry their chapter path ([`chapters`]), tagged with the
//! topics of the taxonomy ([`topics`]) and indexed, one tantivy document per passage
//! ([`schema`]), with the Swedish analyzers of [`analysis`].
//!
//! ```no_run
//! use std::path::Path;
//! use sokord_index::{build_index, IndexOptions};
//!
//! # fn main() -> Result<(), sokord_index::Error> {
//! let summary = build_index(Path::new("corpus"), Path::new(".sokord"), &IndexOptions::default(), &mut |_| {})?;
//! println!("{} documents, {} passages", summary.documents, summary.passages);
//! for skipped in &summary.skipped {
//!     eprintln!("skipped {}: {}", skipped.path, skipped.reason);
//! }
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
#![doc(test(attr(deny(warnings))))]

pub mod analysis;
pub mod chapters;
pub mod corpus;
mod error;
pub mod metadata;
pub mod read;
mod relay;
pub mod schema;
pub mod text;
pub mod topics;
mod writer;

pub use crate::chapters::Chapter;
pub use crate::corpus::{parse_document, read_document, DocMeta, Document, Manifest, Passage};
pub use crate::error::{Error, ReadError, Result};
pub use crate::read::Format;
pub use crate::schema::{Fields, SCHEMA_VERSION};
pub use crate::topics::{Taxonomy, Topic};
pub use crate::writer::{
    build_index, index_exists, indexed_files, load_taxonomy, open_index, FileNote, FileRecord,
    IndexMeta, IndexOptions, IndexSummary, OpenIndex, Progress, DEFAULT_TOPICS, META_FILE,
};
