//! Reading one file into normalised text and typed blocks: formats and encodings.
//!
//! | extension | how |
//! |---|---|
//! | `.txt` | decoded (see below); its layout guessed: PDF-extracted text is reflowed |
//! | `.md`, `.markdown` | decoded; YAML front matter between `---` lines split off; headings, paragraphs, list items and table cells from its lines ([`Layout::Markdown`]) |
//! | `.pdf` | the text layer, page by page (the `pdf-extract` crate); reflowed as extracted text |
//! | `.html`, `.htm` | all visible text of the body: block elements to paragraphs, `h1`–`h6` to headings, `li` to list items, `td` to cells; scripts, styles, navigation and site header and footer left out (the `scraper` crate) |
//! | `.docx` | `word/document.xml` paragraphs: heading styles to headings, numbered paragraphs to list items, table cells to cells, character references resolved (the `zip` and `quick-xml` crates) |
//!
//! Encodings: UTF-8 with or without BOM, UTF-16 LE/BE with BOM, and otherwise the legacy encoding
//! that [`chardetng`] finds most likely (Windows-1252 and Latin-1 for Swedish), decoded by
//! [`encoding_rs`]. Text that decodes only with replacement characters is refused, not mangled.

#[cfg(feature = "docx")]
mod docx;
#[cfg(feature = "html")]
mod html;

use std::path::Path;

use sokord_analysis::normalize;

use crate::blocks::Block;
use crate::error::ReadError;
use crate::text::{reflow, strip_markup, Layout};

/// The formats sokord reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text.
    Txt,
    /// Markdown, optionally with YAML front matter.
    Markdown,
    /// PDF with a text layer.
    Pdf,
    /// HTML.
    Html,
    /// Office Open XML word-processing document.
    Docx,
}

impl Format {
    /// The format for a path's extension, or `None` for files sokord does not read.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => Format::Txt,
            "md" | "markdown" => Format::Markdown,
            "pdf" => Format::Pdf,
            "html" | "htm" | "xhtml" => Format::Html,
            "docx" => Format::Docx,
            _ => return None,
        })
    }

    /// The Cargo feature of `sokord-index` that reads this format (empty for text and Markdown, always read).
    pub fn feature(self) -> &'static str {
        match self {
            Format::Txt | Format::Markdown => "",
            Format::Pdf => "pdf",
            Format::Html => "html",
            Format::Docx => "docx",
        }
    }
}

/// A file's text as read, normalised ([`sokord_analysis::normalize`]).
#[derive(Debug, Clone)]
pub struct RawText {
    /// The text, from which metadata is detected: pages separated by form feeds for PDFs, the
    /// body for Markdown, the blocks written out Markdown-like for HTML and DOCX
    /// ([`crate::blocks::to_text`]).
    pub text: String,
    /// The blocks the format marks (Markdown, HTML, DOCX); `None` for plain text and PDF, whose
    /// blocks [`reflow`] finds in the text by its layout ([`RawText::blocks`]).
    pub blocks: Option<Vec<Block>>,
    /// How its lines are to be read.
    pub layout: Layout,
    /// YAML front matter, if the file had any, and the line it starts on (1-based).
    pub front_matter: Option<(String, usize)>,
    /// A title the format itself carries (HTML `<title>`, DOCX core properties).
    pub title: Option<String>,
    /// The encoding the text was decoded from.
    pub encoding: &'static str,
}

impl RawText {
    /// The file's blocks: those the format marks, or those [`reflow`] finds in the text.
    pub fn blocks(&self) -> std::borrow::Cow<'_, [Block]> {
        match &self.blocks {
            Some(b) => std::borrow::Cow::Borrowed(b),
            None => std::borrow::Cow::Owned(reflow(&self.text, self.layout)),
        }
    }
}

