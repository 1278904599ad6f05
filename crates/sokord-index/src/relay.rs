//! Handing the tokens of a passage, analysed once in a reading thread, to tantivy's indexing
//! threads.
//!
//! tantivy takes pre-tokenized text (`PreTokenizedString`) but keeps it in its documents as JSON:
//! every token written out and parsed back, which cost more than the analysis it saved. A
//! [`Relay`] instead keeps the tokens aside under a number; the document carries only a short
//! key in their place, and the [`RelayTokenizer`] registered for the field on the writer's index
//! hands the kept tokens over when tantivy tokenizes the key. Text that is not a key (titles and
//! headings share the analyzer) is analysed as usual.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use tantivy::tokenizer::{
    BoxTokenStream, TextAnalyzer, Token, TokenStream, Tokenizer, TokenizerManager,
};

/// Starts a key. A control character: [`crate::text::normalize`] removes them from the text
/// read, so no passage or heading starts with it.
const MARK: char = '\u{1}';

/// Tokens kept aside for tantivy's indexing threads, by key. Cheap to clone (shared).
///
/// tantivy queues up to 10,000 documents for its threads; with their tokens kept here that
/// could be a few hundred megabytes, whatever the memory budget. The writer therefore waits
/// ([`Relay::wait_below`]) before handing over a document while the tokens kept weigh more
/// than its share of the budget.
#[derive(Clone)]
pub(crate) struct Relay {
    kept: Arc<(Mutex<Kept>, Condvar)>,
    next: Arc<AtomicU64>,
    /// A random number in every key of this relay: a metadata value that happens to look like
    /// a key (a YAML title may spell out a control character) cannot match one.
    nonce: u64,
}

/// The token lists kept and their approximate weight in bytes.
#[derive(Default)]
struct Kept {
    lists: HashMap<u64, Vec<Token>>,
    bytes: usize,
}

/// The approximate memory a token list holds.
fn weight(tokens: &[Token]) -> usize {
    tokens
        .iter()
        .map(|t| std::mem::size_of::<Token>() + t.text.capacity())
        .sum()
}

impl Default for Relay {
    fn default() -> Relay {
        use std::hash::BuildHasher;
        Relay {
            kept: Arc::default(),
            next: Arc::default(),
            nonce: std::collections::hash_map::RandomState::new().hash_one(0u8),
        }
    }
}

