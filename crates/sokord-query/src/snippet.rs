//! Snippets: the sentences of a passage around its matches, with the matched words' byte
//! ranges. A compound matched through one of its parts is highlighted whole, because its parts
//! are indexed with the compound's offsets.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use sokord_core::text::sentence_spans;

use crate::compile::TextUnit;
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;

/// Finds a query's matches in passages' text: its words' terms in a field that some passage
/// holds, found by that field's analyzer (as tantivy's `SnippetGenerator` does), and its
/// phrases where their words stand in a row (a phrase's stop words in the exact-form field, its
/// other words in the passage text's). One analyzer per field is kept for all the passages of
/// a search: `SnippetGenerator` clones its analyzer for every passage, and a clone of the
/// Swedish analysis starts with an empty cache of its own.
pub(crate) struct Highlighter {
    fields: Vec<FieldMatches>,
    /// Phrases: each word's offset from the first, its field (an index into `fields`) and its
    /// term's text.
    phrases: Vec<Vec<(usize, usize, String)>>,
}

/// What a [`Highlighter`] looks for in one field.
struct FieldMatches {
    analyzer: TextAnalyzer,
    /// Words, each where it stands.
    words: HashSet<String>,
    /// Whether a phrase has words in this field.
    in_phrases: bool,
}

/// One token of a passage: position, lower-cased text, byte range.
type Placed = (usize, String, Range<usize>);

impl Highlighter {
    /// The highlighter of a query's words and phrases (as [`TextUnit`]s) in `fields`.
    pub(crate) fn new(
        searcher: &tantivy::Searcher,
        units: &[TextUnit],
        fields: &[Field],
    ) -> tantivy::Result<Highlighter> {
        let mut out = Vec::new();
        let mut phrases = Vec::new();
        if units.is_empty() {
            return Ok(Highlighter {
                fields: out,
                phrases,
            });
        }
        let place = |field: Field| fields.iter().position(|&f| f == field);
        for unit in units {
            if let TextUnit::Phrase { terms } = unit {
                let placed: Option<Vec<(usize, usize, String)>> = terms
                    .iter()
                    .map(|(o, t)| Some((*o, place(t.field())?, t.value().as_str()?.to_string())))
                    .collect();
                phrases.extend(placed);
            }
        }
        for (i, &field) in fields.iter().enumerate() {
            let mut words = HashSet::new();
            for unit in units {
                if let TextUnit::Words { field: f, terms } = unit {
                    if *f != field {
                        continue;
                    }
                    for term in terms {
                        if let Some(text) = term.value().as_str() {
                            if !words.contains(text) && searcher.doc_freq(term)? > 0 {
                                words.insert(text.to_string());
                            }
                        }
                    }
                }
            }
            let analyzer = searcher.index().tokenizer_for_field(field)?;
            out.push(FieldMatches {
                analyzer,
                words,
                in_phrases: phrases.iter().flatten().any(|(_, f, _)| *f == i),
            });
        }
        Ok(Highlighter {
            fields: out,
            phrases,
        })
    }

