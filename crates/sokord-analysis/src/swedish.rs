//! The Swedish tokenizer: words, lower-casing, stop words, lemmas, Snowball stems and compound
//! parts, in one pass with byte offsets into the original text.

use std::sync::{Arc, Mutex};

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use tantivy_tokenizer_api::{Token, TokenStream, Tokenizer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::{compound, lemma, stopwords};

/// Words longer than this (in bytes) are passed over: they are not words.
pub const MAX_WORD: usize = 60;

/// What the Swedish tokenizer does to each word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SwedishOptions {
    /// Drop Swedish stop words (their positions stay counted, so phrases keep their gaps).
    pub(crate) stop_words: bool,
    /// Stem words with the Swedish Snowball stemmer.
    pub(crate) stem: bool,
    /// Map inflected forms to their lemma (the lemma table) before stemming.
    pub(crate) lemmas: bool,
    /// Add the parts of compounds at the compound's position.
    pub(crate) compounds: bool,
}

/// Everything on: the analysis of running text at index time.
const FULL: SwedishOptions = SwedishOptions {
    stop_words: true,
    stem: true,
    lemmas: true,
    compounds: true,
};

/// The terms one word gives: none for a stop word.
#[derive(Debug, Clone)]
struct WordTerms {
    stop: bool,
    whole: Box<str>,
    parts: Box<[Box<str>]>,
    /// Whether the word names a body or a programme: its last part stands inflected and is
    /// one that bodies' names end in (`body` in `lexicon/own.tsv`: *Folktandvården*,
    /// *Socialstyrelsens*). Capitalised inside a sentence, such a name gives its parts; other
    /// names stay whole (*Nordström*, *Trollhättan*, *Miljöpartiet*).
    names_a_body: bool,
}

/// Past this many words a tokenizer's own cache starts again (about 60 MB at most).
const CACHE_LIMIT: usize = 500_000;
/// Past this many words a shared cache takes no more (the words met first are the frequent ones).
const SHARED_LIMIT: usize = 1_000_000;
/// Shards of a [`SharedWordCache`], each behind its own lock.
const SHARDS: usize = 16;
/// Slots of a tokenizer's front table (a power of two).
const FRONT_SLOTS: usize = 4096;
/// Distinct words a tokenizer meets before it builds its front table.
const FRONT_AFTER: usize = 256;
/// Longest word (in bytes) a front slot holds.
const FRONT_WORD: usize = 30;

thread_local! {
    static STEMMER: Stemmer = Stemmer::create(Algorithm::Swedish);
}

/// A cache of worked-out words shared by a tokenizer and its clones (tantivy clones an analyzer
/// for each indexing thread), so that a word is worked out once per run rather than once per
/// thread. Bounded: past a million words it takes no more.
#[derive(Default)]
struct SharedWordCache {
    shards: [Mutex<FxHashMap<Box<str>, WordTerms>>; SHARDS],
}

/// One slot of the front table: a recent word with its bytes inline and the index of its terms.
#[derive(Clone, Copy)]
struct FrontSlot {
    hash: u64,
    len: u8,
    word: [u8; FRONT_WORD],
    terms: u32,
}

impl Default for FrontSlot {
    fn default() -> Self {
        FrontSlot {
            hash: 0,
            len: 0,
            word: [0; FRONT_WORD],
            terms: u32::MAX,
        }
    }
}

/// A tokenizer's own cache: words repeat (Zipf), so each word is worked out once per tokenizer
/// (or once per [`SharedWordCache`]). In front, a small direct-mapped table of the words met last,
/// with their bytes inline, answers the frequent words without a pointer to follow.
struct WordCache {
    front: Vec<FrontSlot>,
    index: FxHashMap<Box<str>, u32>,
    terms: Vec<WordTerms>,
    shared: Arc<SharedWordCache>,
}

impl WordCache {
    fn new(shared: Arc<SharedWordCache>) -> WordCache {
        WordCache {
            front: Vec::new(),
            index: FxHashMap::default(),
            terms: Vec::new(),
            shared,
        }
    }

