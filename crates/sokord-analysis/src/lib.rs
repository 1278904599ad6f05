//! # sokord-analysis
//!
//! A Swedish analyzer for [tantivy](https://docs.rs/tantivy) (through
//! [`tantivy-tokenizer-api`](https://docs.rs/tantivy-tokenizer-api), not all of tantivy): words,
//! lower-casing (å, ä and ö kept), stop words, a lemma table for the forms Snowball misses
//! (*läkemedlen* → *läkemedel*, *större* → *stor*), the Swedish Snowball stemmer, and the parts of
//! compounds at the compound's position (*läkemedelsförsörjningen* also gives *läkemedel* and
//! *försörjning*), split by a lattice segmenter over a lexicon built into the crate.
//!
//! ```
//! use sokord_analysis::SwedishTokenizer;
//! use tantivy_tokenizer_api::{TokenStream, Tokenizer};
//!
//! let mut tokenizer = SwedishTokenizer::index();
//! let mut stream = tokenizer.token_stream("Läkemedelsförsörjningen i Sverige");
//! let mut terms = Vec::new();
//! while stream.advance() {
//!     terms.push(stream.token().text.clone());
//! }
//! assert_eq!(terms, ["läkemedelsförsörjning", "läkemedel", "försörjning", "sver"]);
//! ```
//!
//! Register it on an index like any tokenizer:
//! `index.tokenizers().register("sv", TextAnalyzer::from(SwedishTokenizer::index()))`, and use
//! [`SwedishTokenizer::query`] (no compound parts) for query words, so that a query word matches
//! itself and the compounds containing it. `examples/plain_tantivy.rs` does it end to end.
#![deny(missing_docs)]
#![doc(test(attr(deny(warnings))))]

mod compound;
mod lemma;
mod normalize;
mod stopwords;
mod swedish;

pub use crate::compound::{
    parts_at_every_level, readings as compound_readings, split as split_compound, Part,
};
pub use crate::lemma::lemma;
pub use crate::normalize::normalize;
pub use crate::stopwords::is_stop_word;
pub use crate::swedish::{SwedishTokenStream, SwedishTokenizer, SwedishTokenizerBuilder, MAX_WORD};

/// The version of the analysis: what terms a text gives. It changes whenever the terms may
/// change (lexicon, rules, stemmer), so that an index records which analysis wrote it and can
/// ask to be rebuilt.
pub const ANALYZER_VERSION: u32 = 5;

/// Looks `key` up in `table`: lines `key\tvalue` sorted by key (bytes), by binary search over
/// the text itself, without line offsets. Returns the value. The reference [`Table::get`] is
/// tested against.
#[cfg(test)]
pub(crate) fn sorted_lookup(table: &'static str, key: &str) -> Option<&'static str> {
    let bytes = table.as_bytes();
    let (mut lo, mut hi) = (0usize, bytes.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        let start = bytes[..mid]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| start + i);
        let line = &table[start..end];
        let (k, v) = line.split_once('\t').unwrap_or((line, ""));
        match k.cmp(key) {
            std::cmp::Ordering::Equal => return Some(v),
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = start,
        }
    }
    None
}

/// A table of sorted lines `key\tvalue` embedded in the binary, with the offsets of its lines
/// (little-endian u32, written by `build.rs` beside it), searched in place: nothing is loaded.
pub(crate) struct Table {
    pub(crate) text: &'static str,
    pub(crate) starts: &'static [u8],
}

impl Table {
    /// The value of `key`, by binary search over the lines.
    pub(crate) fn get(&self, key: &str) -> Option<&'static str> {
        let bytes = self.text.as_bytes();
        let start = |i: usize| {
            let b = &self.starts[4 * i..4 * i + 4];
            u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize
        };
        let (mut lo, mut hi) = (0usize, self.starts.len() / 4);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let line = &bytes[start(mid)..];
            let k = line
                .iter()
                .position(|&b| b == b'\t' || b == b'\n')
                .unwrap_or(line.len());
            match line[..k].cmp(key.as_bytes()) {
                std::cmp::Ordering::Equal => {
                    let from = start(mid) + k + usize::from(line.get(k) == Some(&b'\t'));
                    let end = bytes[from..]
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(bytes.len(), |i| from + i);
                    return Some(&self.text[from..end]);
                }
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_lookup_finds_every_key_and_only_those() {
        let table: &'static str = "albin\t1\nläkemedlen\tläkemedel\nå\t3\nö\t4\n";
        assert_eq!(sorted_lookup(table, "albin"), Some("1"));
        assert_eq!(sorted_lookup(table, "läkemedlen"), Some("läkemedel"));
        assert_eq!(sorted_lookup(table, "å"), Some("3"));
        assert_eq!(sorted_lookup(table, "ö"), Some("4"));
        assert_eq!(sorted_lookup(table, "läkemedel"), None);
        assert_eq!(sorted_lookup(table, "zzz"), None);
        assert_eq!(sorted_lookup("", "a"), None);
    }

    #[test]
    fn indexed_tables_answer_as_a_search_of_the_text() {
        for table in [&lemma::TABLE, &lemma::TERMS, &compound::WHOLE_COST] {
            let lines: Vec<&str> = table.text.lines().collect();
            assert_eq!(lines.len(), table.starts.len() / 4);
            for line in lines.iter().step_by(97) {
                let (k, v) = line.split_once('\t').unwrap();
                assert_eq!(table.get(k), Some(v), "{k}");
                assert_eq!(sorted_lookup(table.text, k), Some(v), "{k}");
                // Just before and after the key: absent from both.
                let mut shorter = k.to_string();
                shorter.pop();
                for probe in [format!("{k}\u{1}"), shorter] {
                    assert_eq!(
                        table.get(&probe),
                        sorted_lookup(table.text, &probe),
                        "{probe}"
                    );
                }
            }
        }
    }
}
