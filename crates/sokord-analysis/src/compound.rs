//! Swedish compound splitting with lindera's lattice (Viterbi) segmenter over sokord's own
//! lexicon (built from hunspell-sv's compound flags and corpus frequencies; see
//! `lexicon/build_lexicon.py` and `build.rs`).
//!
//! A word is split only when the lexicon allows it: every part but the last must be a form that
//! may begin or continue a compound, the last one a form that may end one, with an optional
//! linking morpheme (fogemorfem *s*, *e*, *a*, *o*, *u*) between. Among allowed splits the
//! cheapest wins: fewer parts, and parts that are frequent in Swedish policy text. A word with no
//! allowed split, known or not, stays whole.

use std::borrow::Cow;
use std::sync::LazyLock;

use lindera::mode::Mode;
use lindera::segmenter::Segmenter;

mod embedded {
    lindera_dictionary::embedded_dictionary!("/sv", SvLoader);
}

static SEGMENTER: LazyLock<Segmenter> = LazyLock::new(|| {
    let dictionary = embedded::load().expect("the embedded Swedish compound dictionary loads");
    Segmenter::new(Mode::Normal, dictionary, None)
});

/// The frequency cost (−log p, scaled) of each word the lexicon knows as a whole word: lines
/// `word\tcost`, sorted, searched in place (nothing to load).
pub(crate) static WHOLE_COST: super::Table = super::Table {
    text: include_str!(concat!(env!("OUT_DIR"), "/sv_whole_cost.tsv")),
    starts: include_bytes!(concat!(env!("OUT_DIR"), "/sv_whole_cost.idx")),
};

/// One part of a split compound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The part as it stands in the word ("läkemedels", "försörjningen").
    pub surface: String,
    /// Its base form ("läkemedel", "försörjning").
    pub lemma: String,
}

/// Splits a lower-cased word into its compound parts (linking morphemes dropped), or returns
/// an empty list when the word is not a compound the lexicon knows how to split.
pub fn split(word: &str) -> Vec<Part> {
    if word.chars().count() < 6 {
        return Vec::new();
    }
    let Ok(mut tokens) = SEGMENTER.segment(Cow::Borrowed(word)) else {
        return Vec::new();
    };
    if tokens.len() < 2 {
        return Vec::new();
    }
    let mut parts = Vec::with_capacity(tokens.len());
    let mut cost_sum = 0u32;
    for t in tokens.iter_mut() {
        let role = t.get_detail(0).unwrap_or("").to_string();
        match role.as_str() {
            "H" | "T" => {
                let lemma = t.get_detail(1).unwrap_or("").to_string();
                cost_sum += t
                    .get_detail(2)
                    .and_then(|c| c.parse::<u32>().ok())
                    .unwrap_or(3000);
                parts.push(Part {
                    surface: t.surface.to_string(),
                    lemma,
                });
            }
            "L" => {}
            // An unknown piece means the path is not a real split.
            _ => return Vec::new(),
        }
    }
    if parts.len() < 2 {
        return Vec::new();
    }
    // A word the lexicon knows whole is split only when its parts are, on average, more common
    // than the whole word (the geometric-mean test of Koehn and Knight): "läkemedelsföretag"
    // splits, "läkemedel" (läka + medel) and "sjukdom" (sjuk + dom) do not. Frequent compounds
    // such as "försäkringskassan" stay whole too: the price of never inventing a match.
    if let Some(whole) = WHOLE_COST.get(word).and_then(|c| c.parse::<u32>().ok()) {
        if cost_sum / parts.len() as u32 >= whole {
            return Vec::new();
        }
    }
    parts
}

/// The readings of a compound as a sequence of known words: the lexicon's split and, where a
/// part's first (or a part's last) piece makes a known word with its neighbour, the split at that
/// coarser boundary. *vårdplatsbrist* reads as *vård* + *platsbrist* and as *vårdplats* +
/// *brist*. Empty for a word the lexicon does not split.
pub fn readings(word: &str) -> Vec<Vec<Part>> {
    readings_in(word, &mut Splits::default())
}

/// The splits worked out while reading one word: its parts are split again at every level, and
/// each split is asked for more than once.
#[derive(Default)]
struct Splits(std::collections::HashMap<String, Vec<Part>>);

impl Splits {
    fn of(&mut self, word: &str) -> Vec<Part> {
        if let Some(parts) = self.0.get(word) {
            return parts.clone();
        }
        let parts = split(word);
        self.0.insert(word.to_string(), parts.clone());
        parts
    }
}