    /// The terms of a lower-cased word.
    fn get(&mut self, o: SwedishOptions, lower: &str) -> &WordTerms {
        let hash = {
            use std::hash::BuildHasher;
            rustc_hash::FxBuildHasher.hash_one(lower)
        };
        if lower.len() > FRONT_WORD {
            let i = self.behind(o, lower, hash);
            return &self.terms[i as usize];
        }
        if self.front.is_empty() {
            // A query's few words go straight to the map: the table pays (its 200 kB zeroed)
            // only for a tokenizer that has met many words, as in indexing.
            if self.terms.len() < FRONT_AFTER {
                let i = self.behind(o, lower, hash);
                return &self.terms[i as usize];
            }
            self.front = vec![FrontSlot::default(); FRONT_SLOTS];
        }
        let at = (hash as usize >> 7) & (FRONT_SLOTS - 1);
        let slot = self.front[at];
        if slot.terms != u32::MAX
            && slot.hash == hash
            && &slot.word[..usize::from(slot.len)] == lower.as_bytes()
        {
            return &self.terms[slot.terms as usize];
        }
        let i = self.behind(o, lower, hash);
        let slot = &mut self.front[at];
        slot.hash = hash;
        slot.len = lower.len() as u8;
        slot.word[..lower.len()].copy_from_slice(lower.as_bytes());
        slot.terms = i;
        &self.terms[i as usize]
    }

    /// The index of a word's terms in the own cache, looked up in the shared cache or worked out
    /// when missing.
    fn behind(&mut self, o: SwedishOptions, lower: &str, hash: u64) -> u32 {
        if let Some(&i) = self.index.get(lower) {
            return i;
        }
        if self.terms.len() >= CACHE_LIMIT {
            self.index.clear();
            self.terms.clear();
            self.front.iter_mut().for_each(|s| s.terms = u32::MAX);
        }
        let terms = {
            let shard = &self.shared.shards[(hash >> 7) as usize % SHARDS];
            let mut shard = shard.lock().unwrap_or_else(|e| e.into_inner());
            match shard.get(lower) {
                Some(t) => t.clone(),
                None => {
                    let t = word_terms(o, lower);
                    if shard.len() < SHARED_LIMIT / SHARDS {
                        shard.insert(Box::from(lower), t.clone());
                    }
                    t
                }
            }
        };
        let i = self.terms.len() as u32;
        self.terms.push(terms);
        self.index.insert(Box::from(lower), i);
        i
    }
}

/// The Swedish tokenizer: a [`Tokenizer`] for tantivy. Build one with a preset
/// ([`SwedishTokenizer::index`], [`SwedishTokenizer::query`], [`SwedishTokenizer::snowball`],
/// [`SwedishTokenizer::exact`]) or with [`SwedishTokenizer::builder`].
///
/// It reads raw text: a word runs across soft hyphens, zero-width characters and combining
/// marks (*kli\u{AD}niska* is *kliniska*, *A\u{30A}terbud* is *återbud*), with offsets into the
/// text as given.
pub struct SwedishTokenizer {
    options: SwedishOptions,
    tokens: Vec<Token>,
    cache: WordCache,
}

/// A clone shares the words its original worked out (through their shared cache) and keeps a
/// cache of its own: tantivy clones an analyzer for each thread.
impl Clone for SwedishTokenizer {
    fn clone(&self) -> Self {
        SwedishTokenizer {
            options: self.options,
            tokens: Vec::new(),
            cache: WordCache::new(self.cache.shared.clone()),
        }
    }
}

impl std::fmt::Debug for SwedishTokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SwedishTokenizer")
            .field("options", &self.options)
            .finish()
    }
}

/// Sets what a [`SwedishTokenizer`] does to each word. Starts from the full analysis (as
/// [`SwedishTokenizer::index`]).
///
/// ```
/// use sokord_analysis::SwedishTokenizer;
/// let snowball_only = SwedishTokenizer::builder().lemmas(false).compound_parts(false).build();
/// # let _ = snowball_only;
/// ```
#[derive(Debug, Clone)]
pub struct SwedishTokenizerBuilder {
    options: SwedishOptions,
}

