//! # sokord-index
//!
//! Reading a folder of Swedish health-policy documents and writing it into an on-disk
//! [tantivy](https://docs.rs/tantivy) index that `sokord-query` searches.
//!
//! A document (`.txt`, `.md`, `.pdf`, `.html`, `.docx`, in UTF-8, UTF-16 or Windows-1252) is
//! decoded, normalised ([`sokord_analysis::normalize`]), read into typed blocks ([`blocks`]: as the
//! format marks them for Markdown, HTML and DOCX, reflowed from its lines for plain text and text
//! pulled out of a PDF by [`text::reflow`]), given metadata (front matter, the corpus manifest, or detection:
//! [`metadata`]), cut into passages that carry their chapter path ([`chapters`]), tagged with the
//! topics of the taxonomy ([`topics`]) and indexed, one tantivy document per passage
//! ([`sokord_core::schema`]), with the Swedish analyzer of [`sokord_analysis`].
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

pub mod blocks;
pub mod chapters;
pub mod corpus;
mod error;
mod input;
pub mod metadata;
pub mod read;
mod relay;
pub mod text;
pub mod topics;
mod writer;

pub use crate::chapters::Chapter;
pub use crate::corpus::{parse_document, read_document, DocMeta, Document, Manifest, Passage};
pub use crate::error::{Error, ReadError, Result};
pub use crate::input::{Body, NewDocument, Section};
pub use crate::read::Format;
pub use crate::writer::{
    build_index, indexed_files, load_taxonomy, FileNote, FileRecord, IndexOptions, IndexSummary,
    Progress, Stamp, Writer,
};
pub use sokord_core::{
    index_exists, Fields, IndexMeta, Taxonomy, Topic, DEFAULT_TOPICS, META_FILE, SCHEMA_VERSION,
};
