//! Test documents in the formats sokord reads, generated here so that no binary file needs to be
//! committed: a PDF with a text layer (lopdf), a DOCX (zip), HTML and Latin-1 text.

use std::io::Write;

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream, StringFormat};

/// Windows-1252 bytes for text that only uses Latin-1 letters (å, ä, ö, é …).
pub fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| {
            let n = c as u32;
            assert!(n <= 0xFF, "{c:?} is not in Latin-1");
            n as u8
        })
        .collect()
}

/// A PDF whose pages hold the given lines in Helvetica (WinAnsiEncoding), as a word processor's
/// export would: one text line per visual line.
pub fn pdf(pages: &[Vec<&str>]) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut kids = Vec::new();
    for lines in pages {
        let mut ops = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 11.into()]),
            Operation::new("TL", vec![14.into()]),
            Operation::new("Td", vec![56.into(), 780.into()]),
        ];
        for line in lines {
            ops.push(Operation::new(
                "Tj",
                vec![Object::String(latin1(line), StringFormat::Literal)],
            ));
            ops.push(Operation::new("T*", vec![]));
        }
        ops.push(Operation::new("ET", vec![]));
        let content = Content { operations: ops };
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        });
        kids.push(page_id.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A minimal DOCX: paragraphs, with a heading level for headings (style "HeadingN").
pub fn docx(title: &str, paragraphs: &[(Option<u8>, &str)]) -> Vec<u8> {
    let mut body = String::new();
    for (level, text) in paragraphs {
        body.push_str("<w:p>");
        if let Some(l) = level {
            body.push_str(&format!("<w:pPr><w:pStyle w:val=\"Heading{l}\"/></w:pPr>"));
        }
        // Split the text over two runs, as Word does, to check that runs are joined.
        let mid = text
            .char_indices()
            .nth(text.chars().count() / 2)
            .map_or(0, |(i, _)| i);
        let (a, b) = text.split_at(mid);
        body.push_str(&format!(
            "<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r><w:r><w:t>{}</w:t></w:r></w:p>",
            xml_escape(a),
            xml_escape(b)
        ));
    }
    docx_xml(&xml_escape(title), &body)
}

/// A minimal DOCX from XML written out: `title` goes into the core properties' `dc:title` and
/// `body` into `w:body` as they are, so that they may hold character references (`&#228;`).
pub fn docx_xml(title: &str, body: &str) -> Vec<u8> {
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document \
         xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let core = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{title}</dc:title></cp:coreProperties>"
    );
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        z.start_file("[Content_Types].xml", opts).unwrap();
        z.write_all(b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>")
            .unwrap();
        z.start_file("word/document.xml", opts).unwrap();
        z.write_all(document.as_bytes()).unwrap();
        z.start_file("docProps/core.xml", opts).unwrap();
        z.write_all(core.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}
