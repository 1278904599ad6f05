//! A document's content as typed blocks: headings, paragraphs, list items and table cells, as the
//! readers give them (Markdown, HTML, DOCX: [`crate::read`]) or the reflowing of plain and
//! extracted text finds them ([`crate::text::reflow`]), before they are cut into passages
//! ([`crate::chapters`]).

/// A heading as recognised, before it is placed in the document's structure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingLine {
    /// Depth: 1 for chapters, 2 for sections, … (marked headings: the level the format gives, as
    /// the number of `#` or the `N` of `hN` and of the style "Heading N").
    pub level: u8,
    /// The number as written ("3", "2.3"), if any.
    pub number: Option<String>,
    /// The heading's keyword and number as written ("Kaptiel 3", "Mål 2"), if it had one.
    pub label: Option<String>,
    /// The heading text after its number.
    pub title: String,
    /// Whether the format marks it as a heading (Markdown `#`, HTML `h1`–`h6`, a DOCX heading
    /// style), rather than it being recognised from the shape of its text.
    pub marked: bool,
}

/// A block of a document: a heading, a paragraph, an item of a list or a cell of a table. Their
/// text is one line with single spaces, normalised ([`sokord_analysis::normalize`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading (chapter, section, a heading the format marks).
    Heading(HeadingLine),
    /// A paragraph of running text, on the given page (1-based) when pages are known.
    Paragraph {
        /// The paragraph's text.
        text: String,
        /// The page the paragraph starts on, for paged formats.
        page: Option<u32>,
    },
    /// An item of a list. The items of one list are read together, as one paragraph.
    ListItem {
        /// The item's text, without its marker.
        text: String,
        /// The marker as written in the text ("-", "1."), where the text writes one (Markdown);
        /// `None` where the format draws it (HTML, DOCX).
        marker: Option<String>,
        /// Whether the item opens a list, rather than going on with the list of the item before.
        first: bool,
    },
    /// A cell of a table. The cells of one row are read together, as one paragraph.
    TableCell {
        /// The cell's text.
        text: String,
        /// Whether the cell opens a row, rather than going on with the row of the cell before.
        row_start: bool,
    },
}

impl Block {
    /// The block's text: a heading's title, or the text of a paragraph, list item or cell.
    pub fn text(&self) -> &str {
        match self {
            Block::Heading(h) => &h.title,
            Block::Paragraph { text, .. }
            | Block::ListItem { text, .. }
            | Block::TableCell { text, .. } => text,
        }
    }
}

/// Writes blocks out as Markdown-like text: headings as `#` lines (their number kept), the other
/// blocks as paragraphs (list items with their marker, or `-`), blank lines between them. Used to
/// detect metadata from the text of formats that are read as blocks.
pub fn to_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Heading(h) => {
                out.push_str(&"#".repeat(usize::from(h.level.clamp(1, 6))));
                out.push(' ');
                if let Some(label) = h.label.as_ref().or(h.number.as_ref()) {
                    out.push_str(label);
                    out.push(' ');
                }
                out.push_str(&h.title);
            }
            Block::ListItem { text, marker, .. } => {
                out.push_str(marker.as_deref().unwrap_or("-"));
                out.push(' ');
                out.push_str(text);
            }
            Block::Paragraph { text, .. } | Block::TableCell { text, .. } => out.push_str(text),
        }
        out.push_str("\n\n");
    }
    out
}
