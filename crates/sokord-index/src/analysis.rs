//! The named text analyzers sokord registers on its indexes.
//!
//! | name | pipeline | used for |
//! |---|---|---|
//! | `sv` | words → drop > 40 bytes → lower-case → Swedish Snowball stem (rust-stemmers) | passage text, titles, headings |
//! | `sv_exact` | words → drop > 40 bytes → lower-case | exact word forms |
//! | `keyword` | the whole value → lower-case | type, party, topic and chapter filters |
//! | `words` | words → lower-case | actor and recipient filters ("Lif", "Forssmed") |
//!
//! å, ä and ö are kept: no ASCII folding anywhere.

use serde::Serialize;
use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    TokenizerManager,
};

/// The Swedish analyzer for running text.
pub const SV: &str = "sv";
/// Lower-cased words, no stemming.
pub const SV_EXACT: &str = "sv_exact";
/// The whole value lower-cased, for exact filters.
pub const KEYWORD: &str = "keyword";
/// Lower-cased words, for name filters.
pub const WORDS: &str = "words";

/// The names of all registered analyzers.
pub const NAMES: &[&str] = &[SV, SV_EXACT, KEYWORD, WORDS];

/// Builds the analyzer with the given name.
pub fn analyzer(name: &str) -> Option<TextAnalyzer> {
    Some(match name {
        SV => TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::Swedish))
            .build(),
        SV_EXACT => TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .build(),
        KEYWORD => TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .build(),
        WORDS => TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .build(),
        _ => return None,
    })
}

/// Registers every analyzer of [`NAMES`] on a tokenizer manager (an index's `tokenizers()`).
pub fn register(manager: &TokenizerManager) {
    for name in NAMES {
        manager.register(name, analyzer(name).expect("known analyzer"));
    }
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
        assert_eq!(texts, ["läkemedl", "försörjning", "på", "åland"]);
        let text = "Läkemedlens försörjning på Åland";
        let at = text.find("Åland").unwrap();
        assert_eq!(
            (toks[3].offset_from, toks[3].offset_to),
            (at, at + "Åland".len())
        );
    }

    #[test]
    fn keyword_analyzer_lowercases_the_whole_value() {
        let toks = analyze(KEYWORD, "Remissvar Lif").unwrap();
        assert_eq!(toks.len(), 1);
        assert_eq!(toks[0].text, "remissvar lif");
    }
}