/// Reads a file from its bytes.
pub fn read_bytes(bytes: &[u8], format: Format) -> Result<RawText, ReadError> {
    if bytes.is_empty() || bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    match format {
        Format::Txt => {
            let (text, encoding) = decode(bytes)?;
            let text = normalize(&text);
            let layout = crate::text::guess_layout(&text);
            Ok(RawText {
                text,
                blocks: None,
                layout,
                front_matter: None,
                title: None,
                encoding,
            })
        }
        Format::Markdown => {
            let (text, encoding) = decode(bytes)?;
            let (front_matter, body) = split_front_matter(&text);
            let front_matter = front_matter.map(|f| (f.to_string(), 2));
            let text = normalize(&strip_markup(body));
            Ok(RawText {
                blocks: Some(reflow(&text, Layout::Markdown)),
                layout: Layout::Markdown,
                text,
                front_matter,
                title: None,
                encoding,
            })
        }
        #[cfg(feature = "pdf")]
        Format::Pdf => read_pdf(bytes),
        #[cfg(feature = "html")]
        Format::Html => {
            let (text, encoding) = decode(bytes)?;
            let (title, blocks) = html::html_to_blocks(&text);
            Ok(RawText {
                text: crate::blocks::to_text(&blocks),
                blocks: Some(blocks),
                layout: Layout::Prose,
                front_matter: None,
                title,
                encoding,
            })
        }
        #[cfg(feature = "docx")]
        Format::Docx => docx::read_docx(bytes),
        #[allow(unreachable_patterns)]
        other => Err(ReadError::NotBuiltIn(other.feature())),
    }
}

/// The encoding [`decode`] reports for UTF-8 text with some invalid bytes, which it replaced by
/// U+FFFD.
pub const DAMAGED_UTF8: &str = "UTF-8 (invalid bytes replaced)";

/// What is wrong with bytes that are almost UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Utf8Damage {
    /// Byte offset of the first invalid sequence.
    pub first: usize,
    /// How many invalid sequences there are.
    pub invalid: usize,
    /// How many valid characters outside ASCII there are.
    pub valid_non_ascii: usize,
}

impl Utf8Damage {
    /// Counts the invalid sequences of bytes that are not valid UTF-8; `None` when they are.
    pub fn of(bytes: &[u8]) -> Option<Utf8Damage> {
        let mut d = Utf8Damage {
            first: usize::MAX,
            invalid: 0,
            valid_non_ascii: 0,
        };
        let mut at = 0;
        for chunk in bytes.utf8_chunks() {
            d.valid_non_ascii += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
            at += chunk.valid().len();
            if !chunk.invalid().is_empty() {
                d.first = d.first.min(at);
                d.invalid += 1;
            }
            at += chunk.invalid().len();
        }
        (d.invalid > 0).then_some(d)
    }

    /// Whether the text is UTF-8 with a few damaged bytes rather than a legacy encoding: its
    /// valid multi-byte characters outnumber its invalid sequences.
    pub fn is_repairable(&self) -> bool {
        self.valid_non_ascii > self.invalid
    }
}

/// Decodes bytes to text: BOMs first, then UTF-8, then UTF-8 with a few invalid bytes (replaced
/// by U+FFFD: see [`DAMAGED_UTF8`]), then the most likely legacy encoding.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), ReadError> {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(ReadError::Encoding(format!(
                "invalid {} after its byte-order mark",
                enc.name()
            )));
        }
        return Ok((text.into_owned(), enc.name()));
    }
    let probe = &bytes[..bytes.len().min(8192)];
    let nuls = probe.iter().filter(|&&b| b == 0).count();
    if nuls > 0 {
        return Err(ReadError::Binary);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), "UTF-8"));
    }
    if let Some(damage) = Utf8Damage::of(bytes) {
        if damage.is_repairable() {
            return Ok((String::from_utf8_lossy(bytes).into_owned(), DAMAGED_UTF8));
        }
    }
    // Control bytes other than whitespace say "binary", not "legacy text".
    let controls = probe
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    if controls * 100 > probe.len() {
        return Err(ReadError::Binary);
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let enc = det.guess(Some(b"se"), chardetng::Utf8Detection::Deny);
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(ReadError::Encoding(format!(
            "neither UTF-8 nor {} (save the file as UTF-8)",
            enc.name()
        )));
    }
    Ok((text.into_owned(), enc.name()))
}

/// Splits YAML front matter (between a first line `---` and a closing `---` or `...`) from the body.
pub fn split_front_matter(text: &str) -> (Option<&str>, &str) {
    let rest = match text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    {
        Some(r) => r,
        None => return (None, text),
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let t = line.trim_end();
        if t == "---" || t == "..." {
            return (Some(&rest[..offset]), &rest[offset + line.len()..]);
        }
        offset += line.len();
    }
    (None, text)
}

