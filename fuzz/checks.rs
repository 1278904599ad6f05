//! What each fuzz target checks, shared by the cargo-fuzz targets in `fuzz/fuzz_targets/` and by
//! the regression test `tests/fuzz_regressions.rs`, which replays every input kept in
//! `fuzz/regressions/<target>/` through the same function on stable Rust.
//!
//! Each function takes the raw bytes the fuzzer made and panics when sokord misbehaves.

use sokord_analysis::normalize;
use sokord_core::analyzers as analysis;
use sokord_core::text::sentence_spans;
use sokord_index::blocks::Block;
use sokord_index::chapters::structure;
use sokord_index::metadata::{parse_date, parse_front_matter};
use sokord_index::text::{guess_layout, reflow, Layout};
use sokord_index::{parse_document, Format, Manifest};
use sokord_query::Query;

/// A check: panics when sokord misbehaves on the input.
pub type Check = fn(&[u8]);

/// The targets, by name, as `fuzz/regressions/<name>/` and `cargo fuzz run <name>` call them.
pub const TARGETS: &[(&str, Check)] = &[
    ("query_parser", query_parser),
    ("front_matter", front_matter),
    ("pdf_cleanup", pdf_cleanup),
    ("chapters", chapters),
    ("analyzer", analyzer),
    ("document", document),
];

/// The whole reading of a file's bytes as text, Markdown and HTML: decoding (BOMs, UTF-8, damaged
/// UTF-8, legacy encodings, binary), front matter, reflow, chapters, metadata. A file is read or
/// refused with a reason; a document read has passages with text and a non-empty id.
pub fn document(data: &[u8]) {
    for (name, format) in [
        ("fuzz.txt", Format::Txt),
        ("fuzz.md", Format::Markdown),
        ("fuzz.html", Format::Html),
    ] {
        match parse_document(data, name, format, &Manifest::default()) {
            Ok(doc) => {
                assert!(!doc.meta.id.is_empty());
                assert!(!doc.passages.is_empty());
                for (i, p) in doc.passages.iter().enumerate() {
                    assert_eq!(p.ordinal as usize, i);
                    assert!(!p.text.trim().is_empty(), "{name}: an empty passage");
                }
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
}

/// The query parser: any string parses without a panic, or fails with a position inside it (or
/// just after it).
pub fn query_parser(data: &[u8]) {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let Err(e) = Query::parse(input) else {
        return;
    };
    assert!(
        e.offset <= input.len() && input.is_char_boundary(e.offset),
        "error offset {} outside {input:?}",
        e.offset
    );
    let chars = input.chars().count();
    assert!(
        e.column >= 1 && e.column <= chars + 1,
        "error column {} outside {input:?} ({chars} characters)",
        e.column
    );
    assert!(!e.message.is_empty());
}

/// The front-matter reader and date parser: never panic; a reported problem names a line.
pub fn front_matter(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (_meta, problem) = parse_front_matter(&text, 2);
    if let Some(p) = problem {
        assert!(!p.is_empty());
    }
    for line in text.lines().take(8) {
        if let Ok(date) = parse_date(line) {
            // A date accepted is a real calendar date written as YYYY-MM-DD.
            assert_eq!(date.len(), 10, "{date:?} from {line:?}");
            assert!(parse_date(&date).as_deref() == Ok(date.as_str()));
        }
    }
    // The whole reading of a Markdown file with this as its front matter.
    let mut md = String::from("---\n");
    md.push_str(&text);
    md.push_str("\n---\n\n# Rubrik\n\nText om vård.\n");
    let doc = parse_document(
        md.as_bytes(),
        "fuzz.md",
        Format::Markdown,
        &Manifest::default(),
    );
    if let Ok(doc) = doc {
        assert!(!doc.meta.id.is_empty());
    }
}

fn block_texts(blocks: &[Block]) -> Vec<&str> {
    blocks.iter().map(Block::text).collect()
}

/// The clean-up of text from PDFs: no panic, and no text made up: every letter of every block
/// comes from the input.
pub fn pdf_cleanup(data: &[u8]) {
    let text = normalize(&String::from_utf8_lossy(data));
    let _ = guess_layout(&text);
    let input_letters: std::collections::HashSet<char> =
        text.chars().filter(|c| c.is_alphanumeric()).collect();
    for layout in [Layout::Extracted, Layout::Prose, Layout::Markdown] {
        let blocks = reflow(&text, layout);
        for t in block_texts(&blocks) {
            for c in t.chars().filter(|c| c.is_alphanumeric()) {
                assert!(input_letters.contains(&c), "{c:?} not in the input");
            }
            for r in sentence_spans(t) {
                assert!(r.start <= r.end && r.end <= t.len());
                assert!(t.is_char_boundary(r.start) && t.is_char_boundary(r.end));
            }
        }
    }
}

/// Chapter detection over reflowed text: passages are non-empty and within the input's size.
pub fn chapters(data: &[u8]) {
    let text = normalize(&String::from_utf8_lossy(data));
    let blocks = reflow(&text, guess_layout(&text));
    let st = structure(&blocks);
    let total: usize = st.passages.iter().map(|p| p.text.len()).sum();
    // Passages are joined with single spaces, never repeated: they cannot outgrow the text by more
    // than the separators they gain.
    assert!(
        total <= text.len() + st.passages.len() * 2 + 16,
        "passages hold {total} bytes from {} bytes of text",
        text.len()
    );
    for p in &st.passages {
        assert!(!p.text.trim().is_empty(), "an empty passage");
        for c in &p.chapters {
            let _ = c.display();
        }
    }
}

/// The analyzers: every token's offsets lie on character boundaries inside the text, in order of
/// position, and every token is non-empty.
pub fn analyzer(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for name in analysis::NAMES {
        let mut a = analysis::analyzer(name).expect("a registered analyzer");
        let mut stream = a.token_stream(text);
        let mut last_position = 0;
        let mut first = true;
        while let Some(t) = stream.next() {
            assert!(
                t.offset_from <= t.offset_to && t.offset_to <= text.len(),
                "{name}: offsets {}..{} outside {} bytes",
                t.offset_from,
                t.offset_to,
                text.len()
            );
            assert!(
                text.is_char_boundary(t.offset_from) && text.is_char_boundary(t.offset_to),
                "{name}: offsets {}..{} not on character boundaries of {text:?}",
                t.offset_from,
                t.offset_to
            );
            if *name == analysis::KEYWORD {
                // The whole value is one token, even when the value is empty.
                assert_eq!(t.text, text.to_lowercase(), "{name}");
            } else {
                assert!(!t.text.is_empty(), "{name}: an empty token");
            }
            if !first {
                assert!(t.position >= last_position, "{name}: positions go back");
            }
            first = false;
            last_position = t.position;
        }
    }
}
