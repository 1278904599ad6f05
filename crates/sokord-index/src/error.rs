//! Errors of the indexing library: those of [`sokord_core`], and why a file could not be read.

pub use sokord_core::{Error, Result};

/// Why one file could not be read. The indexing run reports it and goes on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The file is empty or holds only white space.
    #[error("empty file")]
    Empty,
    /// The file holds binary data, not text.
    #[error("binary data, not text (is the extension right?)")]
    Binary,
    /// The bytes are not text in any encoding sokord recognises.
    #[error("undecodable text: {0}")]
    Encoding(String),
    /// The file is damaged or not of its format.
    #[error("{0}")]
    Corrupt(String),
    /// The PDF is encrypted.
    #[error("the PDF is encrypted with a password; save an unencrypted copy, e.g. `qpdf --decrypt --password=PASSWORD in.pdf out.pdf`")]
    Encrypted,
    /// The PDF has no text layer (a scan).
    #[error("the PDF has no text layer (a scan?); run OCR on it first, e.g. `ocrmypdf -l swe in.pdf out.pdf`")]
    NoTextLayer,
    /// The format's reader was left out of this build (a Cargo feature of `sokord-index`).
    #[error("this build of sokord reads no such files: its `{0}` feature is off")]
    NotBuiltIn(&'static str),
    /// The file could not be read.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}
