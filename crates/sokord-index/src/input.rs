//! Documents given by a program rather than read from a file: a [`NewDocument`], written into an
//! index by [`Writer`](crate::Writer).
//!
//! Its metadata is taken as given: nothing is guessed from the text unless
//! [`NewDocument::detect_metadata`] asks for it, and its text is cut into passages as the
//! [`Body`] says (plain paragraphs, Markdown, or chapters given as data), never by looking for
//! headings in plain text.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::blocks::{Block, HeadingLine};
use crate::chapters::structure;
use crate::corpus::{DocMeta, Document, Passage};
use crate::error::{Error, Result};
use crate::metadata::{detect_missing, parse_date, PartialMeta};
use crate::read::Format;
use crate::text::{reflow, Layout};
use sokord_analysis::normalize;

/// A document to index, given as data.
///
/// ```
/// use sokord_index::{Body, NewDocument, Section};
///
/// let plain = NewDocument::new("dn-2025-03-01", "Regionerna larmar om vårdplatser")
///     .doc_type("artikel")
///     .actor("Region Skåne")
///     .date("2025-03-01")
///     .text("Första stycket.\n\nAndra stycket, om vårdplatser och bemanning.");
/// let chaptered = NewDocument::new("strategi-1", "En strategi").sections(vec![
///     Section::new(1, "Inledning", ["Varför strategin behövs."]),
///     Section::new(1, "Mål", ["Kortare väntetider."]).number("2"),
/// ]);
/// assert!(matches!(plain.body, Body::Text(_)));
/// assert!(matches!(chaptered.body, Body::Sections(_)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NewDocument {
    /// Its id, unique in the index: what hits cite and `delete` takes.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Document type, lower-cased when indexed (remissvar, tal, artikel, …). By default
    /// `dokument`.
    #[serde(rename = "type")]
    pub doc_type: String,
    /// Who speaks: an organisation or a person.
    pub actor: Option<String>,
    /// The actor's party.
    pub party: Option<String>,
    /// To whom it is addressed (the minister asked, the ministry a remissvar answers).
    pub recipient: Option<String>,
    /// Its date, `YYYY-MM-DD` (or `6 februari 2025`).
    pub date: Option<String>,
    /// Where the original is (a URL), for citations.
    pub source: Option<String>,
    /// Language code. By default `sv`.
    pub language: String,
    /// Topic ids the whole document is about, besides those its passages are tagged with.
    pub topics: Vec<String>,
    /// Other fields, kept with the document.
    pub extra: BTreeMap<String, String>,
    /// The text.
    pub body: Body,
    /// Guess the metadata left empty (type, actor, recipient, date) from the text, as folder
    /// indexing does for files without front matter. By default off: what is given is final.
    pub detect_metadata: bool,
}

/// A document's text, and how it is cut into passages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Body {
    /// Plain text: paragraphs separated by blank lines (the lines of a paragraph are joined).
    /// No headings are looked for: "1. Fler vårdplatser" is a paragraph.
    Text(String),
    /// Markdown, read as a `.md` file is: `#` headings make chapters; lists and tables are
    /// kept together. A lone leading `#` heading that repeats the document's title is dropped
    /// (a file's names the document); one that says something else is the first chapter.
    Markdown(String),
    /// Chapters given as data, in document order; a section's `level` nests it under the last
    /// section of a lower level.
    Sections(Vec<Section>),
}

/// A chapter (or section) of a [`Body::Sections`] document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Section {
    /// Depth: 1 for a chapter, 2 for a section in it, …
    pub level: u8,
    /// Its number as written ("3", "2.1"), if any.
    pub number: Option<String>,
    /// Its heading.
    pub title: String,
    /// Its paragraphs.
    pub paragraphs: Vec<String>,
}

impl Section {
    /// A section at `level` (at least 1) with a heading and paragraphs.
    pub fn new<P: Into<String>>(
        level: u8,
        title: impl Into<String>,
        paragraphs: impl IntoIterator<Item = P>,
    ) -> Section {
        Section {
            level: level.max(1),
            number: None,
            title: title.into(),
            paragraphs: paragraphs.into_iter().map(Into::into).collect(),
        }
    }

    /// Its number as written ("3", "2.1").
    pub fn number(mut self, number: impl Into<String>) -> Section {
        self.number = Some(number.into());
        self
    }
}

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident),*) => {$(
        $(#[$doc])*
        pub fn $name(mut self, value: impl Into<String>) -> NewDocument {
            self.$name = Some(value.into());
            self
        }
    )*};
}

impl NewDocument {
    /// A document with an id and a title, of type `dokument`, in Swedish, with no text yet.
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> NewDocument {
        NewDocument {
            id: id.into(),
            title: title.into(),
            doc_type: "dokument".into(),
            actor: None,
            party: None,
            recipient: None,
            date: None,
            source: None,
            language: "sv".into(),
            topics: Vec::new(),
            extra: BTreeMap::new(),
            body: Body::Text(String::new()),
            detect_metadata: false,
        }
    }

