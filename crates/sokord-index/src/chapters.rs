//! Chapter detection and the cutting of documents into passages.
//!
//! Headings recognised: "Kapitel N: …" (also misspelt, as "Kaptiel 3" in a real remissvar), "Mål N:
//! …" and "Delmål N: …" as sub-sections, "Bilaga N", numbered headings ("1.", "2.3 …") and Markdown
//! headings (`#`, `##`, …, with or without a number); headings that HTML and DOCX mark come as
//! blocks with their level ([`marked_heading`]). A document's lone first level-1 marked heading is
//! its title, not a chapter, so the interpellations' "## Frågor" is their only chapter.

use std::sync::LazyLock;

use regex::Regex;

use crate::blocks::{Block, HeadingLine};
pub use sokord_core::Chapter;

/// A passage as cut from a document, before metadata and topics are attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassageDraft {
    /// The passage text.
    pub text: String,
    /// The chapter path, outermost first; empty before the first heading.
    pub chapters: Vec<Chapter>,
    /// The page the passage starts on, for paged formats.
    pub page: Option<u32>,
}

static KAPITEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i)([a-zåäö]{5,9})\s+(\d{1,3})\s*(?:[:.–—-]\s*|\s+)(\S.*)?$").unwrap()
});
static SUBSECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(Mål|Delmål|Bilaga|Avsnitt|Del)\s+(\d{1,3}[a-z]?)\s*[:.–—-]\s*(\S.*)$").unwrap()
});
static NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(\p{Lu}.*)$").unwrap());
static MARKDOWN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(#{1,6})\s+(.*?)\s*#*\s*$").unwrap());

/// Whether a word is "kapitel" or a plausible misspelling of it ("Kaptiel", "Kapitle", "Kapittel").
fn is_kapitel(word: &str) -> bool {
    let w = word.to_lowercase();
    w.starts_with("ka") && sokord_core::text::edit_distance(&w, "kapitel") <= 1 || w == "chapter"
}

/// A heading's text: short, and ending no sentence or list item (a numbered line ending in `;`
/// is an item of a list).
fn looks_like_title(title: &str) -> bool {
    let t = title.trim();
    !t.is_empty()
        && t.chars().count() <= 120
        && t.split_whitespace().count() <= 16
        && !t.ends_with(['.', ',', ';', '!'])
}

/// A printed volume's running head with its page number, left in the text of older
/// parliamentary documents ("15 Riksdagen Interpellationer 1996/97:1-261", "8 Interpellationer
/// 1996/971-372"): not a chapter.
fn is_running_head(title: &str) -> bool {
    static HEAD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:Riksdagen\s+)?(?:Interpellationer|Protokoll|Motioner|Skrivelser)\s+\d")
            .unwrap()
    });
    HEAD.is_match(title)
}

/// Recognises a heading line. Returns `None` for running text.
pub fn parse_heading(line: &str) -> Option<HeadingLine> {
    let line = line.trim();
    if let Some(c) = MARKDOWN.captures(line) {
        return marked_heading(c[1].len() as u8, &c[2]);
    }
    parse_plain_heading(line)
}

/// A heading the format marks (a Markdown `#` line, an HTML `h1`–`h6`, a DOCX heading style) at
/// the level it gives; its number and label are read from its text ("1. Barn och unga", "Kapitel
/// 2: Förslag"). `None` for an empty heading.
pub fn marked_heading(level: u8, text: &str) -> Option<HeadingLine> {
    let inner = text.trim();
    if inner.is_empty() {
        return None;
    }
    let mut h = parse_plain_heading(inner).unwrap_or(HeadingLine {
        level,
        number: None,
        label: None,
        title: inner.to_string(),
        marked: true,
    });
    h.level = level;
    h.marked = true;
    Some(h)
}