    /// The byte ranges of every match in a passage, in order; of overlapping ones, the first
    /// (the longest of those starting at one place) is kept.
    pub(crate) fn highlights(&mut self, text: &str) -> Vec<Range<usize>> {
        let mut marks: Vec<Range<usize>> = Vec::new();
        // With phrases: every token of the fields they use, to find them in a row.
        let mut tokens: Vec<Vec<Placed>> = Vec::with_capacity(self.fields.len());
        for m in &mut self.fields {
            let mut placed = Vec::new();
            if m.words.is_empty() && !m.in_phrases {
                tokens.push(placed);
                continue;
            }
            let mut stream = m.analyzer.token_stream(text);
            while let Some(token) = stream.next() {
                let lower;
                let word = if token.text.chars().any(char::is_uppercase) {
                    lower = token.text.to_lowercase();
                    &lower
                } else {
                    &token.text
                };
                if m.words.contains(word) {
                    marks.push(token.offset_from..token.offset_to);
                }
                if m.in_phrases {
                    placed.push((
                        token.position,
                        word.to_string(),
                        token.offset_from..token.offset_to,
                    ));
                }
            }
            tokens.push(placed);
        }
        if !self.phrases.is_empty() {
            let mut at: Vec<HashMap<usize, Vec<usize>>> = Vec::with_capacity(tokens.len());
            for placed in &tokens {
                let mut by_position: HashMap<usize, Vec<usize>> = HashMap::new();
                for (i, t) in placed.iter().enumerate() {
                    by_position.entry(t.0).or_default().push(i);
                }
                at.push(by_position);
            }
            let find = |field: usize, position: usize, word: &str| {
                at[field]
                    .get(&position)?
                    .iter()
                    .map(|&i| &tokens[field][i])
                    .find(|t| t.1 == word)
            };
            for phrase in &self.phrases {
                let Some(((_, field, first), rest)) = phrase.split_first() else {
                    continue;
                };
                for start in tokens[*field].iter().filter(|t| &t.1 == first) {
                    let mut end = start.2.end;
                    let whole = rest
                        .iter()
                        .all(|(off, f, w)| match find(*f, start.0 + off, w) {
                            Some(t) => {
                                end = end.max(t.2.end);
                                true
                            }
                            None => false,
                        });
                    if whole {
                        marks.push(start.2.start..end);
                    }
                }
            }
        }
        marks.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        marks.dedup_by(|b, a| b.start < a.end);
        marks
    }
}