    /// Its document type.
    pub fn doc_type(mut self, doc_type: impl Into<String>) -> NewDocument {
        self.doc_type = doc_type.into();
        self
    }

    setters!(
        /// Who speaks.
        actor,
        /// The actor's party.
        party,
        /// To whom it is addressed.
        recipient,
        /// Its date, `YYYY-MM-DD`.
        date,
        /// Where the original is (a URL).
        source
    );

    /// Its language code.
    pub fn language(mut self, language: impl Into<String>) -> NewDocument {
        self.language = language.into();
        self
    }

    /// A topic id the whole document is about.
    pub fn topic(mut self, topic: impl Into<String>) -> NewDocument {
        self.topics.push(topic.into());
        self
    }

    /// Another field, kept with the document.
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<String>) -> NewDocument {
        self.extra.insert(key.into(), value.into());
        self
    }

    /// Its text as plain paragraphs ([`Body::Text`]).
    pub fn text(mut self, text: impl Into<String>) -> NewDocument {
        self.body = Body::Text(text.into());
        self
    }

    /// Its text as Markdown ([`Body::Markdown`]).
    pub fn markdown(mut self, text: impl Into<String>) -> NewDocument {
        self.body = Body::Markdown(text.into());
        self
    }

    /// Its text as chapters ([`Body::Sections`]).
    pub fn sections(mut self, sections: Vec<Section>) -> NewDocument {
        self.body = Body::Sections(sections);
        self
    }

    /// Guesses the metadata left empty from the text.
    pub fn detect_metadata(mut self, detect: bool) -> NewDocument {
        self.detect_metadata = detect;
        self
    }

    /// The document as indexing sees it: metadata checked, text cut into passages.
    pub(crate) fn into_document(self) -> Result<Document> {
        let invalid = |id: &str, message: String| Error::InvalidDocument {
            id: id.to_string(),
            message,
        };
        let id = self.id.trim().to_string();
        if id.is_empty() || id.chars().any(char::is_control) {
            return Err(invalid(
                &id,
                "an id must be a non-empty line of text (no line breaks or control characters)"
                    .into(),
            ));
        }
        let hash = blake3::hash(&serde_json::to_vec(&self).expect("documents serialise"))
            .to_hex()
            .to_string();
        let title = normalize(self.title.trim());
        if title.is_empty() {
            return Err(invalid(&id, "it has no title: give one".into()));
        }
        let (blocks, format) = match &self.body {
            Body::Text(text) => (paragraphs(&normalize(text)), Format::Txt),
            Body::Markdown(text) => (reflow(&normalize(text), Layout::Markdown), Format::Markdown),
            Body::Sections(sections) => (section_blocks(sections), Format::Markdown),
        };
        let mut st = structure(&blocks);
        // A document given its own title: a lone `#` heading that says something else is its
        // first chapter, not a second title (one that repeats the title is dropped).
        if st
            .title_heading
            .as_deref()
            .is_some_and(|h| h.trim().to_lowercase() != title.to_lowercase())
        {
            st = crate::chapters::structure_as(&blocks, false);
        }
        let passages: Vec<Passage> = st
            .passages
            .into_iter()
            .enumerate()
            .map(|(i, p)| Passage {
                ordinal: i as u32,
                text: p.text,
                chapters: p.chapters,
                page: p.page,
            })
            .collect();
        if passages.is_empty() {
            return Err(invalid(&id, "it has no text: give it a body".into()));
        }
        let given = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let mut meta = PartialMeta {
            actor: given(self.actor),
            party: given(self.party),
            recipient: given(self.recipient),
            date: given(self.date),
            ..PartialMeta::default()
        };
        if self.detect_metadata {
            let text = crate::blocks::to_text(&blocks);
            meta.doc_type = Some(self.doc_type.clone()).filter(|t| t != "dokument");
            let detected = detect_missing(&text, Path::new(&id), &meta);
            meta.fill_from(&detected);
        }
        let date = match meta.date.as_deref().map(parse_date) {
            Some(Ok(d)) => Some(d),
            // The message says how to write a date where that is the fix (not for 30 February).
            Some(Err(e)) if e.contains("YYYY-MM-DD") => return Err(invalid(&id, e)),
            Some(Err(e)) => return Err(invalid(&id, format!("{e}; give the date as YYYY-MM-DD"))),
            None => None,
        };
        let doc_type = meta.doc_type.unwrap_or(self.doc_type).trim().to_lowercase();
        Ok(Document {
            meta: DocMeta {
                id,
                doc_type: if doc_type.is_empty() {
                    "dokument".into()
                } else {
                    doc_type
                },
                title,
                actor: meta.actor,
                party: meta.party,
                recipient: meta.recipient,
                date,
                source: given(self.source),
                language: given(Some(self.language)).unwrap_or_else(|| "sv".into()),
                topics: self.topics,
                extra: self.extra,
            },
            path: String::new(),
            format,
            encoding: "UTF-8",
            hash,
            passages,
            warnings: Vec::new(),
        })
    }
}