fn readings_in(word: &str, splits: &mut Splits) -> Vec<Vec<Part>> {
    let top = splits.of(word);
    if top.is_empty() {
        return Vec::new();
    }
    let mut out = vec![top.clone()];
    for i in 0..top.len() - 1 {
        let (a, b) = (&top[i], &top[i + 1]);
        // The first piece of b joins a: vård + (plats + brist) → vårdplats + brist.
        let b_split = splits.of(&b.lemma);
        if let [first, rest @ ..] = b_split.as_slice() {
            let joined = format!("{}{}", a.surface, first.lemma);
            if known(&joined) {
                let mut reading = top[..i].to_vec();
                reading.push(Part {
                    surface: format!("{}{}", a.surface, first.surface),
                    lemma: joined,
                });
                reading.extend(rest.iter().cloned());
                reading.extend(top[i + 2..].iter().cloned());
                out.push(reading);
            }
        }
        // The last piece of a joins b: (x + y) + z → x + yz.
        let a_split = splits.of(&a.lemma);
        if let [init @ .., last] = a_split.as_slice() {
            // The last piece as written in the word: a's surface from where that piece begins.
            let at = a.lemma.len().saturating_sub(last.surface.len());
            if a.surface.get(..at) == a.lemma.get(..at) {
                if let Some(written) = a.surface.get(at..) {
                    // Without a linking s or e that belonged to the boundary (vårds|kostnad).
                    let written = match written.strip_suffix(['s', 'e']) {
                        Some(bare) if !known(&format!("{written}{}", b.lemma)) => bare,
                        _ => written,
                    };
                    let joined = format!("{written}{}", b.lemma);
                    if known(&joined) {
                        let mut reading = top[..i].to_vec();
                        reading.extend(init.iter().cloned());
                        reading.push(Part {
                            surface: format!("{written}{}", b.surface),
                            lemma: joined,
                        });
                        reading.extend(top[i + 2..].iter().cloned());
                        out.push(reading);
                    }
                }
            }
        }
    }
    out
}

/// Every part of a compound at every level: the parts of each reading ([`readings`]) and,
/// recursively, their own parts, each once. *vårdplatsbrist*: *vård*, *platsbrist*,
/// *vårdplats*, *brist*, *plats*.
pub fn parts_at_every_level(word: &str) -> Vec<Part> {
    let mut out = Vec::new();
    every_level(word, word, &mut Splits::default(), &mut out);
    out
}

fn every_level(word: &str, whole: &str, splits: &mut Splits, out: &mut Vec<Part>) {
    for reading in readings_in(word, splits) {
        for part in reading {
            if part.lemma == whole || out.iter().any(|q: &Part| q.lemma == part.lemma) {
                // Its own parts are in already.
                continue;
            }
            let lemma = part.lemma.clone();
            out.push(part);
            every_level(&lemma, whole, splits, out);
        }
    }
}

/// Whether the lexicon knows `word` as a whole word.
fn known(word: &str) -> bool {
    WHOLE_COST.get(word).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lemmas(w: &str) -> Vec<String> {
        split(w).into_iter().map(|p| p.lemma).collect()
    }

    #[test]
    fn splits_compounds_into_base_forms() {
        assert_eq!(
            lemmas("läkemedelsförsörjningen"),
            ["läkemedel", "försörjning"]
        );
        assert_eq!(lemmas("kompetensförsörjning"), ["kompetens", "försörjning"]);
        assert_eq!(lemmas("antibiotikaresistens"), ["antibiotika", "resistens"]);
        assert_eq!(lemmas("hälsodata"), ["hälsa", "data"]);
        assert_eq!(
            lemmas("levertransplantationer"),
            ["lever", "transplantation"]
        );
    }

    #[test]
    fn parts_are_found_at_every_level() {
        let all: Vec<String> = parts_at_every_level("vårdplatsbrist")
            .into_iter()
            .map(|p| p.lemma)
            .collect();
        for want in ["vårdplats", "brist", "vård", "plats"] {
            assert!(all.iter().any(|p| p == want), "{want} not in {all:?}");
        }
        let readings: Vec<Vec<String>> = readings("vårdplatsbrist")
            .into_iter()
            .map(|r| r.into_iter().map(|p| p.lemma).collect())
            .collect();
        assert!(
            readings.contains(&vec!["vårdplats".to_string(), "brist".to_string()]),
            "{readings:?}"
        );
        // A word that is not a compound has no parts at any level.
        assert!(parts_at_every_level("information").is_empty());
    }

    #[test]
    fn leaves_non_compounds_whole() {
        for w in [
            "information",
            "behandling",
            "forssmed",
            "förändring",
            "utbildning",
            "läkemedel",
            "landsting",
        ] {
            assert_eq!(split(w), Vec::new(), "{w} was split: {:?}", split(w));
        }
    }
}