fn parse_plain_heading(line: &str) -> Option<HeadingLine> {
    if let Some(c) = KAPITEL.captures(line) {
        let title = c.get(3).map_or("", |m| m.as_str()).trim().to_string();
        // "Kapitel 6 och 19 är särskilt viktiga …": a sentence that names chapters. A title
        // starts with a capital and is short; it may end in a comma (broken over lines:
        // "Kapitel 7: Hur … internationella,") or a full stop ("… bedömningar m.m.").
        let titled = title.chars().count() <= 120
            && title.split_whitespace().count() <= 16
            && !title.starts_with(char::is_lowercase);
        if is_kapitel(&c[1]) && titled {
            return Some(HeadingLine {
                level: 1,
                number: Some(c[2].to_string()),
                label: Some(format!("{} {}", &c[1], &c[2])),
                title,
                marked: false,
            });
        }
    }
    if let Some(c) = SUBSECTION.captures(line) {
        let level = if &c[1] == "Bilaga" { 1 } else { 2 };
        return Some(HeadingLine {
            level,
            number: Some(format!("{} {}", &c[1], &c[2])),
            label: Some(format!("{} {}", &c[1], &c[2])),
            title: c[3].trim().to_string(),
            marked: false,
        });
    }
    if let Some(c) = NUMBERED.captures(line) {
        let title = c[2].trim();
        // A numbered question is what an interpellation asks the minister ("1. Vad avser
        // statsrådet att göra …?"): text to search, not a chapter to file the rest under.
        if looks_like_title(title)
            && !title.ends_with('?')
            && !is_running_head(title)
            && line.chars().count() <= 100
        {
            let number = c[1].to_string();
            return Some(HeadingLine {
                level: number.split('.').count() as u8,
                number: Some(number),
                label: None,
                title: title.to_string(),
                marked: false,
            });
        }
    }
    None
}

/// The result of [`structure`]: a title taken from a leading `#` heading, and the passages.
#[derive(Debug, Clone, Default)]
pub struct Structure {
    /// The text of a lone leading level-1 Markdown heading, which names the document.
    pub title_heading: Option<String>,
    /// Passages in document order.
    pub passages: Vec<PassageDraft>,
}

/// Passages shorter than this (in characters) are joined to their neighbour in the same chapter.
const MIN_PASSAGE: usize = 60;
/// Paragraphs longer than this are cut at sentence ends into passages of about this size.
const MAX_PASSAGE: usize = 1500;

/// Places headings into a chapter structure and cuts paragraphs into passages that carry their
/// chapter path. The items of one list are read as one paragraph (each after its marker, where
/// the text writes one), and so are the cells of one table row (separated by ` | `).
pub fn structure(blocks: &[Block]) -> Structure {
    structure_as(blocks, true)
}

/// [`structure`], where a lone leading level-1 heading names the document only when
/// `lone_h1_is_title` (a document given its own title keeps such a heading as its chapter).
pub fn structure_as(blocks: &[Block], lone_h1_is_title: bool) -> Structure {
    let mut out = Structure::default();
    let h1s = blocks
        .iter()
        .filter(|b| matches!(b, Block::Heading(h) if h.marked && h.level == 1))
        .count();
    let mut skip_first = false;
    if let Some(Block::Heading(h)) = blocks.first() {
        if lone_h1_is_title && h.marked && h.level == 1 && h1s == 1 {
            out.title_heading = Some(h.title.clone());
            skip_first = true;
        }
    }

    let mut stack: Vec<(u8, Chapter)> = Vec::new();
    // The text of the list or table row being read: its blocks make one paragraph.
    let mut run = String::new();
    let flush_run =
        |run: &mut String, passages: &mut Vec<PassageDraft>, stack: &[(u8, Chapter)]| {
            if !run.is_empty() {
                let chapters: Vec<Chapter> = stack.iter().map(|(_, c)| c.clone()).collect();
                for piece in split_long(run) {
                    push_passage(passages, piece, &chapters, None);
                }
                run.clear();
            }
        };
    let mut in_list = false;
    // A numbered line that the next paragraph goes on from in lower case was a sentence broken
    // over two lines ("1. Vad avser regeringen att göra för att förändra
    // skatteutjämningssystem-" / "et så att …?"), not a heading: its text starts that paragraph.
    let mut broken: Option<String> = None;
    let blocks = &blocks[usize::from(skip_first)..];
    for (i, block) in blocks.iter().enumerate() {
        match block {
            Block::ListItem {
                text,
                marker,
                first,
            } => {
                if *first || !in_list {
                    flush_run(&mut run, &mut out.passages, &stack);
                }
                in_list = true;
                if !run.is_empty() {
                    run.push(' ');
                }
                if let Some(m) = marker {
                    run.push_str(m);
                    run.push(' ');
                }
                run.push_str(text);
                continue;
            }
            Block::TableCell { text, row_start } => {
                if *row_start || in_list {
                    flush_run(&mut run, &mut out.passages, &stack);
                }
                in_list = false;
                if !run.is_empty() {
                    run.push_str(" | ");
                }
                run.push_str(text);
                continue;
            }
            _ => {}
        }
        flush_run(&mut run, &mut out.passages, &stack);
        in_list = false;
        match block {
            Block::ListItem { .. } | Block::TableCell { .. } => {}
            Block::Heading(h)
                if !h.marked
                    && h.label.is_none()
                    && reads_as_a_sentence(&h.title)
                    && goes_on(blocks.get(i + 1)) =>
            {
                broken = Some(match &h.number {
                    Some(n) => format!("{n}. {}", h.title),
                    None => h.title.clone(),
                });
            }
            Block::Heading(h) => {
                while stack.last().is_some_and(|(l, _)| *l >= h.level) {
                    stack.pop();
                }
                stack.push((
                    h.level,
                    Chapter {
                        number: h.number.clone(),
                        title: h.title.clone(),
                    },
                ));
            }
            Block::Paragraph { text, page } => {
                let chapters: Vec<Chapter> = stack.iter().map(|(_, c)| c.clone()).collect();
                let text = match broken.take() {
                    Some(start) => join_broken(&start, text),
                    None => text.clone(),
                };
                for piece in split_long(&text) {
                    push_passage(&mut out.passages, piece, &chapters, *page);
                }
            }
        }
    }
    flush_run(&mut run, &mut out.passages, &stack);
    // A short last passage joins the one before it in the same chapter.
    let n = out.passages.len();
    if n >= 2
        && out.passages[n - 1].text.chars().count() < MIN_PASSAGE
        && out.passages[n - 1].chapters == out.passages[n - 2].chapters
    {
        let last = out.passages.pop().unwrap();
        let prev = out.passages.last_mut().unwrap();
        prev.text.push(' ');
        prev.text.push_str(&last.text);
    }
    out
}

