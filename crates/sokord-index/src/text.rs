//! Text normalisation and the repair of text pulled out of PDFs.
//!
//! Two steps, both pure functions over `&str`:
//!
//! - [`normalize`](sokord_analysis::normalize) (in the analyzer crate): Unicode NFC, soft hyphens removed, no-break and other odd spaces made plain,
//!   typographic ligatures (ﬁ, ﬂ, …) spelt out, line endings unified. å, ä and ö are never folded.
//! - [`reflow`]: turns visual lines back into blocks (paragraphs and headings): joins hard-wrapped
//!   lines, undoes end-of-line hyphenation while keeping real Swedish hyphens ("hälso- och
//!   sjukvård", "life science-strategi"), and drops letterheads, repeated running headers/footers
//!   and page numbers.

use std::collections::HashMap;

use crate::blocks::{Block, HeadingLine};
use crate::chapters::parse_heading;

/// How the lines of a text should be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Blank lines separate paragraphs; lines inside a paragraph are joined (Markdown, plain text).
    Prose,
    /// Lines came out of a PDF: decide paragraph ends from the lines' shapes as well.
    Extracted,
    /// Markdown: as [`Layout::Prose`], and lines that start with a list marker (`-`, `*`, `+`,
    /// `1.`, `1)`) at the start of a paragraph or after another item are list items, lines of
    /// `|`-separated cells are table rows (their `|---|` line left out). As in the original
    /// Markdown, a list or table needs a blank line (or a heading) before it: a marker inside a
    /// paragraph goes on with it.
    Markdown,
}

/// One visual line with what its shape tells.
#[derive(Debug)]
struct Line<'a> {
    text: &'a str,
    /// Two or more spaces at the end: PDF extractors leave these at paragraph ends.
    wide_end: bool,
    page: u32,
}

