//! The named text analyzers sokord registers on its indexes (the Swedish ones from
//! [`sokord_analysis`]).
//!
//! | name | pipeline | used for |
//! |---|---|---|
//! | `sv` | words → lower-case → stop words out → lemma table → Snowball stem, plus the stems of a compound's parts at the compound's position | passage text, titles, headings (index time) |
//! | `sv_query` | `sv` without compound parts: a query word matches itself as a word or as a compound part | query words for `sv` fields |
//! | `sv_snowball` | words → lower-case → stop words out → Snowball stem | the baseline that `sv` is measured against |
//! | `sv_exact` | words → lower-case | exact word forms, stop words included |
//! | `keyword` | the whole value → lower-case | type, party, topic and chapter filters |
//! | `words` | words → lower-case | actor and recipient filters ("Lif", "Forssmed") |
//!
//! Text is NFC-normalised before it reaches an analyzer ([`sokord_analysis::normalize`]); å, ä and ö
//! are kept: no ASCII folding anywhere. Offsets are byte offsets into the analysed text.

use serde::Serialize;
use tantivy::tokenizer::{
    LowerCaser, RawTokenizer, SimpleTokenizer, TextAnalyzer, Token, TokenStream, Tokenizer,
    TokenizerManager,
};

pub use sokord_analysis::SwedishTokenizer;

/// The Swedish analyzer for running text, at index time.
pub const SV: &str = "sv";
/// The Swedish analyzer for query words: as [`SV`], without compound parts.
pub const SV_QUERY: &str = "sv_query";
/// Snowball stemming only: the usual Swedish setup, kept for comparison.
pub const SV_SNOWBALL: &str = "sv_snowball";
/// Lower-cased words, no stemming, stop words kept.
pub const SV_EXACT: &str = "sv_exact";
/// The whole value lower-cased, for exact filters.
pub const KEYWORD: &str = "keyword";
/// Lower-cased words, for name filters.
pub const WORDS: &str = "words";

/// The recipient's name alone ([`crate::recipients::key`]), as its fast field keeps it: the
/// fast-field tokenizer of the `recipient` field, so that groups and facets count one minister
/// once whether or not a source adds the party.
pub const RECIPIENT_KEY: &str = "recipient_key";

/// The names of all registered analyzers.
pub const NAMES: &[&str] = &[SV, SV_QUERY, SV_SNOWBALL, SV_EXACT, KEYWORD, WORDS];

fn swedish(tokenizer: SwedishTokenizer) -> TextAnalyzer {
    TextAnalyzer::from(tokenizer)
}

/// Builds the analyzer with the given name.
pub fn analyzer(name: &str) -> Option<TextAnalyzer> {
    Some(match name {
        SV => swedish(SwedishTokenizer::index()),
        SV_QUERY => swedish(SwedishTokenizer::query()),
        SV_SNOWBALL => swedish(SwedishTokenizer::snowball()),
        SV_EXACT => swedish(SwedishTokenizer::exact()),
        KEYWORD => TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .build(),
        WORDS => TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .build(),
        _ => return None,
    })
}

/// Which analysis an index's text fields get.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// sokord's Swedish analysis: lemmas, stems and compound parts ([`SV`], [`SV_QUERY`]).
    #[default]
    Full,
    /// Snowball stemming only ([`SV_SNOWBALL`]), as most engines do: for comparisons.
    Snowball,
}

impl Profile {
    /// The analyzer for passage text at index time.
    pub fn text_analyzer(self) -> TextAnalyzer {
        analyzer(match self {
            Profile::Full => SV,
            Profile::Snowball => SV_SNOWBALL,
        })
        .expect("known analyzer")
    }

    /// The tokenizer of [`Profile::text_analyzer`] itself, for what it does beyond a token stream
    /// ([`SwedishTokenizer::analyse_with_exact`]).
    pub fn text_tokenizer(self) -> SwedishTokenizer {
        match self {
            Profile::Full => SwedishTokenizer::index(),
            Profile::Snowball => SwedishTokenizer::snowball(),
        }
    }

