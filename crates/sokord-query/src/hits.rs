//! What a search returns: hits citing their passages, keyword-in-context lines, rankings.

use serde::{Deserialize, Serialize};
use tantivy::{Score, TantivyDocument};

use sokord_core::{Chapter, Fields};

use crate::facet::FacetCounts;
use crate::snippet::{leading_text, sentence_snippet, Highlighter};
use crate::stored::{date_of, text_of, texts_of, u64_of};

/// A chapter reference in a hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChapterRef {
    /// Its number, if it has one.
    pub number: Option<String>,
    /// Its title.
    pub title: String,
}

impl From<&Chapter> for ChapterRef {
    fn from(c: &Chapter) -> ChapterRef {
        ChapterRef {
            number: c.number.clone(),
            title: c.title.clone(),
        }
    }
}

/// Where a passage comes from: its document, who speaks, when, and in which chapter. A [`Hit`]
/// and a [`KwicLine`] each cite their passage with one; in JSON its fields stand among theirs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Citation {
    /// Document id.
    pub doc_id: String,
    /// File path relative to the indexed folder.
    pub path: String,
    /// Where the original is (its URL), when the metadata says.
    pub source: Option<String>,
    /// Document title.
    pub title: String,
    /// Document type.
    #[serde(rename = "type")]
    pub doc_type: String,
    /// Who speaks.
    pub actor: Option<String>,
    /// The actor's party.
    pub party: Option<String>,
    /// Whom the document is addressed to (an interpellation's minister).
    pub recipient: Option<String>,
    /// Date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The top-level chapter the passage is in, or null before the first heading.
    pub chapter: Option<ChapterRef>,
    /// The innermost section below the chapter, if any ("Mål 2" in chapter 4).
    pub section: Option<ChapterRef>,
}

impl Citation {
    /// The passage's chapter as a reader names it, "Kapitel 3: Title" (a chapter numbered by
    /// digits), "Bilaga A: Title" or "Title", with its section after `between`; `None` outside
    /// chapters.
    pub fn chapter_line(&self, between: &str) -> Option<String> {
        let c = self.chapter.as_ref()?;
        let mut s = match &c.number {
            Some(n) if n.chars().all(|ch| ch.is_ascii_digit() || ch == '.') => {
                format!("Kapitel {n}: {}", c.title)
            }
            Some(n) => format!("{n}: {}", c.title),
            None => c.title.clone(),
        };
        if let Some(sec) = &self.section {
            s.push_str(between);
            s.push_str(&match &sec.number {
                Some(n) => format!("{n}: {}", sec.title),
                None => sec.title.clone(),
            });
        }
        Some(s)
    }

    /// The citation of a stored passage.
    pub(crate) fn read(f: &Fields, doc: &TantivyDocument) -> Citation {
        let chapters: Vec<Chapter> = text_of(doc, f.chapters)
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        let source = text_of(doc, f.extra)
            .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
            .and_then(|v| v.get("source")?.as_str().map(str::to_string));
        Citation {
            doc_id: text_of(doc, f.doc_id).unwrap_or_default(),
            path: text_of(doc, f.path).unwrap_or_default(),
            source,
            title: text_of(doc, f.title).unwrap_or_default(),
            doc_type: text_of(doc, f.doc_type).unwrap_or_default(),
            actor: text_of(doc, f.actor),
            party: text_of(doc, f.party),
            recipient: text_of(doc, f.recipient),
            date: date_of(doc, f.date),
            chapter: chapters.first().map(ChapterRef::from),
            section: chapters
                .get(1..)
                .and_then(|s| s.last())
                .map(ChapterRef::from),
        }
    }
}

/// One hit: a passage (or a document's best passage) with its citation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Hit {
    /// Where the passage comes from.
    #[serde(flatten)]
    pub citation: Citation,
    /// Topic ids of the passage.
    pub topics: Vec<String>,
    /// Relevance score (BM25).
    pub score: f32,
    /// The passage text around the matches.
    pub snippet: String,
    /// Byte ranges of matched words within `snippet`.
    pub highlights: Vec<[usize; 2]>,
    /// The passage's position in its document, from 0.
    pub passage: u32,
    /// Page number, for paged formats.
    pub page: Option<u32>,
    /// With grouping by document: how many of its passages matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched_passages: Option<usize>,
    /// Whether the hit matches only some of the query's words (filling a short result list).
    pub partial: bool,
    /// Whether the passage counts and statistics (`count`, `stats`, `compare`, `kwic`) count
    /// it for the query: its own text or its heading matches the whole query. `false` for a
    /// passage a search finds only through its document's title, a compound's parts near each
    /// other, or its document's other passages (grouped by document), and for partial hits.
    /// The hits of a search with `counted` true are the passages `count` counts. (Absent in
    /// JSON written before sokord had it: read as `false`.)
    #[serde(default)]
    pub counted: bool,
    /// Why the hit scored as it did (when the request asks to `explain`): a short tree of the
    /// matched terms by field, their BM25 parts, the boosts and the sums.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<crate::explain::ScorePart>,
}