impl SwedishTokenizerBuilder {
    /// Drop Swedish stop words (*och*, *att*, *det* …); their positions stay counted, so that
    /// phrases keep their gaps. On by default.
    pub fn stop_words(mut self, on: bool) -> Self {
        self.options.stop_words = on;
        self
    }

    /// Stem words with the Swedish Snowball stemmer. On by default; off, a word's term is its
    /// lower-cased form.
    pub fn stemming(mut self, on: bool) -> Self {
        self.options.stem = on;
        self
    }

    /// Bring inflected forms that Snowball misses to their lemma first (*läkemedlen* →
    /// *läkemedel*). On by default; only with stemming.
    pub fn lemmas(mut self, on: bool) -> Self {
        self.options.lemmas = on;
        self
    }

    /// Add the parts of compounds at the compound's position. On by default; off for query
    /// words, so that a query word matches itself and the compounds that contain it.
    pub fn compound_parts(mut self, on: bool) -> Self {
        self.options.compounds = on;
        self
    }

    /// The tokenizer.
    pub fn build(self) -> SwedishTokenizer {
        SwedishTokenizer {
            options: self.options,
            tokens: Vec::new(),
            cache: WordCache::new(Arc::default()),
        }
    }
}

impl SwedishTokenizer {
    /// A builder, starting from the full analysis.
    pub fn builder() -> SwedishTokenizerBuilder {
        SwedishTokenizerBuilder { options: FULL }
    }

    /// The full analysis, for running text at index time: stop words out, lemmas, stems, and
    /// the parts of compounds.
    pub fn index() -> SwedishTokenizer {
        SwedishTokenizer::builder().build()
    }

    /// For query words searched in text indexed with [`SwedishTokenizer::index`]: the same
    /// terms without compound parts.
    pub fn query() -> SwedishTokenizer {
        SwedishTokenizer::builder().compound_parts(false).build()
    }

    /// Snowball stemming only (stop words out), as most engines analyse Swedish: a baseline.
    pub fn snowball() -> SwedishTokenizer {
        SwedishTokenizer::builder()
            .lemmas(false)
            .compound_parts(false)
            .build()
    }

    /// Lower-cased word forms, stop words kept: for exact-form search.
    pub fn exact() -> SwedishTokenizer {
        SwedishTokenizer::builder()
            .stop_words(false)
            .stemming(false)
            .lemmas(false)
            .compound_parts(false)
            .build()
    }
}