/// The start of a passage, cut at a word boundary, for hits with no match in the passage text
/// (a filter-only search, or a match in the title).
pub(crate) fn leading_text(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(max_chars).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

fn chars(text: &str, r: &Range<usize>) -> usize {
    text[r.clone()].chars().count()
}

/// Cuts `text` to at most about `max_chars` characters around its highlights, at sentence ends
/// where it can and at word boundaries where one sentence is too long, marking cuts with `…`.
/// Returns the snippet and the highlights' byte ranges within it.
pub fn sentence_snippet(
    text: &str,
    highlights: &[Range<usize>],
    max_chars: usize,
) -> (String, Vec<[usize; 2]>) {
    let mut spans = sentence_spans(text);
    if spans.is_empty() {
        return (String::new(), Vec::new());
    }
    // A match across a sentence's end (the phrase *vård och* in "… vårdgarantin. Och …") joins
    // the sentences it spans, so that it is shown whole.
    for h in highlights {
        while let Some(i) = spans
            .iter()
            .position(|s| h.start >= s.start && h.start < s.end && h.end > s.end)
        {
            if i + 1 >= spans.len() {
                break;
            }
            spans[i].end = spans[i + 1].end;
            spans.remove(i + 1);
        }
    }
    // The sentence with the most matches, the first of equals.
    let count = |s: &Range<usize>| {
        highlights
            .iter()
            .filter(|h| h.start >= s.start && h.end <= s.end)
            .count()
    };
    let best = (0..spans.len())
        .max_by_key(|&i| (count(&spans[i]), usize::MAX - i))
        .unwrap_or(0);
    let (mut first, mut last) = (best, best);
    let mut len = chars(text, &spans[best]);
    // Grow by whole sentences, forwards first, while there is room.
    loop {
        let grew_after =
            last + 1 < spans.len() && len + 1 + chars(text, &spans[last + 1]) <= max_chars;
        if grew_after {
            last += 1;
            len += 1 + chars(text, &spans[last]);
            continue;
        }
        let grew_before = first > 0 && len + 1 + chars(text, &spans[first - 1]) <= max_chars;
        if grew_before {
            first -= 1;
            len += 1 + chars(text, &spans[first]);
            continue;
        }
        break;
    }
    let mut window = spans[first].start..spans[last].end;
    let (mut lead, mut tail) = (first > 0, last + 1 < spans.len());
    if len > max_chars {
        // One sentence longer than the room: a window of words around its first match.
        let anchor = highlights
            .iter()
            .find(|h| h.start >= window.start && h.end <= window.end)
            .map_or(window.start, |h| h.start);
        let before = max_chars / 3;
        let mut start = anchor;
        for (n, (i, _)) in text[window.start..anchor].char_indices().rev().enumerate() {
            if n >= before {
                break;
            }
            start = window.start + i;
        }
        let start = if start > window.start {
            text[start..anchor]
                .find(' ')
                .map_or(start, |s| start + s + 1)
                .min(anchor)
        } else {
            start
        };
        let mut end = start;
        for (n, (i, c)) in text[start..window.end].char_indices().enumerate() {
            if n >= max_chars {
                break;
            }
            end = start + i + c.len_utf8();
        }
        let end = if end < window.end {
            text[start..end]
                .rfind(' ')
                .map_or(end, |e| start + e)
                .max(anchor.min(end))
        } else {
            end
        };
        lead |= start > window.start;
        tail |= end < window.end;
        window = start..end;
    }
    let mut out = String::new();
    if lead {
        out.push_str("… ");
    }
    let base = out.len();
    out.push_str(text[window.clone()].trim_end());
    let body_end = out.len();
    if tail {
        out.push_str(" …");
    }
    let shift = |x: usize| x - window.start + base;
    let marks = highlights
        .iter()
        .filter(|h| h.start >= window.start && h.end <= window.end)
        .map(|h| [shift(h.start), shift(h.end).min(body_end)])
        .collect();
    (out, marks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(snippet: &str, marks: &[[usize; 2]]) -> Vec<String> {
        marks
            .iter()
            .map(|[a, b]| snippet[*a..*b].to_string())
            .collect()
    }

    #[test]
    fn picks_the_sentence_with_the_matches() {
        let text =
            "Första meningen handlar om annat. Läkemedelsförsörjningen är viktig. Tredje meningen.";
        let at = text.find("Läkemedelsförsörjningen").unwrap();
        let h = std::iter::once(at..at + "Läkemedelsförsörjningen".len()).collect::<Vec<_>>();
        let (s, m) = sentence_snippet(text, &h, 40);
        assert_eq!(s, "… Läkemedelsförsörjningen är viktig. …");
        assert_eq!(marked(&s, &m), ["Läkemedelsförsörjningen"]);
        let (s, m) = sentence_snippet(text, &h, 200);
        assert_eq!(s, text);
        assert_eq!(marked(&s, &m), ["Läkemedelsförsörjningen"]);
    }

    /// A phrase matched across a sentence's end is shown whole, its two sentences together.
    #[test]
    fn a_match_across_a_sentence_end_is_kept() {
        let text =
            "Första meningen handlar om annat. Vi har vårdgarantin. Och köerna växer. Slut här.";
        let at = text.find("vårdgarantin").unwrap();
        let end = text.find("Och").unwrap() + "Och".len();
        let h = std::iter::once(at..end).collect::<Vec<_>>();
        let (s, m) = sentence_snippet(text, &h, 45);
        assert_eq!(marked(&s, &m), ["vårdgarantin. Och"], "{s}");
    }

    #[test]
    fn a_long_sentence_is_cut_at_words_around_the_match() {
        let text = format!(
            "{} vaccin {}",
            "ord ".repeat(100).trim(),
            "mer ".repeat(100).trim()
        );
        let at = text.find("vaccin").unwrap();
        let h = std::iter::once(at..at + 6).collect::<Vec<_>>();
        let (s, m) = sentence_snippet(&text, &h, 60);
        assert!(s.starts_with("… ord") && s.ends_with("mer …"), "{s}");
        assert!(s.chars().count() <= 66, "{s}");
        assert_eq!(marked(&s, &m), ["vaccin"]);
    }

    #[test]
    fn leading_text_cuts_at_a_word() {
        assert_eq!(leading_text("kort text", 100), "kort text");
        assert_eq!(leading_text("en lite längre text här", 12), "en lite…");
    }

    #[test]
    fn sentences_split_at_ends_followed_by_capitals() {
        let spans = sentence_spans("Det gäller t.ex. vården. Nästa mening! 3 saker? slut");
        assert_eq!(spans.len(), 3);
    }
}