#[cfg(feature = "pdf")]
fn read_pdf(bytes: &[u8]) -> Result<RawText, ReadError> {
    if !bytes.starts_with(b"%PDF") {
        return Err(ReadError::Corrupt(
            "not a PDF: the file does not start with %PDF".into(),
        ));
    }
    // pdf-extract panics on some malformed files; a panic here must not end the indexing run.
    let result = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem_by_pages(bytes));
    let pages = match result {
        Ok(Ok(pages)) => pages,
        Ok(Err(e)) => {
            let msg = e.to_string();
            let lower = msg.to_lowercase();
            if lower.contains("encrypt") || lower.contains("decrypt") || lower.contains("password")
            {
                return Err(ReadError::Encrypted);
            }
            let tail = &bytes[bytes.len().saturating_sub(1024)..];
            if !tail.windows(5).any(|w| w == b"%%EOF") {
                return Err(ReadError::Corrupt(format!(
                    "the PDF is cut short (it does not end with %%EOF): download it again ({msg})"
                )));
            }
            return Err(ReadError::Corrupt(format!("PDF could not be read: {msg}")));
        }
        Err(_) => {
            return Err(ReadError::Corrupt(
                "PDF could not be read (malformed structure)".into(),
            ))
        }
    };
    let text = normalize(&pages.join("\u{000C}"));
    if text.chars().filter(|c| c.is_alphabetic()).count() < 20 {
        return Err(ReadError::NoTextLayer);
    }
    Ok(RawText {
        text,
        blocks: None,
        layout: Layout::Extracted,
        front_matter: None,
        title: None,
        encoding: "PDF",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_utf16_and_windows_1252() {
        let s = "Läkemedelsförsörjning på Åland";
        assert_eq!(decode(s.as_bytes()).unwrap().0, s);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(s.as_bytes());
        assert_eq!(decode(&bom).unwrap().0, s);
        let mut le = vec![0xFF, 0xFE];
        le.extend(s.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(&le).unwrap(), (s.to_string(), "UTF-16LE"));
        let mut be = vec![0xFE, 0xFF];
        be.extend(s.encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode(&be).unwrap().0, s);
        let (latin, _, _) = encoding_rs::WINDOWS_1252
            .encode("Hälso- och sjukvården ska ge vård på lika villkor – för alla.");
        let (text, enc) = decode(&latin).unwrap();
        assert_eq!(
            text,
            "Hälso- och sjukvården ska ge vård på lika villkor – för alla."
        );
        assert_eq!(enc, "windows-1252");
    }

    #[test]
    fn refuses_binary() {
        assert!(matches!(
            decode(b"\x00\x01\x02PK\x03\x04"),
            Err(ReadError::Binary)
        ));
        assert!(matches!(
            read_bytes(b"  \n", Format::Txt),
            Err(ReadError::Empty)
        ));
    }

    #[test]
    #[cfg(feature = "html")]
    fn an_html_page_in_divs_is_read() {
        use crate::corpus::{parse_document, Manifest};
        let html = "<html><body><div><div>Läkemedelsförsörjningen <span>ska</span> stärkas i hela landet.</div>\
                    <div>Fler apotek behövs i glesbygden.</div></div></body></html>";
        let doc = parse_document(
            html.as_bytes(),
            "a.html",
            Format::Html,
            &Manifest::default(),
        )
        .expect("read, not refused as empty");
        assert_eq!(doc.passages.len(), 1);
        assert_eq!(
            doc.passages[0].text,
            "Läkemedelsförsörjningen ska stärkas i hela landet. Fler apotek behövs i glesbygden."
        );
        let raw = read_bytes(html.as_bytes(), Format::Html).unwrap();
        assert!(raw.text.contains("Fler apotek"));
    }

    #[test]
    fn front_matter_is_split() {
        let (fm, body) = split_front_matter("---\nid: x\ntitle: \"T\"\n---\n# T\n\nText\n");
        assert_eq!(fm, Some("id: x\ntitle: \"T\"\n"));
        assert_eq!(body, "# T\n\nText\n");
        assert_eq!(
            split_front_matter("# Ingen\n---\n"),
            (None, "# Ingen\n---\n")
        );
    }
}