/// Plain text as paragraphs: split at blank lines, each paragraph's lines joined.
fn paragraphs(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut para = String::new();
    for line in text.lines().chain(std::iter::once("")) {
        let line = line.trim();
        if line.is_empty() {
            if !para.is_empty() {
                blocks.push(Block::Paragraph {
                    text: std::mem::take(&mut para),
                    page: None,
                });
            }
            continue;
        }
        if !para.is_empty() {
            para.push(' ');
        }
        para.push_str(line);
    }
    blocks
}

fn section_blocks(sections: &[Section]) -> Vec<Block> {
    let mut blocks = Vec::new();
    for s in sections {
        let title = normalize(s.title.trim());
        if !title.is_empty() {
            blocks.push(Block::Heading(HeadingLine {
                // Not 1: a lone level-1 heading first would be taken for the document's title.
                level: s.level.max(1).saturating_add(1),
                number: s.number.clone().filter(|n| !n.trim().is_empty()),
                label: None,
                title,
                marked: true,
            }));
        }
        for p in &s.paragraphs {
            blocks.extend(paragraphs(&normalize(p)));
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_paragraphs_and_sections_are_chapters() {
        let doc = NewDocument::new("a", "Titel")
            .text(
                "1. Fler vårdplatser behövs i hela landet, inte minst i glesbygden.\n\n\
                 Regionerna har\nlänge larmat om bristen på sjuksköterskor och barnmorskor.",
            )
            .into_document()
            .unwrap();
        assert_eq!(doc.passages.len(), 2);
        assert!(doc.passages.iter().all(|p| p.chapters.is_empty()));
        assert!(doc.passages[1].text.contains("har länge larmat"));

        let doc = NewDocument::new("b", "Titel")
            .sections(vec![
                Section::new(
                    1,
                    "Inledning",
                    ["Strategin beskriver hur vården ska utvecklas de kommande åren."],
                ),
                Section::new(
                    2,
                    "Mål",
                    ["Väntetiderna i den specialiserade vården ska bli kortare."],
                )
                .number("1.1"),
            ])
            .into_document()
            .unwrap();
        assert_eq!(doc.passages.len(), 2);
        assert_eq!(doc.passages[0].chapters[0].title, "Inledning");
        let path: Vec<_> = doc.passages[1]
            .chapters
            .iter()
            .map(|c| c.display())
            .collect();
        assert_eq!(path, ["Inledning", "1.1: Mål"]);
    }

    #[test]
    fn metadata_is_taken_as_given_and_checked() {
        let body = "Stockholm den 3 mars 2019. Socialstyrelsen har i uppdrag att följa vården.";
        let doc = NewDocument::new("a", "Titel")
            .text(body)
            .into_document()
            .unwrap();
        assert_eq!((doc.meta.actor, doc.meta.date), (None, None));
        assert_eq!(doc.meta.doc_type, "dokument");
        let doc = NewDocument::new("a", "Titel")
            .text(body)
            .detect_metadata(true)
            .into_document()
            .unwrap();
        assert_eq!(doc.meta.date.as_deref(), Some("2019-03-03"));

        let err = |d: NewDocument| d.into_document().unwrap_err().to_string();
        assert!(err(NewDocument::new("", "T").text(body)).contains("id"));
        assert!(err(NewDocument::new("x", " ").text(body)).contains("no title"));
        assert!(err(NewDocument::new("x", "T")).contains("no text"));
        let bad = err(NewDocument::new("x", "T").text(body).date("2025-02-30"));
        assert!(bad.contains("`x`") && bad.contains("YYYY-MM-DD"), "{bad}");
        // A lone `#` heading is a chapter of a document given its own title, unless it is
        // that title.
        let md = "# Bakgrund\n\nPsykisk ohälsa bland unga ökar i hela landet.\n\n## Orsaker\n\n\
                  Skolstress och ensamhet nämns oftast av dem som svarat.";
        let doc = NewDocument::new("md", "Markdown-dok")
            .markdown(md)
            .into_document()
            .unwrap();
        let titles =
            |p: &Passage| -> Vec<String> { p.chapters.iter().map(|c| c.title.clone()).collect() };
        assert_eq!(titles(&doc.passages[0]), ["Bakgrund"]);
        assert_eq!(titles(&doc.passages[1]), ["Bakgrund", "Orsaker"]);
        let doc = NewDocument::new("md", "Bakgrund")
            .markdown(md)
            .into_document()
            .unwrap();
        assert!(doc.passages[0].chapters.is_empty());
        assert_eq!(titles(&doc.passages[1]), ["Orsaker"]);
        // The way to write a date is said once.
        let bad = err(NewDocument::new("x", "T").text(body).date("igår"));
        assert_eq!(bad.matches("YYYY-MM-DD").count(), 1, "{bad}");
    }
}
