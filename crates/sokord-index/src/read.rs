//! Reading one file into text: formats and encodings.
//!
//! | extension | how |
//! |---|---|
//! | `.txt` | decoded (see below); its layout guessed: PDF-extracted text is reflowed |
//! | `.md`, `.markdown` | decoded; YAML front matter between `---` lines split off |
//! | `.pdf` | the text layer, page by page ([`pdf_extract`]); reflowed as extracted text |
//! | `.html`, `.htm` | block elements to paragraphs, `h1`–`h6` to headings ([`scraper`]) |
//! | `.docx` | `word/document.xml` paragraphs, heading styles to headings ([`zip`], [`quick_xml`]) |
//!
//! Encodings: UTF-8 with or without BOM, UTF-16 LE/BE with BOM, and otherwise the legacy encoding
//! that [`chardetng`] finds most likely (Windows-1252 and Latin-1 for Swedish), decoded by
//! [`encoding_rs`]. Text that decodes only with replacement characters is refused, not mangled.

use std::io::Read;
use std::path::Path;

use crate::error::ReadError;
use crate::text::Layout;

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
}

/// A file's text as read, before cleaning.
#[derive(Debug, Clone)]
pub struct RawText {
    /// The text: Markdown-like for HTML and DOCX (headings as `#` lines, blank lines between
    /// paragraphs); pages separated by form feeds for PDFs.
    pub text: String,
    /// How its lines are to be read.
    pub layout: Layout,
    /// YAML front matter, if the file had any, and the line it starts on (1-based).
    pub front_matter: Option<(String, usize)>,
    /// A title the format itself carries (HTML `<title>`, DOCX core properties).
    pub title: Option<String>,
    /// The encoding the text was decoded from.
    pub encoding: &'static str,
}

/// Reads a file from its bytes.
pub fn read_bytes(bytes: &[u8], format: Format) -> Result<RawText, ReadError> {
    if bytes.is_empty() || bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    match format {
        Format::Txt => {
            let (text, encoding) = decode(bytes)?;
            let layout = crate::text::guess_layout(&text);
            Ok(RawText {
                text,
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
            Ok(RawText {
                layout: Layout::Prose,
                text: body.to_string(),
                front_matter,
                title: None,
                encoding,
            })
        }
        Format::Pdf => read_pdf(bytes),
        Format::Html => {
            let (text, encoding) = decode(bytes)?;
            let (title, text) = html_to_text(&text);
            Ok(RawText {
                text,
                layout: Layout::Prose,
                front_matter: None,
                title,
                encoding,
            })
        }
        Format::Docx => read_docx(bytes),
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
    let text = pages.join("\u{000C}");
    if text.chars().filter(|c| c.is_alphabetic()).count() < 20 {
        return Err(ReadError::NoTextLayer);
    }
    Ok(RawText {
        text,
        layout: Layout::Extracted,
        front_matter: None,
        title: None,
        encoding: "PDF",
    })
}

/// HTML to Markdown-like text: headings become `#` lines, other blocks paragraphs.
fn html_to_text(html: &str) -> (Option<String>, String) {
    use scraper::{Html, Selector};
    let doc = Html::parse_document(html);
    let title = Selector::parse("title")
        .ok()
        .and_then(|s| doc.select(&s).next())
        .map(|t| squash(&t.text().collect::<String>()))
        .filter(|t| !t.is_empty());
    let blocks = Selector::parse(
        "h1, h2, h3, h4, h5, h6, p, li, blockquote, pre, td, th, dd, dt, figcaption",
    )
    .expect("valid selector");
    let mut out = String::new();
    for el in doc.select(&blocks) {
        let name = el.value().name();
        // Nested blocks (a <p> inside an <li>) are read once, at the innermost level.
        if !matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
            && el.select(&blocks).any(|inner| inner.id() != el.id())
        {
            continue;
        }
        let text = squash(&el.text().collect::<String>());
        if text.is_empty() {
            continue;
        }
        if let Some(level) = name.strip_prefix('h').and_then(|l| l.parse::<usize>().ok()) {
            out.push_str(&"#".repeat(level));
            out.push(' ');
        }
        out.push_str(&text);
        out.push_str("\n\n");
    }
    (title, out)
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn read_docx(bytes: &[u8]) -> Result<RawText, ReadError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ReadError::Corrupt(format!("DOCX is not a valid ZIP archive: {e}")))?;
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .map_err(|_| ReadError::Corrupt("DOCX has no word/document.xml".into()))?
        .read_to_string(&mut xml)
        .map_err(|e| ReadError::Corrupt(format!("DOCX document.xml unreadable: {e}")))?;
    let title = zip.by_name("docProps/core.xml").ok().and_then(|mut f| {
        let mut s = String::new();
        f.read_to_string(&mut s).ok()?;
        element_text(&s, "title")
    });
    let text = docx_xml_to_text(&xml)?;
    Ok(RawText {
        text,
        layout: Layout::Prose,
        front_matter: None,
        title: title.filter(|t| !t.is_empty()),
        encoding: "UTF-8",
    })
}

fn element_text(xml: &str, local: &str) -> Option<String> {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_str(xml);
    let mut inside = false;
    let mut out = String::new();
    loop {
        match r.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == local.as_bytes() => inside = true,
            Event::End(e) if e.local_name().as_ref() == local.as_bytes() => {
                return Some(squash(&out))
            }
            Event::Text(t) if inside => out.push_str(&t.decode().ok()?),
            Event::Eof => return None,
            _ => {}
        }
    }
}

fn entity(name: &[u8]) -> &'static str {
    match name {
        b"amp" => "&",
        b"lt" => "<",
        b"gt" => ">",
        b"quot" => "\"",
        b"apos" => "'",
        _ => "",
    }
}