    /// The analyzer for query words searched in the text fields.
    pub fn query_analyzer(self) -> TextAnalyzer {
        analyzer(match self {
            Profile::Full => SV_QUERY,
            Profile::Snowball => SV_SNOWBALL,
        })
        .expect("known analyzer")
    }
}

/// Registers the fast-field tokenizers sokord's schema names ([`RECIPIENT_KEY`]) on an index's
/// `fast_field_tokenizer()`, beside tantivy's own.
pub fn register_fast(manager: &TokenizerManager) {
    manager.register(RECIPIENT_KEY, TextAnalyzer::from(RecipientKey::default()));
}

/// The tokenizer of [`RECIPIENT_KEY`]: one token, the recipient's name alone.
#[derive(Clone, Default)]
struct RecipientKey {
    token: Token,
}

/// The one token of a [`RecipientKey`].
struct OneToken<'a> {
    token: &'a mut Token,
    given: bool,
}

impl Tokenizer for RecipientKey {
    type TokenStream<'a> = OneToken<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> OneToken<'a> {
        self.token.reset();
        self.token.text = crate::recipients::key(text);
        self.token.offset_to = text.len();
        OneToken {
            token: &mut self.token,
            given: false,
        }
    }
}

impl TokenStream for OneToken<'_> {
    fn advance(&mut self) -> bool {
        let first = !self.given;
        self.given = true;
        first
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Registers every analyzer of [`NAMES`] on a tokenizer manager (an index's `tokenizers()`),
/// with [`SV`] standing for the profile's text analyzer.
pub fn register(manager: &TokenizerManager, profile: Profile) {
    for name in NAMES {
        manager.register(name, analyzer(name).expect("known analyzer"));
    }
    manager.register(SV, profile.text_analyzer());
    manager.register(SV_QUERY, profile.query_analyzer());
}

/// A tokenizer manager for parsing queries: fields analysed with [`SV`] at index time get
/// [`SV_QUERY`] for their query words, so that a query word is not itself split into parts.
pub fn query_manager(profile: Profile) -> TokenizerManager {
    let m = TokenizerManager::default();
    register(&m, profile);
    m.register(SV, profile.query_analyzer());
    m
}

/// One token an analyzer produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnalyzedToken {
    /// The indexed term.
    pub text: String,
    /// Its position (tokens of a compound share their word's position).
    pub position: usize,
    /// Byte offset of the source word's start in the input.
    pub offset_from: usize,
    /// Byte offset of the source word's end in the input.
    pub offset_to: usize,
}

/// Runs the named analyzer over `text`. Returns `None` for an unknown analyzer name.
pub fn analyze(name: &str, text: &str) -> Option<Vec<AnalyzedToken>> {
    let mut a = analyzer(name)?;
    Some(tokens(&mut a, text))
}

/// Runs an analyzer over `text` and collects its tokens.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<AnalyzedToken> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        out.push(AnalyzedToken {
            text: t.text.clone(),
            position: t.position,
            offset_from: t.offset_from,
            offset_to: t.offset_to,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_analyzer_stems_and_keeps_swedish_letters() {
        let toks = analyze(SV, "Läkemedlens försörjning på Åland").unwrap();
        let texts: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["läkemedel", "försörjning", "åland"]);
        let text = "Läkemedlens försörjning på Åland";
        let at = text.find("Åland").unwrap();
        assert_eq!(
            (toks[2].offset_from, toks[2].offset_to),
            (at, at + "Åland".len())
        );
        assert_eq!(toks[2].position, 3, "the stop word 'på' keeps its position");
    }

    #[test]
    fn keyword_analyzer_lowercases_the_whole_value() {
        let toks = analyze(KEYWORD, "Remissvar Lif").unwrap();
        assert_eq!(toks.len(), 1);
        assert_eq!(toks[0].text, "remissvar lif");
    }
}