/// Whether a numbered line's text reads as the start of a sentence rather than a heading: it
/// breaks off in a word (a hyphen), or opens as a question to a minister does ("Vad avser …",
/// "Avser statsrådet …", "Är regeringen …"). A heading followed by a paragraph in lower case
/// ("4. Nationell läkemedelslista" / "eHälsomyndigheten ansvarar …") stays a heading.
fn reads_as_a_sentence(title: &str) -> bool {
    const OPENINGS: [&str; 20] = [
        "vad", "vilka", "vilken", "vilket", "hur", "när", "varför", "avser", "avses", "är",
        "kommer", "tänker", "ämnar", "anser", "har", "kan", "vill", "bör", "delar", "finns",
    ];
    let first = title.split_whitespace().next().unwrap_or("").to_lowercase();
    title.trim_end().ends_with('-') || OPENINGS.contains(&first.as_str())
}

/// Whether a block is a paragraph that goes on from the line before it: it starts in lower case
/// or with a number ("2 200 000 lyssnare", "1 september 1999").
fn goes_on(next: Option<&Block>) -> bool {
    matches!(next, Some(Block::Paragraph { text, .. })
        if text.chars().next().is_some_and(|c| c.is_lowercase() || c.is_ascii_digit()))
}

/// A sentence's start and its rest, joined; a word broken at a hyphen is joined whole
/// ("skatteutjämningssystem-" and "et" make "skatteutjämningssystemet"), but not before "och",
/// "eller" and "samt" ("barn- och ungdomspsykiatri").
fn join_broken(start: &str, rest: &str) -> String {
    let start = start.trim_end();
    match start.strip_suffix('-') {
        Some(cut)
            if !["och ", "eller ", "samt "]
                .iter()
                .any(|w| rest.starts_with(w)) =>
        {
            format!("{cut}{rest}")
        }
        _ => format!("{start} {rest}"),
    }
}

fn push_passage(
    passages: &mut Vec<PassageDraft>,
    text: String,
    chapters: &[Chapter],
    page: Option<u32>,
) {
    if let Some(prev) = passages.last_mut() {
        if prev.chapters == chapters && prev.text.chars().count() < MIN_PASSAGE {
            prev.text.push(' ');
            prev.text.push_str(&text);
            return;
        }
    }
    passages.push(PassageDraft {
        text,
        chapters: chapters.to_vec(),
        page,
    });
}