impl Hit {
    /// A stored passage as a hit, its snippet cut around the matches `snippets` find (the
    /// passage's start when they find none).
    pub(crate) fn read(
        f: &Fields,
        doc: &TantivyDocument,
        score: Score,
        snippets: &mut Highlighter,
        max_chars: usize,
        matched_passages: Option<usize>,
    ) -> Hit {
        let body = text_of(doc, f.text).unwrap_or_default();
        let (snippet, highlights) = match snippets.highlights(&body) {
            marks if marks.is_empty() => (leading_text(&body, max_chars), Vec::new()),
            marks => sentence_snippet(&body, &marks, max_chars),
        };
        Hit {
            citation: Citation::read(f, doc),
            topics: texts_of(doc, f.topics),
            score,
            snippet,
            highlights,
            passage: u64_of(doc, f.ordinal).unwrap_or(0) as u32,
            page: u64_of(doc, f.page).map(|p| p as u32),
            matched_passages,
            partial: false,
            counted: false,
            explain: None,
        }
    }
}

/// One keyword-in-context line.
///
/// Its JSON cites the passage as it always has: without the citation's `type`, `section`,
/// `source` and `recipient` (which are read back as empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct KwicLine {
    /// Where the passage comes from.
    #[serde(flatten, with = "line_citation")]
    pub citation: Citation,
    /// The passage's position in its document.
    pub passage: u32,
    /// Text before the match (whole words).
    pub left: String,
    /// The matched word, as written (a whole compound when a part matched).
    pub keyword: String,
    /// Text after the match (whole words).
    pub right: String,
}

/// A [`KwicLine`]'s citation in JSON: the fields it has always had, in their order, then the
/// recipient and the source (the document's address), as search hits have them.
mod line_citation {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{ChapterRef, Citation};

    #[derive(Serialize)]
    struct Cited<'a> {
        doc_id: &'a str,
        path: &'a str,
        title: &'a str,
        actor: &'a Option<String>,
        party: &'a Option<String>,
        date: &'a Option<String>,
        chapter: &'a Option<ChapterRef>,
        recipient: &'a Option<String>,
        source: &'a Option<String>,
    }

    #[derive(Deserialize)]
    struct Read {
        doc_id: String,
        path: String,
        title: String,
        actor: Option<String>,
        party: Option<String>,
        date: Option<String>,
        chapter: Option<ChapterRef>,
        #[serde(default)]
        recipient: Option<String>,
        #[serde(default)]
        source: Option<String>,
    }

    pub(super) fn serialize<S: Serializer>(c: &Citation, s: S) -> Result<S::Ok, S::Error> {
        Cited {
            doc_id: &c.doc_id,
            path: &c.path,
            title: &c.title,
            actor: &c.actor,
            party: &c.party,
            date: &c.date,
            chapter: &c.chapter,
            recipient: &c.recipient,
            source: &c.source,
        }
        .serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Citation, D::Error> {
        let r = Read::deserialize(d)?;
        Ok(Citation {
            doc_id: r.doc_id,
            path: r.path,
            source: r.source,
            title: r.title,
            doc_type: String::new(),
            actor: r.actor,
            party: r.party,
            recipient: r.recipient,
            date: r.date,
            chapter: r.chapter,
            section: None,
        })
    }
}

/// Keyword-in-context lines for a query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct KwicResults {
    /// The query.
    pub query: String,
    /// How many passages match, also with the help of their document's title (a word of the
    /// query in the title makes each passage of the document match).
    pub total_passages: usize,
    /// How many passages match by their own text and headings alone, as `count` and `stats`
    /// count them; never more than `total_passages` (a NOT word takes a passage away in both
    /// when its document's title says it).
    pub text_passages: usize,
    /// How many lines there are in all (the request's limit gives [`KwicResults::lines`] a
    /// page of them): the hits `count` and `stats` count.
    pub total_lines: u64,
    /// The lines, passage by passage in rank order: the hits of the passages `text_passages`
    /// counts (a phrase whole is one line), as `stats` counts hits.
    pub lines: Vec<KwicLine>,
}

/// The result of a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// The number of matching passages (documents, when grouped): passages whose own text or
    /// headings match, as `count` and `stats` count them.
    pub total_hits: usize,
    /// Grouped by document: how many of the `total_hits` documents the counts count (those
    /// matched only through a compound's parts near each other are not; their hits say
    /// `counted` false). Absent from JSON for passages, whose `total_hits` are all counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counted_hits: Option<usize>,
    /// Passages found only more loosely, through their document's title or a compound's parts
    /// near each other: not in `total_hits`, listed after its hits when a page goes past them
    /// ([`Hit::counted`] false). Counted when a page reached them or asked for no hits (a
    /// limit of 0), with partial matches allowed; absent from JSON otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loose_hits: Option<usize>,
    /// The hits, best first.
    pub hits: Vec<Hit>,
    /// How the matching passages (documents, when grouped) spread over actors, parties, types,
    /// years, topics and chapters.
    pub facets: FacetCounts,
    /// The query's words were all stop words (`och att det`), so they were searched as exact
    /// forms, stop words included. Absent from JSON when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exact_forms: bool,
    /// Prefix and fuzzy words that match more word forms than are searched
    /// ([`MAX_EXPANSIONS`](crate::MAX_EXPANSIONS)): the most frequent are. Absent from JSON when
    /// none was cut.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub truncated_expansions: Vec<TruncatedExpansion>,
    /// When nothing matches all the words: corrected queries that do match, from the index's
    /// own word forms within one or two edits of the words that find nothing ("Menade du").
    /// Absent from JSON when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
}

