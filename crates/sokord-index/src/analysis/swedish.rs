//! The Swedish tokenizer: words, lower-casing, stop words, lemmas, Snowball stems and compound
//! parts, in one pass with byte offsets into the original text.

use std::collections::HashMap;
use std::sync::Arc;

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::{compound, lemma, stopwords};

/// Words longer than this (in bytes) are passed over: they are not words.
const MAX_WORD: usize = 60;
/// Segmentations and stems are cached per tokenizer; past this many words the cache restarts.
const CACHE_LIMIT: usize = 400_000;

/// What the Swedish tokenizer does to each word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SwedishOptions {
    /// Drop Swedish stop words (their positions stay counted, so phrases keep their gaps).
    pub stop_words: bool,
    /// Map inflected forms to their lemma (the lemma table) and stem them (Snowball).
    pub stem: bool,
    /// Use the lemma table before stemming.
    pub lemmas: bool,
    /// Add the parts of compounds at the compound's position.
    pub compounds: bool,
}

/// The terms one word gives.
#[derive(Debug)]
struct WordTerms {
    whole: String,
    parts: Vec<String>,
}

/// The Swedish tokenizer. Cloning it gives an empty cache.
pub struct SwedishTokenizer {
    options: SwedishOptions,
    stemmer: Arc<Stemmer>,
    cache: HashMap<String, Arc<WordTerms>>,
    tokens: Vec<Token>,
}

impl Clone for SwedishTokenizer {
    fn clone(&self) -> Self {
        SwedishTokenizer::new(self.options)
    }
}

impl SwedishTokenizer {
    /// A tokenizer with these options.
    pub fn new(options: SwedishOptions) -> SwedishTokenizer {
        SwedishTokenizer {
            options,
            stemmer: Arc::new(Stemmer::create(Algorithm::Swedish)),
            cache: HashMap::new(),
            tokens: Vec::new(),
        }
    }

    fn terms(&mut self, lower: &str) -> Arc<WordTerms> {
        if let Some(t) = self.cache.get(lower) {
            return t.clone();
        }
        let o = self.options;
        let base = |w: &str, stemmer: &Stemmer| -> String {
            if !o.stem {
                return w.to_string();
            }
            let l = if o.lemmas {
                lemma::lemma(w).unwrap_or(w)
            } else {
                w
            };
            stemmer.stem(l).into_owned()
        };
        let whole = base(lower, &self.stemmer);
        let mut parts = Vec::new();
        if o.compounds && lower.chars().all(char::is_alphabetic) {
            for p in compound::split(lower) {
                let t = if o.stem {
                    base(&p.lemma, &self.stemmer)
                } else {
                    p.surface
                };
                if t != whole && !parts.contains(&t) {
                    parts.push(t);
                }
            }
        }
        let terms = Arc::new(WordTerms { whole, parts });
        if self.cache.len() >= CACHE_LIMIT {
            self.cache.clear();
        }
        self.cache.insert(lower.to_string(), terms.clone());
        terms
    }
}

/// Whether the word starting at `start` begins a sentence (or the text, or a line).
fn sentence_initial(text: &str, start: usize) -> bool {
    for c in text[..start].chars().rev() {
        match c {
            ' ' | '"' | '”' | '“' | '\'' | '(' | '[' | '«' | '»' | '–' | '—' | '-' | '*' | '#' => {
                continue
            }
            '.' | '!' | '?' | ':' | ';' | '\n' | '•' => return true,
            c if c.is_ascii_digit() => return true, // "1. Läkemedelsförsörjning"
            _ => return false,
        }
    }
    true
}