/// Paragraphs of `word/document.xml`, headings (styles "Heading N", "Rubrik N", "Title") as `#`.
fn docx_xml_to_text(xml: &str) -> Result<String, ReadError> {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_str(xml);
    let mut out = String::new();
    let mut para = String::new();
    let mut level: Option<usize> = None;
    let mut in_text = false;
    loop {
        let ev = r.read_event().map_err(|e| {
            ReadError::Corrupt(format!(
                "DOCX XML is malformed at byte {}: {e}",
                r.buffer_position()
            ))
        })?;
        match ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"p" => {
                    para.clear();
                    level = None;
                }
                b"t" => in_text = true,
                b"tab" => para.push(' '),
                b"br" | b"cr" => para.push(' '),
                b"pStyle" => {
                    for a in e.attributes().flatten() {
                        if a.key.local_name().as_ref() == b"val" {
                            let v = String::from_utf8_lossy(&a.value).to_lowercase();
                            let digits: String = v.chars().filter(|c| c.is_ascii_digit()).collect();
                            if v.starts_with("heading") || v.starts_with("rubrik") {
                                level = Some(digits.parse().unwrap_or(1).clamp(1, 6));
                            } else if v == "title" || v == "rubrik" {
                                level = Some(1);
                            }
                        }
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_text => para.push_str(
                &t.decode()
                    .map_err(|e| ReadError::Corrupt(format!("DOCX text: {e}")))?,
            ),
            Event::GeneralRef(e) if in_text => para.push_str(entity(e.as_ref())),
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => {
                    let t = squash(&para);
                    if !t.is_empty() {
                        if let Some(l) = level {
                            out.push_str(&"#".repeat(l));
                            out.push(' ');
                        }
                        out.push_str(&t);
                        out.push_str("\n\n");
                    }
                    para.clear();
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
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
    fn front_matter_is_split() {
        let (fm, body) = split_front_matter("---\nid: x\ntitle: \"T\"\n---\n# T\n\nText\n");
        assert_eq!(fm, Some("id: x\ntitle: \"T\"\n"));
        assert_eq!(body, "# T\n\nText\n");
        assert_eq!(
            split_front_matter("# Ingen\n---\n"),
            (None, "# Ingen\n---\n")
        );
    }

    #[test]
    fn html_blocks_become_paragraphs_and_headings() {
        let html = "<html><head><title>Strategi</title></head><body><h1>Strategi för hälsa</h1>\
                    <p>Första <b>stycket</b>.</p><ul><li><p>Punkt ett</p></li></ul><h2>Kapitel 2: Mål</h2><p>Andra.</p></body></html>";
        let (title, text) = html_to_text(html);
        assert_eq!(title.as_deref(), Some("Strategi"));
        assert_eq!(text, "# Strategi för hälsa\n\nFörsta stycket.\n\nPunkt ett\n\n## Kapitel 2: Mål\n\nAndra.\n\n");
    }

    #[test]
    fn docx_paragraphs_and_heading_styles() {
        let xml = r#"<w:document xmlns:w="x"><w:body>
            <w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Kapitel 1: Inledning</w:t></w:r></w:p>
            <w:p><w:r><w:t xml:space="preserve">Vård &amp; </w:t></w:r><w:r><w:t>omsorg.</w:t></w:r></w:p>
            </w:body></w:document>"#;
        assert_eq!(
            docx_xml_to_text(xml).unwrap(),
            "# Kapitel 1: Inledning\n\nVård & omsorg.\n\n"
        );
    }
}