/// Markdown text without the inline HTML it may carry (tags, comments, Word's conditional
/// comments such as `<![if !supportLists]>`), keeping the text between the tags; a break or a
/// block tag becomes a space. A `<` that opens no tag (`a < b`) stays.
pub fn strip_markup(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('<') {
        return std::borrow::Cow::Borrowed(text);
    }
    const BLOCK: &[&str] = &[
        "br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4",
        "h5", "h6", "hr",
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        // A comment, to its end (or the text's).
        if let Some(inner) = tail.strip_prefix("<!--") {
            rest = inner.find("-->").map_or("", |e| &inner[e + 3..]);
            continue;
        }
        // A tag: `<name …>`, `</name>`, `<!…>` or `<![…]>` on one line.
        let end = tail
            .find(['>', '\n'])
            .filter(|&e| tail.as_bytes()[e] == b'>');
        let name: String = tail[1..]
            .trim_start_matches(['/', '!'])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let opens_tag = tail[1..]
            .starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!')
            && (tail.starts_with("<!") || !name.is_empty());
        match end {
            Some(e) if opens_tag => {
                if BLOCK.contains(&name.to_ascii_lowercase().as_str()) {
                    out.push(' ');
                }
                rest = &tail[e + 1..];
            }
            _ => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Guesses whether plain text was pulled out of a PDF (hard-wrapped lines, often with a blank line
/// after every line, trailing spaces and page remnants).
pub fn guess_layout(text: &str) -> Layout {
    let lines: Vec<&str> = text.lines().collect();
    let nonblank: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !l.trim().is_empty())
        .collect();
    if nonblank.len() < 8 {
        return Layout::Prose;
    }
    let long = nonblank.iter().filter(|l| l.chars().count() > 200).count();
    if long * 5 > nonblank.len() {
        return Layout::Prose; // one paragraph per line
    }
    // Hard-wrapped lines end mid-sentence: no terminal punctuation.
    let open = nonblank
        .iter()
        .filter(|l| !ends_sentence(l.trim_end()) && !l.trim_start().starts_with('#'))
        .count();
    if open * 2 > nonblank.len() {
        Layout::Extracted
    } else {
        Layout::Prose
    }
}

fn ends_sentence(s: &str) -> bool {
    matches!(
        s.chars().last(),
        Some('.' | '!' | '?' | ':' | ';' | '"' | '”' | '»' | ')')
    )
}

fn starts_lower(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_lowercase())
}

/// Lines that are contact details of a letterhead or a footer.
fn is_contact_line(s: &str) -> bool {
    let l = s.to_lowercase();
    [
        "postadress",
        "besöksadress",
        "tel:",
        "tel.",
        "telefon:",
        "e-post:",
        "e mail:",
        "e-mail:",
        "org.nr",
        "organisationsnummer",
        "www.",
        "box ",
    ]
    .iter()
    .any(|k| l.starts_with(k) || l.contains(&format!("| {k}")))
        || (l.contains('|') && (l.contains('@') || l.contains("www.")))
}

/// Page-number remnants: "3", "- 3 -", "Sida 3 av 12", "3 (12)", "Page 3 of 12".
fn is_page_number(s: &str) -> bool {
    let t = s.trim().trim_matches(|c| c == '-' || c == '–' || c == ' ');
    let l = t.to_lowercase();
    let l = l
        .strip_prefix("sida")
        .or_else(|| l.strip_prefix("page"))
        .or_else(|| l.strip_prefix("s."))
        .unwrap_or(&l)
        .trim();
    if l.is_empty() || l.len() > 14 {
        return false;
    }
    let mut parts = l.split([' ', '/', '(', ')']);
    let first = parts.next().unwrap_or("");
    if first.is_empty() || first.len() > 3 || !first.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    parts.all(|p| {
        p.is_empty()
            || p == "av"
            || p == "of"
            || (p.len() <= 3 && p.chars().all(|c| c.is_ascii_digit()))
    })
}

/// Reflows normalised text into blocks. `pages`, when given, are the texts of a paged document's
/// pages in order; otherwise form feeds (U+000C) separate pages.
pub fn reflow(text: &str, layout: Layout) -> Vec<Block> {
    // Visual lines, with their page.
    let mut raw: Vec<Line> = Vec::new();
    for (p, page_text) in text.split('\u{000C}').enumerate() {
        for l in page_text.split('\n') {
            let trimmed_end = l.trim_end();
            let wide_end = l.len() - trimmed_end.len() >= 2 && !trimmed_end.is_empty();
            raw.push(Line {
                text: trimmed_end.trim_start(),
                wide_end,
                page: p as u32 + 1,
            });
        }
        raw.push(Line {
            text: "",
            wide_end: false,
            page: p as u32 + 1,
        });
    }
    let paged = text.contains('\u{000C}');

    // Running headers and footers stand at the top or bottom of many pages; page numbers stand
    // alone. (Text without page breaks may repeat whole sentences on purpose: it keeps them.)
    let edge = page_edges(&raw);
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (l, _) in raw.iter().zip(&edge).filter(|(_, e)| **e) {
        *counts.entry(l.text).or_default() += 1;
    }
    let pages = raw.last().map_or(1, |l| l.page) as usize;
    let repeat_limit = (pages / 2).max(3);
    let letterhead_end = letterhead_end(&raw);
    let mut lines: Vec<Line> = Vec::with_capacity(raw.len());
    for (i, l) in raw.into_iter().enumerate() {
        let running = paged && edge[i] && counts.get(l.text).copied().unwrap_or(0) >= repeat_limit;
        let drop = i < letterhead_end
            || (!l.text.is_empty()
                && layout == Layout::Extracted
                && (is_page_number(l.text) || running));
        if !drop {
            lines.push(l);
        }
    }

    // In extracted text every visual line is often followed by a blank line: then a single blank
    // line says nothing, and only a run of two or more separates paragraphs.
    let nonblank = lines.iter().filter(|l| !l.text.is_empty()).count();
    let followed_by_blank = lines
        .windows(2)
        .filter(|w| !w[0].text.is_empty() && w[1].text.is_empty())
        .count();
    let double_spaced = layout == Layout::Extracted && followed_by_blank * 10 > nonblank * 7;
    let width = typical_width(&lines);

    // Only needed when a line ends in a hyphen: counted then, once.
    let hyphen_evidence = std::cell::LazyCell::new(|| HyphenEvidence::new(text));
    let mut blocks = Vec::new();
    let mut para = String::new();
    let mut para_page = None;
    let mut heading: Option<(HeadingLine, bool)> = None; // (heading, may continue)
    let mut blank_run = 0usize;

    // Markdown: the list item being read (`para` starts with its marker: the marker's length,
    // and whether the item opens its list), and whether a list or a table is going on.
    let markdown = layout == Layout::Markdown;
    let mut item: Option<(usize, bool)> = None;
    let mut in_list = false;
    let mut in_table = false;

    let flush = |para: &mut String,
                 page: &mut Option<u32>,
                 item: &mut Option<(usize, bool)>,
                 blocks: &mut Vec<Block>| {
        let t = para.trim();
        match item.take() {
            Some((marker, first)) if t.len() > marker => blocks.push(Block::ListItem {
                text: t[marker..].trim_start().to_string(),
                marker: Some(t[..marker].to_string()),
                first,
            }),
            _ if !t.is_empty() => blocks.push(Block::Paragraph {
                text: t.to_string(),
                page: if paged { *page } else { None },
            }),
            _ => {}
        }
        para.clear();
        *page = None;
    };

    let mut prev_wide_end = false;
    let mut prev_len = 0usize;
    for line in &lines {
        if line.text.is_empty() {
            blank_run += 1;
            if !double_spaced || blank_run >= 2 {
                flush(&mut para, &mut para_page, &mut item, &mut blocks);
                in_list = false;
                in_table = false;
                if let Some((h, _)) = heading.take() {
                    blocks.push(Block::Heading(h));
                }
            }
            continue;
        }
        blank_run = 0;
        let len = line.text.chars().count();

        // A wrapped heading goes on with a short line that ends no sentence.
        if let Some((h, true)) = &mut heading {
            if len * 100 < width * 85
                && !ends_sentence(line.text)
                && parse_heading(line.text).is_none()
            {
                h.title.push(' ');
                h.title.push_str(line.text);
                heading = Some((h.clone(), false));
                continue;
            }
        }
        if let Some((h, _)) = heading.take() {
            blocks.push(Block::Heading(h));
        }

        if let Some(h) = parse_heading(line.text) {
            let shaped_like_heading = layout != Layout::Extracted
                || h.marked
                || h.label.is_some()
                || (len * 10 < width * 9 && !ends_sentence(line.text));
            if shaped_like_heading && (para.is_empty() || paragraph_may_end(&para)) {
                flush(&mut para, &mut para_page, &mut item, &mut blocks);
                in_list = false;
                in_table = false;
                let wrapped = layout == Layout::Extracted && len * 10 >= width * 7;
                heading = Some((h, wrapped));
                prev_wide_end = false;
                prev_len = len;
                continue;
            }
        }

        if layout == Layout::Extracted && !para.is_empty() {
            // A paragraph ends at a sentence end that is followed by wide space or that leaves
            // the line short; a line far shorter than the rest was not wrapped at all.
            let prev_ends = ends_sentence(para.trim_end());
            let ended = prev_ends && (prev_wide_end || prev_len * 10 < width * 8)
                || prev_len * 10 < width * 6 && !para.ends_with('-');
            if ended && !starts_lower(line.text) {
                flush(&mut para, &mut para_page, &mut item, &mut blocks);
            }
        }

        if markdown && (para.is_empty() || item.is_some()) {
            if in_table || para.is_empty() {
                if let Some(cells) = table_row(line.text) {
                    in_table = true;
                    // The line under the header row only draws the table.
                    if !cells.iter().all(|c| is_table_rule(c)) {
                        let mut row_start = true;
                        for cell in cells.into_iter().filter(|c| !c.is_empty()) {
                            blocks.push(Block::TableCell {
                                text: cell.to_string(),
                                row_start: std::mem::take(&mut row_start),
                            });
                        }
                    }
                    continue;
                }
            }
            in_table = false;
            if let Some(marker) = list_marker(line.text) {
                flush(&mut para, &mut para_page, &mut item, &mut blocks);
                item = Some((marker, !in_list));
                in_list = true;
            }
        }

        if para.is_empty() {
            para_page = Some(line.page);
            para.push_str(line.text);
        } else {
            join_line(&mut para, line.text, &hyphen_evidence);
        }
        prev_wide_end = line.wide_end;
        prev_len = len;
    }
    flush(&mut para, &mut para_page, &mut item, &mut blocks);
    if let Some((h, _)) = heading.take() {
        blocks.push(Block::Heading(h));
    }
    blocks
}

/// The length of a Markdown list item's marker (`-`, `*`, `+`, `1.`, `1)`) that starts a line and
/// is followed by a space; `None` for other lines and for rules (`* * *`).
fn list_marker(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let len = if matches!(b.first(), Some(b'-' | b'*' | b'+')) {
        1
    } else if (1..=9).contains(&digits) && matches!(b.get(digits), Some(b'.' | b')')) {
        digits + 1
    } else {
        return None;
    };
    let rest = &line[len..];
    let rule = len == 1 && rest.bytes().all(|c| c == b' ' || c == b[0]);
    (rest.starts_with(' ') && !rest.trim().is_empty() && !rule).then_some(len)
}

/// The cells of a Markdown table row (`| a | b |`, the outer bars optional but the first one),
/// trimmed; `None` for other lines.
fn table_row(line: &str) -> Option<Vec<&str>> {
    let inner = line.strip_prefix('|')?;
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    line[1..]
        .contains('|')
        .then(|| inner.split('|').map(str::trim).collect())
}

/// A cell of the line under a table's header row: `---`, `:--`, `:-:`.
fn is_table_rule(cell: &str) -> bool {
    let c = cell.trim_start_matches(':').trim_end_matches(':');
    !c.is_empty() && c.bytes().all(|b| b == b'-')
}

fn paragraph_may_end(para: &str) -> bool {
    ends_sentence(para.trim_end()) || para.chars().count() < 120
}

/// Whether each line is among the first two or last two non-blank lines of its page.
fn page_edges(lines: &[Line]) -> Vec<bool> {
    let mut edge = vec![false; lines.len()];
    let mut start = 0;
    while start < lines.len() {
        let page = lines[start].page;
        let end = lines[start..]
            .iter()
            .position(|l| l.page != page)
            .map_or(lines.len(), |n| start + n);
        let nonblank: Vec<usize> = (start..end)
            .filter(|&i| !lines[i].text.is_empty())
            .collect();
        for &i in nonblank.iter().take(2).chain(nonblank.iter().rev().take(2)) {
            edge[i] = true;
        }
        start = end;
    }
    edge
}

/// The usual length of a full line: the 80th percentile of line lengths.
fn typical_width(lines: &[Line]) -> usize {
    let mut lens: Vec<usize> = lines
        .iter()
        .filter(|l| !l.text.is_empty())
        .map(|l| l.text.chars().count())
        .collect();
    if lens.is_empty() {
        return 80;
    }
    lens.sort_unstable();
    lens[(lens.len() * 8 / 10).min(lens.len() - 1)].max(20)
}

/// The index of the first line after a letterhead: the lines at the top of the first page up to
/// its last contact-details line (address, telephone, e-mail, web).
fn letterhead_end(lines: &[Line]) -> usize {
    let mut seen = 0;
    let mut end = 0;
    for (i, l) in lines.iter().enumerate() {
        if l.text.is_empty() {
            continue;
        }
        seen += 1;
        if seen > 8 {
            break;
        }
        if is_contact_line(l.text) {
            end = i + 1;
        }
    }
    end
}

/// Counts in the whole text that tell a line-end hyphen of typesetting ("utveck-" + "ling") from a
/// real one ("life science-" + "området", "klimat-" + "och").
struct HyphenEvidence {
    words: HashMap<String, u32>,
    /// Lower-cased parts that stand before a hyphen inside a word somewhere ("science" of
    /// "science-strategi").
    hyphen_lefts: std::collections::HashSet<String>,
}

impl HyphenEvidence {
    fn new(text: &str) -> HyphenEvidence {
        let mut words: HashMap<String, u32> = HashMap::new();
        let mut hyphen_lefts = std::collections::HashSet::new();
        for line in text.lines() {
            let line = line.trim_end();
            let body = line.strip_suffix('-').unwrap_or(line);
            for w in body.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
                if !w.is_empty() {
                    let w = w.to_lowercase();
                    for (i, _) in w.match_indices('-').filter(|(i, _)| *i + 1 < w.len()) {
                        hyphen_lefts.insert(w[..i].rsplit('-').next().unwrap_or("").to_string());
                    }
                    *words.entry(w).or_default() += 1;
                }
            }
        }
        HyphenEvidence {
            words,
            hyphen_lefts,
        }
    }

    fn count(&self, w: &str) -> u32 {
        self.words.get(&w.to_lowercase()).copied().unwrap_or(0)
    }
}

/// Words after which a hanging hyphen is a Swedish shared-part hyphen ("hälso- och sjukvård").
const COORDINATORS: &[&str] = &[
    "och",
    "eller",
    "samt",
    "respektive",
    "resp",
    "som",
    "till",
    "men",
    "&",
];

fn join_line(para: &mut String, next: &str, ev: &impl std::ops::Deref<Target = HyphenEvidence>) {
    let trimmed = para.trim_end().len();
    para.truncate(trimmed);
    if !para.ends_with('-') || para.ends_with(" -") || para.ends_with("--") {
        para.push(' ');
        para.push_str(next);
        return;
    }
    // The word fragment before the hyphen and the first word of the next line.
    let before = &para[..para.len() - 1];
    let left = before
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '-'))
        .next()
        .unwrap_or("");
    let right_word: String = next
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '-')
        .collect();
    if left.is_empty() || !before.ends_with(|c: char| c.is_alphanumeric()) {
        // "(RWE)-" + "generering": the hyphen binds a word to what is not a word fragment.
        para.push_str(next);
        return;
    }
    let next_first = next.split_whitespace().next().unwrap_or("");
    let keep_space =
        COORDINATORS.contains(&next_first.trim_end_matches(',').to_lowercase().as_str());
    if keep_space {
        para.push(' ');
        para.push_str(next);
        return;
    }
    let joined = format!("{left}{right_word}");
    let hyphened = format!("{left}-{right_word}");
    let left_is_word_then_space = before.len() > left.len()
        && before[..before.len() - left.len()].ends_with(' ')
        && left.chars().all(|c| c.is_alphabetic());
    let keep_hyphen = if ev.count(&hyphened) > 0 {
        true
    } else if ev.count(&joined) > 0 {
        false
    } else {
        // Acronyms and digits keep their hyphen (EU-, RWE-, 2025-); so do capitalised right parts.
        !starts_lower(next)
            || left
                .chars()
                .last()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            || (left_is_word_then_space && ev.hyphen_lefts.contains(&left.to_lowercase()))
    };
    if !keep_hyphen {
        para.pop();
    }
    para.push_str(next);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_stripped_and_text_kept() {
        assert_eq!(
            strip_markup("<![if !supportLists]>1.<![endif]> Om <span style=\"x\">vård</span><br>och omsorg <!-- dold\nkommentar --> nu"),
            "1. Om vård och omsorg  nu"
        );
        assert_eq!(
            strip_markup("a < b och c > d, <5 år"),
            "a < b och c > d, <5 år"
        );
        assert_eq!(strip_markup("öppen <!-- utan slut"), "öppen ");
        assert_eq!(strip_markup("<"), "<");
    }

    fn paragraphs(blocks: &[Block]) -> Vec<&str> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn page_numbers_are_recognised() {
        for s in [
            "3",
            "- 3 -",
            "Sida 3 av 12",
            "3 (12)",
            "Page 3 of 12",
            "12/14",
        ] {
            assert!(is_page_number(s), "{s}");
        }
        for s in [
            "2025-10-14",
            "Mål 2",
            "3 000 kronor",
            "1. Inledning",
            "SE 118 92",
        ] {
            assert!(!is_page_number(s), "{s}");
        }
    }

    #[test]
    fn hyphenation_is_undone_but_real_hyphens_stay() {
        let text = "Vi vill se en utveck-\nling av vården. Klimat-\noch kemikalieomställning\n\
                    kräver life science-\nområdet och EU-\nlagstiftning. En life science-strategi finns.\n";
        let blocks = reflow(text, Layout::Extracted);
        let all = paragraphs(&blocks).join(" ");
        assert!(all.contains("utveckling av vården"), "{all}");
        assert!(all.contains("Klimat- och kemikalieomställning"), "{all}");
        assert!(all.contains("life science-området"), "{all}");
        assert!(all.contains("EU-lagstiftning"), "{all}");
    }

    #[test]
    fn prose_paragraphs_split_on_blank_lines() {
        let text = "# Rubrik\n\nFörsta stycket\nfortsätter här.\n\nAndra stycket.\n";
        let blocks = reflow(text, Layout::Prose);
        assert!(matches!(&blocks[0], Block::Heading(h) if h.title == "Rubrik"));
        assert_eq!(
            paragraphs(&blocks),
            ["Första stycket fortsätter här.", "Andra stycket."]
        );
    }

    #[test]
    fn markdown_gives_list_items_and_table_cells() {
        let text = "# Plan\n\nInledning:\n- inom stycket\n\n- Första punkten\nfortsätter\n* Andra\n\n\
                    1. Vilka åtgärder avser statsrådet vidta?\n2) Andra frågan, som är lång nog att inte vara en rubrik \
                    utan löptext i en numrerad lista med många ord i sig.\n\n3. Bakgrund\n\n\
                    | Region | Antal |\n|:---|--:|\n| Norrbotten | 12 |\n\n* * *\n";
        let blocks = reflow(text, Layout::Markdown);
        let shown: Vec<String> = blocks
            .iter()
            .map(|b| match b {
                Block::Heading(h) => format!("h{} {:?} {}", h.level, h.number, h.title),
                Block::Paragraph { text, .. } => format!("p {text}"),
                Block::ListItem {
                    text,
                    marker,
                    first,
                } => format!("li {} {first} {text}", marker.as_deref().unwrap_or("")),
                Block::TableCell { text, row_start } => format!("td {row_start} {text}"),
            })
            .collect();
        assert_eq!(
            shown,
            [
                "h1 None Plan",
                "p Inledning: - inom stycket",
                "li - true Första punkten fortsätter",
                "li * false Andra",
                // A numbered question is a list item like the next (not a heading: what an
                // interpellation asks is text).
                "li 1. true Vilka åtgärder avser statsrådet vidta?",
                "li 2) false Andra frågan, som är lång nog att inte vara en rubrik utan löptext i en numrerad lista med många ord i sig.",
                // A numbered line shaped like a heading stays one, as it was before lists.
                "h1 Some(\"3\") Bakgrund",
                "td true Region",
                "td false Antal",
                "td true Norrbotten",
                "td false 12",
                "p * * *",
            ]
        );
        // Prose (plain text) knows no lists.
        assert!(reflow(text, Layout::Prose)
            .iter()
            .all(|b| matches!(b, Block::Heading(_) | Block::Paragraph { .. })));
    }

    #[test]
    fn running_headers_and_page_numbers_are_dropped_from_pdf_pages() {
        let page = |n: u32| {
            format!(
                "Region Exempel – Remissvar\nDet här är sidan {n}, en lång rad med vanlig löptext som fortsätter\n\
                 på nästa rad och slutar här på sidan {n}.\n{n}\n"
            )
        };
        let text = [page(1), page(2), page(3), page(4)].join("\u{000C}");
        let blocks = reflow(&text, Layout::Extracted);
        let paras = paragraphs(&blocks);
        assert_eq!(paras.len(), 4, "{paras:#?}");
        assert!(
            paras.iter().all(|p| !p.contains("Region Exempel")),
            "{paras:#?}"
        );
        assert!(paras[3].ends_with("sidan 4."), "{paras:#?}");
        assert!(matches!(blocks[1], Block::Paragraph { page: Some(2), .. }));
    }
}