impl Relay {
    /// Keeps `tokens` aside; returns the key to put in the document in their place.
    pub(crate) fn put(&self, tokens: Vec<Token>) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let mut kept = self.kept.0.lock().unwrap_or_else(|e| e.into_inner());
        kept.bytes += weight(&tokens);
        kept.lists.insert(n, tokens);
        format!("{MARK}{:016x}{n}", self.nonce)
    }

    /// The tokens kept under `key`, taken out; `None` when `key` is not one of this relay's.
    fn take(&self, key: &str) -> Option<Vec<Token>> {
        let rest = key.strip_prefix(MARK)?;
        let (nonce, n) = (rest.get(..16)?, rest.get(16..)?);
        if u64::from_str_radix(nonce, 16).ok()? != self.nonce {
            return None;
        }
        let n: u64 = n.parse().ok()?;
        let mut kept = self.kept.0.lock().unwrap_or_else(|e| e.into_inner());
        let tokens = kept.lists.remove(&n).unwrap_or_default();
        kept.bytes = kept.bytes.saturating_sub(weight(&tokens));
        drop(kept);
        self.kept.1.notify_all();
        Some(tokens)
    }

    /// Waits while the tokens kept weigh more than `bytes` (tantivy's threads take them as
    /// they index), so that memory does not grow with tantivy's queue. Called between
    /// documents, never while one is half handed over. Gives up waiting after a while (should
    /// tantivy's threads have stopped, the error comes from the writer).
    pub(crate) fn wait_below(&self, bytes: usize) {
        let (lock, freed) = &*self.kept;
        let mut kept = lock.lock().unwrap_or_else(|e| e.into_inner());
        let start = Instant::now();
        while kept.bytes > bytes && start.elapsed() < Duration::from_secs(60) {
            kept = freed
                .wait_timeout(kept, Duration::from_millis(100))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// Registers, under each of `names`, a tokenizer that hands over the kept tokens for a key
    /// and analyses any other text with the analyzer already registered under that name.
    pub(crate) fn register(&self, manager: &TokenizerManager, names: &[&str]) {
        for name in names {
            if let Some(fallback) = manager.get(name) {
                manager.register(
                    name,
                    RelayTokenizer {
                        relay: self.clone(),
                        fallback,
                    },
                );
            }
        }
    }

    /// How many token lists are still waiting (tests: none after a commit).
    #[cfg(test)]
    pub(crate) fn waiting(&self) -> usize {
        self.kept.0.lock().unwrap().lists.len()
    }
}

/// See [`Relay`].
#[derive(Clone)]
pub(crate) struct RelayTokenizer {
    relay: Relay,
    fallback: TextAnalyzer,
}

/// Either the kept tokens of a key or the fallback analyzer's stream.
pub(crate) enum RelayStream<'a> {
    Kept { tokens: Vec<Token>, at: usize },
    Analysed(BoxTokenStream<'a>),
}

impl Tokenizer for RelayTokenizer {
    type TokenStream<'a> = RelayStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> RelayStream<'a> {
        match self.relay.take(text) {
            Some(tokens) => RelayStream::Kept { tokens, at: 0 },
            None => RelayStream::Analysed(self.fallback.token_stream(text)),
        }
    }
}

impl TokenStream for RelayStream<'_> {
    fn advance(&mut self) -> bool {
        match self {
            RelayStream::Kept { tokens, at } => {
                *at += 1;
                *at <= tokens.len()
            }
            RelayStream::Analysed(s) => s.advance(),
        }
    }

    fn token(&self) -> &Token {
        match self {
            RelayStream::Kept { tokens, at } => &tokens[*at - 1],
            RelayStream::Analysed(s) => s.token(),
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self {
            RelayStream::Kept { tokens, at } => &mut tokens[*at - 1],
            RelayStream::Analysed(s) => s.token_mut(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(manager: &TokenizerManager, name: &str, text: &str) -> Vec<(String, usize)> {
        let mut a = manager.get(name).unwrap();
        let mut s = a.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = s.next() {
            out.push((t.text.clone(), t.position));
        }
        out
    }

    #[test]
    fn a_key_yields_the_kept_tokens_once_and_other_text_is_analysed() {
        let manager = TokenizerManager::default();
        sokord_core::analyzers::register(&manager, sokord_core::analyzers::Profile::Full);
        let relay = Relay::default();
        relay.register(&manager, &[sokord_core::analyzers::SV]);
        let token = |text: &str, position| Token {
            text: text.into(),
            position,
            ..Token::default()
        };
        let key = relay.put(vec![token("läkemedel", 0), token("försörjning", 0)]);
        assert_eq!(relay.waiting(), 1);
        assert_eq!(
            texts(&manager, sokord_core::analyzers::SV, &key),
            [("läkemedel".to_string(), 0), ("försörjning".to_string(), 0)]
        );
        assert_eq!(relay.waiting(), 0);
        // Taken: the key gives nothing a second time rather than its digits as words.
        assert!(texts(&manager, sokord_core::analyzers::SV, &key).is_empty());
        // Something that looks like a key but is not this relay's is text, analysed.
        let word = format!("{:016x}0", relay.nonce.wrapping_add(1));
        assert_eq!(
            texts(
                &manager,
                sokord_core::analyzers::SV,
                &format!("{MARK}{word}")
            ),
            [(word, 0)]
        );
        // A title is analysed by the analyzer the relay stands in for.
        let plain = TokenizerManager::default();
        sokord_core::analyzers::register(&plain, sokord_core::analyzers::Profile::Full);
        let direct = texts(&plain, sokord_core::analyzers::SV, "Läkemedlen");
        assert_eq!(
            texts(&manager, sokord_core::analyzers::SV, "Läkemedlen"),
            direct
        );
        assert!(!direct.is_empty());
    }
}
