//! The Swedish tokenizer: words, lower-casing, stop words, lemmas, Snowball stems and compound
//! parts, in one pass with byte offsets into the original text.

use std::cell::RefCell;
use std::rc::Rc;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::{compound, lemma, stopwords};

/// Words longer than this (in bytes) are passed over: they are not words.
const MAX_WORD: usize = 60;
/// Past this many words a thread's cache for one set of options starts again.
const CACHE_LIMIT: usize = 500_000;

/// What the Swedish tokenizer does to each word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SwedishOptions {
    /// Drop Swedish stop words (their positions stay counted, so phrases keep their gaps).
    pub stop_words: bool,
    /// Stem words with the Swedish Snowball stemmer.
    pub stem: bool,
    /// Map inflected forms to their lemma (the lemma table) before stemming.
    pub lemmas: bool,
    /// Add the parts of compounds at the compound's position.
    pub compounds: bool,
}

/// How many different [`SwedishOptions`] there are: the caches keep one table for each.
const OPTION_SETS: usize = 16;

impl SwedishOptions {
    /// A number below [`OPTION_SETS`] for these options.
    fn key(self) -> usize {
        usize::from(self.stop_words)
            | usize::from(self.stem) << 1
            | usize::from(self.lemmas) << 2
            | usize::from(self.compounds) << 3
    }
}

/// The terms one word gives: none for a stop word.
#[derive(Debug, Clone)]
struct WordTerms {
    stop: bool,
    whole: Box<str>,
    parts: Box<[Box<str>]>,
}

type Cache = FxHashMap<Box<str>, Rc<WordTerms>>;

/// Shards of the cache shared by all threads, so that a word is worked out once, not once per
/// thread (each thread reads most of the vocabulary): a thread that does not know a word looks
/// here before working it out. Threads copy what they find into their own cache, so that the
/// words they meet again cost no lock and no shared counter.
const SHARDS: usize = 16;

type Shared = FxHashMap<Box<str>, WordTerms>;

fn shared(o: SwedishOptions, lower: &str) -> &'static std::sync::Mutex<Shared> {
    static SHARED: std::sync::OnceLock<Vec<std::sync::Mutex<Shared>>> = std::sync::OnceLock::new();
    let shards = SHARED.get_or_init(|| {
        (0..OPTION_SETS * SHARDS)
            .map(|_| std::sync::Mutex::new(Shared::default()))
            .collect()
    });
    let h = {
        use std::hash::BuildHasher;
        rustc_hash::FxBuildHasher.hash_one(lower) as usize
    };
    &shards[o.key() * SHARDS + (h >> 7) % SHARDS]
}

thread_local! {
    /// Words repeat (Zipf): each thread keeps what it worked out, per set of options, for as
    /// long as it lives, across analyzer clones and documents.
    static CACHES: RefCell<Vec<Cache>> = RefCell::new((0..OPTION_SETS).map(|_| Cache::default()).collect());
    static STEMMER: Stemmer = Stemmer::create(Algorithm::Swedish);
    /// In front of each cache, a small direct-mapped table of the words met last, with their
    /// bytes inline: the frequent words are answered from it without a pointer to follow.
    static FRONT: RefCell<Vec<Vec<FrontSlot>>> = RefCell::new(vec![Vec::new(); OPTION_SETS]);
}

/// Slots of a [`FRONT`] table (a power of two).
const FRONT_SLOTS: usize = 4096;
/// Longest word (in bytes) a front slot holds.
const FRONT_WORD: usize = 30;

#[derive(Clone, Default)]
struct FrontSlot {
    hash: u64,
    len: u8,
    word: [u8; FRONT_WORD],
    terms: Option<Rc<WordTerms>>,
}

/// The Swedish tokenizer.
#[derive(Clone)]
pub struct SwedishTokenizer {
    options: SwedishOptions,
    tokens: Vec<Token>,
}

