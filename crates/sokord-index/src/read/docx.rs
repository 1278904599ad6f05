//! DOCX to blocks: the paragraphs of `word/document.xml`, typed by their style, list numbering and
//! table cells.

use std::io::Read;

use quick_xml::events::{BytesRef, BytesStart, Event};

use super::html::squash;
use super::RawText;
use crate::blocks::Block;
use crate::chapters::marked_heading;
use crate::error::ReadError;
use crate::text::Layout;

pub(super) fn read_docx(bytes: &[u8]) -> Result<RawText, ReadError> {
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
    let blocks = docx_xml_to_blocks(&xml)?;
    Ok(RawText {
        text: crate::blocks::to_text(&blocks),
        blocks: Some(blocks),
        layout: Layout::Prose,
        front_matter: None,
        title: title.filter(|t| !t.is_empty()),
        encoding: "UTF-8",
    })
}

/// The text a character or entity reference stands for (`&#228;`, `&#xE4;`, `&amp;`); nothing for
/// an entity XML does not define.
fn reference(r: &BytesRef) -> Option<String> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Some(c.to_string());
    }
    let name = r.decode().ok()?;
    quick_xml::escape::resolve_xml_entity(&name).map(str::to_string)
}

/// The text of the first element with this local name, references resolved.
fn element_text(xml: &str, local: &str) -> Option<String> {
    let mut r = quick_xml::Reader::from_str(xml);
    let mut inside = false;
    let mut out = String::new();
    loop {
        match r.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == local.as_bytes() => inside = true,
            Event::End(e) if e.local_name().as_ref() == local.as_bytes() => {
                return Some(squash(&sokord_analysis::normalize(&out)))
            }
            Event::Text(t) if inside => out.push_str(&t.decode().ok()?),
            Event::GeneralRef(e) if inside => out.push_str(&reference(&e).unwrap_or_default()),
            Event::CData(t) if inside => out.push_str(&t.decode().ok()?),
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// The value of an element's `val` attribute (`w:val`).
fn val(e: &BytesStart) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == b"val")
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// What a paragraph is, from its properties.
#[derive(Default)]
struct Paragraph {
    text: String,
    /// A heading level from the paragraph style ("Heading 2", "Rubrik 2", "Title") or outline level.
    level: Option<u8>,
    /// Numbered or bulleted (`w:numPr`), or in a list style ("List Paragraph", "Liststycke").
    list: bool,
}

/// Reads a paragraph style's name: a heading level, or whether it is a list style.
fn read_style(p: &mut Paragraph, style: &str) {
    let v = style.to_lowercase();
    let digits: String = v.chars().filter(|c| c.is_ascii_digit()).collect();
    if v.starts_with("heading") || v.starts_with("rubrik") {
        p.level = Some(digits.parse().unwrap_or(1).clamp(1, 6));
    } else if v == "title" || v == "titel" {
        p.level = Some(1);
    } else if v.starts_with("list") {
        p.list = true;
    }
}

/// Blocks of `word/document.xml`: paragraphs in heading styles ("Heading N", "Rubrik N", "Title")
/// or with an outline level as headings, numbered paragraphs and those in list styles as list
/// items, paragraphs in table cells as cells (one cell's paragraphs joined); character and entity
/// references resolved.
pub(super) fn docx_xml_to_blocks(xml: &str) -> Result<Vec<Block>, ReadError> {
    let mut r = quick_xml::Reader::from_str(xml);
    let mut blocks = Vec::new();
    let mut para = Paragraph::default();
    let mut in_text = false;
    // For each table cell open, innermost last: whether a block of it was written.
    let mut cells: Vec<bool> = Vec::new();
    let mut row_start = false;
    let text_err =
        |e: quick_xml::encoding::EncodingError| ReadError::Corrupt(format!("DOCX text: {e}"));
    loop {
        let ev = r.read_event().map_err(|e| {
            ReadError::Corrupt(format!(
                "DOCX XML is malformed at byte {}: {e}",
                r.buffer_position()
            ))
        })?;
        match ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"p" => para = Paragraph::default(),
                b"t" => in_text = true,
                b"tab" | b"br" | b"cr" => para.text.push(' '),
                b"pStyle" => read_style(&mut para, &val(&e).unwrap_or_default()),
                b"outlineLvl" => {
                    if let Some(l) = val(&e).and_then(|v| v.parse::<u8>().ok()) {
                        if l < 9 {
                            para.level = Some((l + 1).min(6));
                        }
                    }
                }
                b"numPr" => para.list = true,
                b"tr" => row_start = true,
                b"tc" => cells.push(false),
                _ => {}
            },
            Event::Text(t) if in_text => para.text.push_str(&t.decode().map_err(text_err)?),
            Event::GeneralRef(e) if in_text => {
                para.text.push_str(&reference(&e).unwrap_or_default())
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"tc" => {
                    cells.pop();
                }
                b"p" => {
                    let p = std::mem::take(&mut para);
                    let text = squash(&sokord_analysis::normalize(&p.text));
                    if text.is_empty() {
                        continue;
                    }
                    if let Some(written) = cells.last_mut() {
                        if std::mem::replace(written, true) {
                            if let Some(Block::TableCell { text: cell, .. }) = blocks.last_mut() {
                                cell.push(' ');
                                cell.push_str(&text);
                                continue;
                            }
                        }
                        blocks.push(Block::TableCell {
                            text,
                            row_start: std::mem::take(&mut row_start),
                        });
                    } else if let Some(h) = p.level.and_then(|l| marked_heading(l, &text)) {
                        blocks.push(Block::Heading(h));
                    } else if p.list {
                        let first = !matches!(blocks.last(), Some(Block::ListItem { .. }));
                        blocks.push(Block::ListItem {
                            text,
                            marker: None,
                            first,
                        });
                    } else {
                        blocks.push(Block::Paragraph { text, page: None });
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_heading_styles_lists_cells_and_references() {
        let xml = r#"<w:document xmlns:w="x"><w:body>
            <w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Kapitel 1: Inledning</w:t></w:r></w:p>
            <w:p><w:r><w:t xml:space="preserve">Vård &amp; </w:t></w:r><w:r><w:t>omsorg om l&#228;kemedel och h&#xE4;lsa.</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="Rubrik2"/></w:pPr><w:r><w:t>Delm&#229;l</w:t></w:r></w:p>
            <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>Första punkten</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="ListParagraph"/></w:pPr><w:r><w:t>Andra punkten</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>Region</w:t></w:r></w:p><w:p><w:r><w:t>(län)</w:t></w:r></w:p></w:tc>
            <w:tc><w:p><w:r><w:t>Antal</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:p><w:r><w:t>Norrbotten</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>
            </w:body></w:document>"#;
        let blocks = docx_xml_to_blocks(xml).unwrap();
        assert!(
            matches!(&blocks[0], Block::Heading(h) if h.level == 1 && h.number.as_deref() == Some("1") && h.title == "Inledning")
        );
        assert_eq!(
            blocks[1],
            Block::Paragraph {
                text: "Vård & omsorg om läkemedel och hälsa.".into(),
                page: None
            }
        );
        assert!(matches!(&blocks[2], Block::Heading(h) if h.level == 2 && h.title == "Delmål"));
        let rest: Vec<_> = blocks[3..]
            .iter()
            .map(|b| match b {
                Block::ListItem { text, first, .. } => {
                    format!("li{} {text}", if *first { "*" } else { "" })
                }
                Block::TableCell { text, row_start } => {
                    format!("td{} {text}", if *row_start { "*" } else { "" })
                }
                b => format!("{b:?}"),
            })
            .collect();
        assert_eq!(
            rest,
            [
                "li* Första punkten",
                "li Andra punkten",
                "td* Region (län)",
                "td Antal",
                "td* Norrbotten"
            ]
        );
    }

    #[test]
    fn heading_styles_become_the_chapter_path() {
        let xml = r#"<w:document xmlns:w="x"><w:body>
            <w:p><w:pPr><w:pStyle w:val="Rubrik1"/></w:pPr><w:r><w:t>Kapitel 3: L&#228;kemedel</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>F&#246;rs&#246;rjning</w:t></w:r></w:p>
            <w:p><w:r><w:t>Bristen p&#229; l&#228;kemedel ska minska genom st&#246;rre lager i regionerna.</w:t></w:r></w:p>
            <w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:r><w:t>Kapitel 4: Uppf&#246;ljning</w:t></w:r></w:p>
            <w:p><w:r><w:t>Uppf&#246;ljningen redovisas &#229;rligen till regionfullm&#228;ktige.</w:t></w:r></w:p>
            </w:body></w:document>"#;
        let s = crate::chapters::structure(&docx_xml_to_blocks(xml).unwrap());
        assert_eq!(s.passages.len(), 2);
        assert!(s.passages[0].text.contains("läkemedel"));
        let path: Vec<String> = s.passages[0].chapters.iter().map(|c| c.display()).collect();
        assert_eq!(path, ["3: Läkemedel", "Försörjning"]);
        assert_eq!(s.passages[1].chapters.len(), 1);
        assert_eq!(s.passages[1].chapters[0].number.as_deref(), Some("4"));
    }

    #[test]
    fn core_title_resolves_references() {
        let core = "<cp:coreProperties xmlns:cp=\"c\" xmlns:dc=\"d\"><dc:title>Tandv&#229;rd &amp; h&#xE4;lsa</dc:title></cp:coreProperties>";
        assert_eq!(
            element_text(core, "title").as_deref(),
            Some("Tandvård & hälsa")
        );
    }
}