/// Works out the terms of a lower-cased word.
fn word_terms(o: SwedishOptions, lower: &str) -> WordTerms {
    if o.stop_words && stopwords::is_stop_word(lower) {
        return WordTerms {
            stop: true,
            whole: Box::from(""),
            parts: Box::new([]),
            names_a_body: false,
        };
    }
    let base = |w: &str| -> String {
        if !o.stem {
            return w.to_string();
        }
        if !o.lemmas {
            return STEMMER.with(|s| s.stem(w).into_owned());
        }
        let known = lemma::lemma(w);
        let l = known.unwrap_or(w);
        if let Some(term) = lemma::kept_apart(l) {
            return term.to_string();
        }
        let stem = STEMMER.with(|s| s.stem(l).into_owned());
        match known {
            Some(_) => stem,
            None => lemma::kept_apart_from_stem(w, &stem).map_or(stem, str::to_string),
        }
    };
    let whole = match unlisted_compound(o, lower) {
        Some((before, head)) => format!("{before}{}", base(&head)),
        None => base(lower),
    };
    let mut parts: Vec<Box<str>> = Vec::new();
    let mut names_a_body = false;
    if o.compounds && lower.chars().all(char::is_alphabetic) && !stays_whole(lower) {
        for p in compound::parts_at_every_level(lower) {
            if p.surface.len() < lower.len() && lower.ends_with(p.surface.as_str()) {
                names_a_body |= ends_a_bodys_name(&p);
            }
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
        names_a_body,
    }
}

/// Whether a word is a name that stays whole wherever it stands (`whole` in
/// `lexicon/own.tsv`: the parties), in the genitive too.
fn stays_whole(lower: &str) -> bool {
    const WHOLE: &str = include_str!(concat!(env!("OUT_DIR"), "/whole_names.txt"));
    let bare = lower.strip_suffix('s');
    WHOLE.lines().any(|w| w == lower || Some(w) == bare)
}

/// Whether a compound's last part makes it a body's or a programme's name: it stands in
/// another form than its base, a genitive *-s* on the base aside (*vården*, *styrelsens*: yes;
/// *ström*, *kronas*: no), and its base ends in one of the `body` words of `lexicon/own.tsv`
/// (*tandvård*, *styrelse*, *lyft*: yes; *hätta*, *sjö*, *parti*: no).
fn ends_a_bodys_name(part: &compound::Part) -> bool {
    const BODY_HEADS: &str = include_str!(concat!(env!("OUT_DIR"), "/body_heads.txt"));
    let surface = part.surface.as_str();
    surface != part.lemma
        && surface.strip_suffix('s') != Some(part.lemma.as_str())
        && BODY_HEADS.lines().any(|h| part.lemma.ends_with(h))
}

/// A compound the lemma table does not list, as what stands before its last part and that
/// part's base form: its term is the one with the last part's term, as that part alone would
/// have (*tandvårdsstödet*: `tandvårds` + `stöd`, as *stödet* is `stöd`; *coronapandemin*:
/// `corona` + `pandemi`; *läkemedelslagret*: `läkemedels` + `lager`, kept apart from
/// `läkemedelslag`, the law). Snowball on the whole word would leave *-et* and cut a kept-apart
/// last part. `None` for other words.
fn unlisted_compound(o: SwedishOptions, lower: &str) -> Option<(&str, String)> {
    if !(o.stem && o.lemmas) || lemma::lemma(lower).is_some() {
        return None;
    }
    if !lower.chars().all(char::is_alphabetic) {
        return None;
    }
    let mut parts = compound::split(lower);
    let head = parts.pop()?;
    let before = lower.strip_suffix(head.surface.as_str())?;
    Some((before, head.lemma))
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
        let mut odd = false;
        // Whether a full stop, `!` or `?` stands since the last word: a capitalised word after
        // it starts a sentence, one place further on, so that no phrase runs across a sentence's
        // end (`"vård och"` is not *vården. Och*).
        let mut ended = false;
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // Find the next word: a run of alphanumeric characters.
            let c = match text[i..].chars().next() {
                Some(c) => c,
                None => break,
            };
            if !c.is_alphanumeric() {
                ended |= matches!(c, '.' | '!' | '?');
                i += c.len_utf8();
                continue;
            }
            if std::mem::take(&mut ended) && c.is_uppercase() && position > 0 {
                position += 1;
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
                    if crate::normalize::is_invisible(next) || is_combining_mark(next) {
                        odd = true;
                    } else {
                        break;
                    }
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
            if odd {
                odd = false;
                let clean: String = word
                    .chars()
                    .filter(|&c| !crate::normalize::is_invisible(c))
                    .nfc()
                    .collect();
                lowercase_into(&clean, &mut lower);
            } else {
                lowercase_into(word, &mut lower);
            }
            if let Some(exact) = exact.as_deref_mut() {
                let mut n = exact.len();
                push(exact, &mut n, start, end, this_position, &lower);
            }
            if !o.stop_words && !o.stem && !o.compounds {
                // Exact forms: the lower-cased word is the term; no table to consult.
                push(tokens, &mut len, start, end, this_position, &lower);
                continue;
            }
            let terms = self.cache.get(o, &lower);
            if terms.stop {
                continue;
            }
            push(tokens, &mut len, start, end, this_position, &terms.whole);
            // A capitalised word inside a sentence is a name: names stay whole (Nordström,
            // Trollhättan), unless they start a sentence and the lexicon splits them, or name a
            // body or a programme (Folktandvården, Socialstyrelsen, Äldreomsorgslyftet).
            let name = c.is_uppercase() && !sentence_initial(text, start);
            if !terms.parts.is_empty() && (!name || terms.names_a_body) {
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
        let mut t = SwedishTokenizer::builder().build();
        t.options = options;
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

    /// Inside a sentence a capitalised compound is a name: a body's name (its last part
    /// inflected, one that bodies' names end in) gives its parts; a person's, a place's or a
    /// party's stays whole.
    #[test]
    fn capitalised_compounds_split_when_they_name_a_body() {
        let parts_of = |text: &str, word: &str| -> Vec<String> {
            let t = terms(FULL, text);
            t.iter()
                .filter(|(_, _, src)| *src == word)
                .skip(1)
                .map(|(_, t, _)| t.clone())
                .collect()
        };
        let text = "Patienter i Landskronas vård som Folktandvården och Socialstyrelsens \
                    rapport nämner, enligt Nordström (Miljöpartiet) och Äldreomsorgslyftet \
                    i Söderhamn, Trollhättan och Bergsjön.";
        let whole = |word: &str| -> String { terms(FULL, word)[0].1.clone() };
        let folk = parts_of(text, "Folktandvården");
        assert!(folk.contains(&whole("tandvård")), "{folk:?}");
        assert!(folk.contains(&whole("vård")), "{folk:?}");
        let styrelse = parts_of(text, "Socialstyrelsens");
        assert!(styrelse.contains(&whole("styrelse")), "{styrelse:?}");
        let lyft = parts_of(text, "Äldreomsorgslyftet");
        assert!(lyft.contains(&whole("äldreomsorg")), "{lyft:?}");
        // Names whose last part is a base form stay whole, in the genitive too; places too,
        // though their last part stands inflected.
        for name in [
            "Landskronas",
            "Nordström",
            "Söderhamn",
            "Trollhättan",
            "Bergsjön",
        ] {
            assert_eq!(parts_of(text, name), Vec::<String>::new(), "{name}");
            // The same word starting a sentence splits, as before.
            assert!(!parts_of(name, name).is_empty(), "{name}");
        }
        // Parties stay whole wherever they stand (`whole` in lexicon/own.tsv).
        assert_eq!(parts_of(text, "Miljöpartiet"), Vec::<String>::new());
        for party in ["Miljöpartiet", "Folkpartiets", "centerpartiet"] {
            assert_eq!(parts_of(party, party), Vec::<String>::new(), "{party}");
        }
    }

    /// A sentence's end is a place of its own: a phrase does not run across it. A full stop
    /// inside a word's context that starts no sentence (*t.ex. vården*, *3.5*) is none.
    #[test]
    fn a_sentence_end_takes_a_place() {
        let exact = SwedishOptions {
            stop_words: false,
            stem: false,
            lemmas: false,
            compounds: false,
        };
        let positions = |text: &str| -> Vec<usize> {
            terms(exact, text).into_iter().map(|(p, _, _)| p).collect()
        };
        assert_eq!(positions("vården. Och omsorgen"), [0, 2, 3]);
        assert_eq!(positions("vården! Omsorgen? Ja"), [0, 2, 4]);
        assert_eq!(positions("t.ex. vården 3.5 procent"), [0, 1, 2, 3, 4, 5]);
        assert_eq!(positions("vården, och omsorgen"), [0, 1, 2]);
    }

    /// Adverbs and comparatives the lemma table does not list stay with their adjective, not
    /// with the noun Snowball cuts them to: *tidigare* is not *tid*, *verkligen* not *verk*.
    #[test]
    fn forms_outside_the_lemma_table_keep_apart_from_unrelated_stems() {
        let of = |text: &str| -> Vec<String> {
            terms(FULL, text).into_iter().map(|(_, t, _)| t).collect()
        };
        assert_eq!(
            of("tidigare tidigt tiden ytterligare verkligen verket dagligen dagen"),
            ["tidig", "tidig", "tid", "ytterlig", "verklig", "verk", "daglig", "dag"]
        );
    }

    /// A compound the lemma table does not list meets its inflected forms through its last
    /// part's base form; *äldre* is a word of its own, not a form of *gammal*.
    #[test]
    fn unlisted_compounds_take_their_last_parts_base_form() {
        let whole = |word: &str| -> String {
            let t = terms(FULL, word);
            t.into_iter().next().map(|(_, t, _)| t).unwrap_or_default()
        };
        // Snowball leaves *-et*: before, *tandvårdsstödet* was a term of its own.
        assert_eq!(whole("tandvårdsstödet"), whole("tandvårdsstöd"));
        assert_eq!(whole("tandvårdsstödets"), whole("tandvårdsstöd"));
        assert_eq!(whole("coronapandemin"), whole("coronapandemi"));
        assert_ne!(whole("coronapandemin"), "coronapandemin");
        // A kept-apart last part stays apart: a stock of medicines is not the law on them.
        assert_eq!(whole("läkemedelslagret"), whole("läkemedelslager"));
        assert_ne!(whole("läkemedelslagret"), whole("läkemedelslagen"));
        assert_eq!(whole("apoteksmarknaden"), whole("apoteksmarknad"));
        // A listed word keeps its lemma; a word that is no compound keeps its stem.
        assert_eq!(whole("läkemedlen"), whole("läkemedel"));
        assert_eq!(whole("vården"), "vård");
        // *corona* begins compounds: it finds them, as a part.
        let parts = terms(FULL, "coronakrisen");
        assert!(
            parts.iter().any(|(_, t, _)| *t == whole("corona")),
            "{parts:?}"
        );
        // The elderly are not old buildings.
        assert_ne!(whole("äldre"), whole("gamla"));
        assert_eq!(whole("äldre"), whole("äldres"));
        let parts = terms(FULL, "äldreomsorgen");
        assert!(
            parts.iter().all(|(_, t, _)| *t != whole("gamla")),
            "{parts:?}"
        );
        assert!(
            parts.iter().any(|(_, t, _)| *t == whole("äldre")),
            "{parts:?}"
        );
    }

    #[test]
    fn names_inside_a_sentence_stay_whole() {
        let t = terms(FULL, "Det sa Hälsodata i går. Hälsodata är viktigt.");
        let parts_at = |pos: usize| t.iter().filter(|(p, _, _)| *p == pos).count();
        assert_eq!(parts_at(2), 1, "{t:?}");
        // The second sentence starts one place after the first's end.
        assert_eq!(parts_at(6), 3, "{t:?}");
    }

    #[test]
    fn one_pass_gives_the_terms_and_the_exact_forms() {
        let text = "Om läkemedelsförsörjningen i Sverige, och LÄKEMEDLEN.";
        let mut full = SwedishTokenizer::index();
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
    fn soft_hyphens_and_combining_marks_in_raw_text_stay_inside_the_word() {
        let raw = terms(FULL, "kli\u{AD}niska pr\u{200B}övningar A\u{30A}terbud");
        let clean = terms(FULL, "kliniska prövningar Återbud");
        let texts = |t: &[(usize, String, &str)]| -> Vec<(usize, String)> {
            t.iter().map(|(p, s, _)| (*p, s.clone())).collect()
        };
        assert_eq!(texts(&raw), texts(&clean));
        assert_eq!(raw[0].2, "kli\u{AD}niska", "offsets cover the raw word");
    }

    #[test]
    fn offsets_stay_on_char_boundaries_for_odd_input() {
        let text = "Å\u{0301}ä—ö 1,5 % x\u{00AD}y ﬁ 🙂 ÖVERSÄTTNING";
        let mut t = SwedishTokenizer::index();
        let mut s = t.token_stream(text);
        while s.advance() {
            let tok = s.token();
            assert!(text.is_char_boundary(tok.offset_from) && text.is_char_boundary(tok.offset_to));
            assert!(tok.offset_from < tok.offset_to && tok.offset_to <= text.len());
        }
    }
}