impl SwedishTokenizer {
    /// A tokenizer with these options.
    pub fn new(options: SwedishOptions) -> SwedishTokenizer {
        SwedishTokenizer {
            options,
            tokens: Vec::new(),
        }
    }
}

/// Works out the terms of a lower-cased word.
fn word_terms(o: SwedishOptions, lower: &str) -> WordTerms {
    if o.stop_words && stopwords::is_stop_word(lower) {
        return WordTerms {
            stop: true,
            whole: Box::from(""),
            parts: Box::new([]),
        };
    }
    let base = |w: &str| -> String {
        if !o.stem {
            return w.to_string();
        }
        let l = if o.lemmas {
            lemma::lemma(w).unwrap_or(w)
        } else {
            w
        };
        STEMMER.with(|s| s.stem(l).into_owned())
    };
    let whole = base(lower);
    let mut parts: Vec<Box<str>> = Vec::new();
    if o.compounds && lower.chars().all(char::is_alphabetic) {
        for p in compound::split(lower) {
            let t = if o.stem { base(&p.lemma) } else { p.surface };
            if t != whole && !parts.iter().any(|q| **q == *t) {
                parts.push(t.into_boxed_str());
            }
        }
    }
    WordTerms {
        stop: false,
        whole: whole.into_boxed_str(),
        parts: parts.into_boxed_slice(),
    }
}

fn cached_terms(o: SwedishOptions, lower: &str) -> Rc<WordTerms> {
    if lower.len() > FRONT_WORD {
        return cached_terms_behind(o, lower);
    }
    let hash = {
        use std::hash::BuildHasher;
        rustc_hash::FxBuildHasher.hash_one(lower)
    };
    FRONT.with(|front| {
        let mut front = front.borrow_mut();
        let slots = &mut front[o.key()];
        if slots.is_empty() {
            slots.resize(FRONT_SLOTS, FrontSlot::default());
        }
        let slot = &mut slots[(hash as usize >> 7) & (FRONT_SLOTS - 1)];
        if slot.hash == hash && &slot.word[..usize::from(slot.len)] == lower.as_bytes() {
            if let Some(t) = &slot.terms {
                return t.clone();
            }
        }
        let t = cached_terms_behind(o, lower);
        slot.hash = hash;
        slot.len = lower.len() as u8;
        slot.word[..lower.len()].copy_from_slice(lower.as_bytes());
        slot.terms = Some(t.clone());
        t
    })
}

