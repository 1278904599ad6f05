//! A document's content as blocks: headings and paragraphs, as the readers and the reflowing of
//! extracted text give them, before they are cut into passages ([`crate::chapters`]).

/// A heading line as recognised, before it is placed in the document's structure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingLine {
    /// Depth: 1 for chapters, 2 for sections, … (Markdown: the number of `#`).
    pub level: u8,
    /// The number as written ("3", "2.3"), if any.
    pub number: Option<String>,
    /// The heading's keyword and number as written ("Kaptiel 3", "Mål 2"), if it had one.
    pub label: Option<String>,
    /// The heading text after its number.
    pub title: String,
    /// Whether it was a Markdown heading.
    pub markdown: bool,
}

/// A block of a document after reflowing: a heading or a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading line (chapter, section, Markdown heading).
    Heading(HeadingLine),
    /// A paragraph of running text, on the given page (1-based) when pages are known.
    Paragraph {
        /// The paragraph's text, one line, single spaces.
        text: String,
        /// The page the paragraph starts on, for paged formats.
        page: Option<u32>,
    },
}