impl Tokenizer for SwedishTokenizer {
    type TokenStream<'a> = SwedishTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SwedishTokenStream<'a> {
        let mut tokens = std::mem::take(&mut self.tokens);
        tokens.clear();
        let mut position = 0usize;
        let mut lower = String::new();
        let mut iter = text.char_indices().peekable();
        while let Some((start, c)) = iter.next() {
            if !c.is_alphanumeric() {
                continue;
            }
            let mut end = start + c.len_utf8();
            while let Some(&(i, c)) = iter.peek() {
                if !c.is_alphanumeric() {
                    break;
                }
                end = i + c.len_utf8();
                iter.next();
            }
            let word = &text[start..end];
            let this_position = position;
            position += 1;
            if word.len() > MAX_WORD {
                continue;
            }
            lower.clear();
            lower.extend(word.chars().flat_map(char::to_lowercase));
            if self.options.stop_words && stopwords::is_stop_word(&lower) {
                continue;
            }
            let terms = self.terms(&lower);
            tokens.push(Token {
                offset_from: start,
                offset_to: end,
                position: this_position,
                text: terms.whole.clone(),
                position_length: 1,
            });
            // A capitalised word inside a sentence is a name: names stay whole (Forssmed,
            // Ankarberg), unless they start a sentence and the lexicon splits them.
            let name = c.is_uppercase() && !sentence_initial(text, start);
            if !name {
                for p in &terms.parts {
                    tokens.push(Token {
                        offset_from: start,
                        offset_to: end,
                        position: this_position,
                        text: p.clone(),
                        position_length: 1,
                    });
                }
            }
        }
        SwedishTokenStream {
            tokens,
            index: usize::MAX,
            owner: &mut self.tokens,
        }
    }
}

/// The tokens of one text.
pub struct SwedishTokenStream<'a> {
    tokens: Vec<Token>,
    index: usize,
    /// The tokenizer's buffer, handed back when the stream is dropped.
    owner: &'a mut Vec<Token>,
}

impl Drop for SwedishTokenStream<'_> {
    fn drop(&mut self) {
        *self.owner = std::mem::take(&mut self.tokens);
    }
}

impl TokenStream for SwedishTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.index = self.index.wrapping_add(1);
        self.index < self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.index]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(options: SwedishOptions, text: &str) -> Vec<(usize, String, &str)> {
        let mut t = SwedishTokenizer::new(options);
        let mut s = t.token_stream(text);
        let mut out = Vec::new();
        while s.advance() {
            let tok = s.token();
            out.push((
                tok.position,
                tok.text.clone(),
                &text[tok.offset_from..tok.offset_to],
            ));
        }
        out
    }

    const FULL: SwedishOptions = SwedishOptions {
        stop_words: true,
        stem: true,
        lemmas: true,
        compounds: true,
    };

    #[test]
    fn compounds_give_whole_and_parts_at_one_position() {
        let t = terms(FULL, "Om läkemedelsförsörjningen i Sverige");
        let at1: Vec<&str> = t
            .iter()
            .filter(|(p, _, _)| *p == 1)
            .map(|(_, s, _)| s.as_str())
            .collect();
        assert_eq!(at1, ["läkemedelsförsörjning", "läkemedel", "försörjning"]);
        assert!(t
            .iter()
            .filter(|(p, _, _)| *p == 1)
            .all(|(_, _, src)| *src == "läkemedelsförsörjningen"));
        // "om" and "i" are stop words; their positions stay counted.
        assert_eq!(t.last().unwrap().0, 3);
    }

    #[test]
    fn names_inside_a_sentence_stay_whole() {
        let t = terms(FULL, "Det sa Hälsodata i går. Hälsodata är viktigt.");
        let parts_at = |pos: usize| t.iter().filter(|(p, _, _)| *p == pos).count();
        assert_eq!(parts_at(2), 1, "{t:?}");
        assert_eq!(parts_at(5), 3, "{t:?}");
    }

    #[test]
    fn offsets_stay_on_char_boundaries_for_odd_input() {
        let text = "Å\u{0301}ä—ö 1,5 % x\u{00AD}y ﬁ 🙂 ÖVERSÄTTNING";
        let mut t = SwedishTokenizer::new(FULL);
        let mut s = t.token_stream(text);
        while s.advance() {
            let tok = s.token();
            assert!(text.is_char_boundary(tok.offset_from) && text.is_char_boundary(tok.offset_to));
            assert!(tok.offset_from < tok.offset_to && tok.offset_to <= text.len());
        }
    }
}