/// Cuts a long paragraph at sentence ends into pieces of about [`MAX_PASSAGE`] characters.
fn split_long(text: &str) -> Vec<String> {
    if text.len() <= MAX_PASSAGE {
        return vec![text.to_string()];
    }
    let mut pieces = Vec::new();
    let mut current = String::new();
    for sentence in sentences(text) {
        if !current.is_empty() && current.len() + sentence.len() > MAX_PASSAGE {
            pieces.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(sentence);
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

/// Splits text into sentences (see [`sokord_core::text::sentence_spans`]), trimmed.
pub fn sentences(text: &str) -> Vec<&str> {
    sokord_core::text::sentence_spans(text)
        .into_iter()
        .map(|r| text[r].trim())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(line: &str) -> Option<(u8, Option<String>, String)> {
        parse_heading(line).map(|h| (h.level, h.number, h.title))
    }

    #[test]
    fn recognises_chapter_headings_including_misspellings() {
        // (line, level, number, title)
        let cases: [(&str, u8, Option<&str>, &str); 10] = [
            (
                "Kapitel 1: Regional utveckling",
                1,
                Some("1"),
                "Regional utveckling",
            ),
            ("Kaptiel 3: Vår Vision", 1, Some("3"), "Vår Vision"),
            ("KAPITEL 12 – Slutord", 1, Some("12"), "Slutord"),
            ("Mål 2: Motståndskraft", 2, Some("Mål 2"), "Motståndskraft"),
            (
                "2.3 Kliniska prövningar",
                2,
                Some("2.3"),
                "Kliniska prövningar",
            ),
            ("4. Slutsatser", 1, Some("4"), "Slutsatser"),
            ("## Frågor", 2, None, "Frågor"),
            (
                "Kapitel 2: Förslag och bedömningar m.m.",
                1,
                Some("2"),
                "Förslag och bedömningar m.m.",
            ),
            (
                "2. Riksdagen och regeringen",
                1,
                Some("2"),
                "Riksdagen och regeringen",
            ),
            ("## 3. Bakgrund", 2, Some("3"), "Bakgrund"),
        ];
        for (line, level, number, title) in cases {
            assert_eq!(
                h(line),
                Some((level, number.map(String::from), title.to_string())),
                "{line}"
            );
        }
    }

    #[test]
    fn running_text_is_not_a_heading() {
        for line in [
            "Kapitalet räcker inte 3 år till.",
            "2025. Men även om Stockholm fortsatt är en av Europas mest välmående huvudstäder har",
            "1. Att regionen tar ansvar för hela kedjan, från forskning till implementering.",
            "1. Vad är statsrådets och regeringens ståndpunkt om EU:s framtida utveckling?",
            "2. Vad avser ministern att göra?",
            "Kapitel",
            "Vi anser att kapitel 3 bör skrivas om.",
            // Seen in the interpellations: a sentence naming chapters, a list's items, a
            // question broken over two lines, a printed volume's running heads.
            "Kapitel 6 och 19 är särskilt viktiga att beakta när det gäller barn som har utsatts för våld.",
            "12. Upprätthålla, bevara och försvara äktenskapet som institution;",
            "2. Vilka åtgärder avser statsrådet att vidta för att ge branschen besked!",
            "15 Riksdagen Interpellationer 1996/97:1-261",
            "10 Riksdagen Interpellationer 1994195:1",
            "8 Interpellationer 1996/971-372",
        ] {
            assert_eq!(h(line), None, "{line}");
        }
    }

    #[test]
    fn structure_assigns_paths_and_treats_a_lone_h1_as_title() {
        let para = |t: &str| Block::Paragraph {
            text: t.to_string(),
            page: None,
        };
        let blocks = vec![
            Block::Heading(parse_heading("# Dokumentets titel").unwrap()),
            para("Inledande stycke som inte hör till något kapitel alls, utan står först."),
            Block::Heading(parse_heading("Kapitel 4: Mål för utvecklingen").unwrap()),
            Block::Heading(parse_heading("Mål 2: Motståndskraftiga system").unwrap()),
            para("Läkemedelsförsörjning är en samhällsviktig verksamhet och en förutsättning."),
            Block::Heading(parse_heading("Kapitel 5: Nästa").unwrap()),
            para("Ett stycke i kapitel fem som är tillräckligt långt för att stå för sig självt."),
        ];
        let s = structure(&blocks);
        assert_eq!(s.title_heading.as_deref(), Some("Dokumentets titel"));
        assert_eq!(s.passages.len(), 3);
        assert!(s.passages[0].chapters.is_empty());
        let numbers: Vec<_> = s.passages[1]
            .chapters
            .iter()
            .map(|c| c.number.clone().unwrap())
            .collect();
        assert_eq!(numbers, ["4", "Mål 2"]);
        assert_eq!(s.passages[2].chapters.len(), 1);
        assert_eq!(s.passages[2].chapters[0].number.as_deref(), Some("5"));
    }

    /// Numbered lines of the interpellations that the next paragraph goes on from: a question
    /// broken over two lines, a question with lettered parts. They are text; a numbered line
    /// before a paragraph that starts a sentence is a heading.
    #[test]
    fn a_numbered_line_that_goes_on_is_text() {
        let para = |t: &str| Block::Paragraph {
            text: t.to_string(),
            page: None,
        };
        let heading = |t: &str| Block::Heading(parse_heading(t).unwrap());
        let blocks = vec![
            heading("1. Bakgrund"),
            para("Regeringen har tidigare aviserat en översyn av hela systemet för utjämning."),
            heading("1. Vad avser regeringen att göra för att förändra skatteutjämningssystem-"),
            para("et så att mer hänsyn tas till glesbygdslänens problematik?"),
            heading("2. Avser statsrådet"),
            para("a. att följa den ambition som den tidigare ministern uttryckte?"),
            heading("3. Är statsrådet beredd att ta intryck av att lokalradion har"),
            para("2 200 000 lyssnare?"),
            heading("4. Nationell läkemedelslista"),
            para("eHälsomyndigheten ansvarar för den nationella läkemedelslistan sedan 2021."),
        ];
        let s = structure(&blocks);
        let texts: Vec<&str> = s.passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Regeringen har tidigare aviserat en översyn av hela systemet för utjämning.",
                "1. Vad avser regeringen att göra för att förändra skatteutjämningssystemet så att \
                 mer hänsyn tas till glesbygdslänens problematik?",
                "2. Avser statsrådet a. att följa den ambition som den tidigare ministern uttryckte?",
                "3. Är statsrådet beredd att ta intryck av att lokalradion har 2 200 000 lyssnare?",
                "eHälsomyndigheten ansvarar för den nationella läkemedelslistan sedan 2021.",
            ]
        );
        let chapters: Vec<&str> = s
            .passages
            .iter()
            .map(|p| p.chapters[0].title.as_str())
            .collect();
        assert_eq!(
            chapters,
            [
                "Bakgrund",
                "Bakgrund",
                "Bakgrund",
                "Bakgrund",
                "Nationell läkemedelslista"
            ]
        );
        assert_eq!(
            join_broken("barn-", "och ungdomspsykiatrin"),
            "barn- och ungdomspsykiatrin"
        );
    }

    #[test]
    fn a_list_and_a_table_row_are_read_as_paragraphs() {
        let item = |t: &str, first: bool| Block::ListItem {
            text: t.to_string(),
            marker: Some("-".into()),
            first,
        };
        let cell = |t: &str, row_start: bool| Block::TableCell {
            text: t.to_string(),
            row_start,
        };
        let blocks = vec![
            Block::Heading(marked_heading(2, "1. Åtgärder").unwrap()),
            item(
                "fler vårdplatser inom psykiatrin för barn och unga i hela landet",
                true,
            ),
            item(
                "kortare väntetider till första bedömningen hos specialist",
                false,
            ),
            item(
                "en ny lista som börjar här och som är lång nog att stå för sig själv",
                true,
            ),
            cell(
                "Region Norrbotten med sina vårdcentraler i glesbygden",
                true,
            ),
            cell("12 vårdcentraler", false),
            cell(
                "Region Stockholm med sina akutsjukhus och närakuter i staden",
                true,
            ),
            cell("40", false),
        ];
        let s = structure(&blocks);
        let texts: Vec<&str> = s.passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "- fler vårdplatser inom psykiatrin för barn och unga i hela landet - kortare väntetider till första bedömningen hos specialist",
                "- en ny lista som börjar här och som är lång nog att stå för sig själv",
                "Region Norrbotten med sina vårdcentraler i glesbygden | 12 vårdcentraler",
                "Region Stockholm med sina akutsjukhus och närakuter i staden | 40",
            ]
        );
        assert!(s
            .passages
            .iter()
            .all(|p| p.chapters.len() == 1 && p.chapters[0].number.as_deref() == Some("1")));
    }

    #[test]
    fn long_paragraphs_are_cut_at_sentence_ends() {
        let sentence = "Det här är en mening om läkemedel som upprepas för att bli lång nog. ";
        let text = sentence.repeat(60);
        let pieces = split_long(text.trim());
        assert!(pieces.len() >= 3);
        assert!(pieces
            .iter()
            .all(|p| p.len() <= MAX_PASSAGE && p.ends_with("nog.")));
        assert_eq!(pieces.join(" "), text.trim());
    }
}