/// A prefix (`vård*`) or fuzzy (`prövnng~1`) word that matches more word forms than a query
/// searches: the most frequent forms (in documents) are searched, the rest left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TruncatedExpansion {
    /// The word as written in the query (`vård*`).
    pub word: String,
    /// How many word forms it matches in the index.
    pub forms: usize,
    /// How many of them, the most frequent, are searched.
    pub searched: usize,
    /// The most frequent form left out.
    pub most_frequent_dropped: Option<String>,
}

/// The result of [`Searcher::rank`](crate::Searcher::rank): the best passages (or documents)
/// for a query as bare references, without reading their text, and how many match in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Ranking {
    /// The query as given.
    pub query: String,
    /// The number of matching passages (documents, when grouped).
    pub total_hits: usize,
    /// The hits, best first.
    pub hits: Vec<Ranked>,
}

/// One hit of a [`Ranking`]: which passage, and how well it matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Ranked {
    /// The document's id; [`Searcher::document`](crate::Searcher::document) reads it back.
    pub doc_id: String,
    /// The passage's position in its document (the best passage, when grouped by document).
    pub passage: u32,
    /// Relevance score (0 when sorted by date).
    pub score: f32,
    /// When grouped by document: how many of its passages matched.
    pub matched_passages: Option<usize>,
    /// A partial match (see the request's `fill_partial`).
    pub partial: bool,
    /// Whether the counts count it (see [`Hit::counted`]): false for a passage found only
    /// through its document's title or a compound's parts near each other, listed after those
    /// counted, and for a partial match. When grouped by document: not partial.
    #[serde(default)]
    pub counted: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn citation() -> Citation {
        Citation {
            doc_id: "d".into(),
            path: "p.md".into(),
            source: Some("https://example.org/d".into()),
            title: "T".into(),
            doc_type: "tal".into(),
            actor: Some("A".into()),
            party: None,
            recipient: Some("R".into()),
            date: Some("2025-01-02".into()),
            chapter: Some(ChapterRef {
                number: Some("1".into()),
                title: "K".into(),
            }),
            section: None,
        }
    }

    #[test]
    fn a_hit_cites_its_passage_with_the_citation_first() {
        let hit = Hit {
            citation: citation(),
            topics: vec![],
            score: 1.0,
            snippet: "s".into(),
            highlights: vec![],
            passage: 3,
            page: None,
            matched_passages: None,
            partial: false,
            counted: true,
            explain: None,
        };
        let json = serde_json::to_string(&hit).unwrap();
        assert_eq!(
            json,
            concat!(
                r#"{"doc_id":"d","path":"p.md","source":"https://example.org/d","title":"T","#,
                r#""type":"tal","actor":"A","party":null,"recipient":"R","#,
                r#""date":"2025-01-02","chapter":{"number":"1","title":"K"},"section":null,"#,
                r#""topics":[],"score":1.0,"snippet":"s","highlights":[],"passage":3,"page":null,"#,
                r#""partial":false,"counted":true}"#
            )
        );
        assert_eq!(serde_json::from_str::<Hit>(&json).unwrap(), hit);
    }

    #[test]
    fn a_kwic_line_cites_without_type_and_section_with_recipient_and_source() {
        let line = KwicLine {
            citation: citation(),
            passage: 3,
            left: "l ".into(),
            keyword: "k".into(),
            right: " r".into(),
        };
        let json = serde_json::to_string(&line).unwrap();
        assert_eq!(
            json,
            concat!(
                r#"{"doc_id":"d","path":"p.md","title":"T","actor":"A","party":null,"#,
                r#""date":"2025-01-02","chapter":{"number":"1","title":"K"},"recipient":"R","#,
                r#""source":"https://example.org/d","passage":3,"#,
                r#""left":"l ","keyword":"k","right":" r"}"#
            )
        );
        let back: KwicLine = serde_json::from_str(&json).unwrap();
        assert_eq!(back.citation.doc_type, "");
        assert_eq!(back.citation.title, "T");
        assert_eq!(back.citation.recipient.as_deref(), Some("R"));
        assert_eq!(
            back.citation.source.as_deref(),
            Some("https://example.org/d")
        );
        assert_eq!(back.left, "l ");
    }
}