/// The thread's cache, behind [`FRONT`].
fn cached_terms_behind(o: SwedishOptions, lower: &str) -> Rc<WordTerms> {
    CACHES.with(|caches| {
        let mut caches = caches.borrow_mut();
        let cache = &mut caches[o.key()];
        if let Some(t) = cache.get(lower) {
            return t.clone();
        }
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        let terms = {
            let mut shard = shared(o, lower).lock().unwrap_or_else(|e| e.into_inner());
            match shard.get(lower) {
                Some(t) => t.clone(),
                None => {
                    let t = word_terms(o, lower);
                    if shard.len() >= CACHE_LIMIT / SHARDS {
                        shard.clear();
                    }
                    shard.insert(Box::from(lower), t.clone());
                    t
                }
            }
        };
        let t = Rc::new(terms);
        cache.insert(Box::from(lower), t.clone());
        t
    })
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

/// Lower-cases `word` into `out`, with a fast path for ASCII.
fn lowercase_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
    } else {
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// Appends a token, reusing the string of a token left in the buffer by an earlier text.
fn push(
    tokens: &mut Vec<Token>,
    len: &mut usize,
    from: usize,
    to: usize,
    position: usize,
    text: &str,
) {
    if *len == tokens.len() {
        tokens.push(Token::default());
    }
    let t = &mut tokens[*len];
    t.offset_from = from;
    t.offset_to = to;
    t.position = position;
    t.position_length = 1;
    t.text.clear();
    t.text.push_str(text);
    *len += 1;
}

impl SwedishTokenizer {
    /// Analyses `text` in one pass for two fields: returns the terms (as [`Tokenizer::token_stream`]
    /// gives them) and appends to `exact` the lower-cased form of every word, stop words
    /// included (as the `sv_exact` analyzer gives them).
    pub fn analyse_with_exact(&mut self, text: &str, exact: &mut Vec<Token>) -> Vec<Token> {
        let len = self.analyse(text, Some(exact));
        self.tokens[..len].to_vec()
    }

    /// Fills the token buffer with the terms of `text` (and `exact`, when given, with every
    /// word's lower-cased form); returns how many terms there are.
    fn analyse(&mut self, text: &str, mut exact: Option<&mut Vec<Token>>) -> usize {
        let o = self.options;
        let tokens = &mut self.tokens;
        let mut len = 0usize;
        let mut position = 0usize;
        let mut lower = String::new();
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // Find the next word: a run of alphanumeric characters.
            let c = match text[i..].chars().next() {
                Some(c) => c,
                None => break,
            };
            if !c.is_alphanumeric() {
                i += c.len_utf8();
                continue;
            }
            let start = i;
            let mut end = i + c.len_utf8();
            while end < bytes.len() {
                let b = bytes[end];
                if b < 0x80 {
                    if b.is_ascii_alphanumeric() {
                        end += 1;
                        continue;
                    }
                    break;
                }
                let next = text[end..].chars().next().expect("char boundary");
                if !next.is_alphanumeric() {
                    break;
                }
                end += next.len_utf8();
            }
            i = end;
            let word = &text[start..end];
            let this_position = position;
            position += 1;
            if word.len() > MAX_WORD {
                continue;
            }
            lowercase_into(word, &mut lower);
            if let Some(exact) = exact.as_deref_mut() {
                let mut n = exact.len();
                push(exact, &mut n, start, end, this_position, &lower);
            }
            if !o.stop_words && !o.stem && !o.compounds {
                // Exact forms: the lower-cased word is the term; no table to consult.
                push(tokens, &mut len, start, end, this_position, &lower);
                continue;
            }
            let terms = cached_terms(o, &lower);
            if terms.stop {
                continue;
            }
            push(tokens, &mut len, start, end, this_position, &terms.whole);
            // A capitalised word inside a sentence is a name: names stay whole (Forssmed,
            // Ankarberg), unless they start a sentence and the lexicon splits them.
            let name = c.is_uppercase() && !sentence_initial(text, start);
            if !terms.parts.is_empty() && !name {
                for p in terms.parts.iter() {
                    push(tokens, &mut len, start, end, this_position, p);
                }
            }
        }
        len
    }
}

impl Tokenizer for SwedishTokenizer {
    type TokenStream<'a> = SwedishTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SwedishTokenStream<'a> {
        let len = self.analyse(text, None);
        SwedishTokenStream {
            tokens: &mut self.tokens[..len],
            index: usize::MAX,
        }
    }
}

/// The tokens of one text.
pub struct SwedishTokenStream<'a> {
    tokens: &'a mut [Token],
    index: usize,
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
    fn one_pass_gives_the_terms_and_the_exact_forms() {
        let text = "Om läkemedelsförsörjningen i Sverige, och LÄKEMEDLEN.";
        let mut full = SwedishTokenizer::new(FULL);
        let mut exact = Vec::new();
        let both = full.analyse_with_exact(text, &mut exact);
        let alone = terms(FULL, text);
        let described = |tokens: &[Token]| -> Vec<(usize, String, &str)> {
            tokens
                .iter()
                .map(|t| {
                    (
                        t.position,
                        t.text.clone(),
                        &text[t.offset_from..t.offset_to],
                    )
                })
                .collect()
        };
        assert_eq!(described(&both), alone);
        let exact_options = SwedishOptions {
            stop_words: false,
            stem: false,
            lemmas: false,
            compounds: false,
        };
        let got = described(&exact);
        assert_eq!(got, terms(exact_options, text));
        assert_eq!(got[0].1, "om");
        assert_eq!(got[5].1, "läkemedlen");
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
