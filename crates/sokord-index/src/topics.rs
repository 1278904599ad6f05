//! The tagging of passages with the topics of a taxonomy ([`sokord_core::topics`]) at index
//! time.
//!
//! A passage gets every topic whose definition it matches.

use rustc_hash::FxHashMap;
use sokord_core::analyzers::{tokens, Profile};
use sokord_core::query::Query;
use sokord_core::topics::{definition, Taxonomy};
use tantivy::tokenizer::TextAnalyzer;

/// A passage's terms and their positions, for matching.
pub struct TermPositions {
    terms: FxHashMap<String, Vec<usize>>,
}

impl TermPositions {
    /// Analyses `text` with `analyzer`.
    pub fn new(analyzer: &mut TextAnalyzer, text: &str) -> TermPositions {
        let mut terms: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for t in tokens(analyzer, text) {
            terms.entry(t.text).or_default().push(t.position);
        }
        TermPositions { terms }
    }

    fn phrase(&self, words: &[(String, usize)]) -> bool {
        let Some((first, first_pos)) = words.first() else {
            return false;
        };
        let Some(starts) = self.terms.get(first) else {
            return false;
        };
        starts.iter().any(|&s| {
            words.iter().skip(1).all(|(w, p)| {
                self.terms
                    .get(w)
                    .is_some_and(|ps| ps.contains(&(s + p - first_pos)))
            })
        })
    }
}

/// Topic definitions compiled against an analyzer, ready to tag passages.
pub struct Tagger {
    topics: Vec<(String, Compiled)>,
    /// Every term the definitions name, and every prefix: the only terms of a passage that
    /// can decide a match.
    words: rustc_hash::FxHashSet<String>,
    prefixes: Vec<String>,
}

enum Compiled {
    Terms(Vec<(String, usize)>),
    Prefix(String),
    And(Vec<Compiled>),
    Or(Vec<Compiled>),
    Not(Box<Compiled>),
}

impl Tagger {
    /// Compiles a taxonomy's definitions. Their words are analysed as query words are
    /// ([`sokord_core::analyzers::SV_QUERY`]), so that a word matches itself and the compounds it is a
    /// part of in passages analysed with [`sokord_core::analyzers::SV`].
    pub fn new(taxonomy: &Taxonomy, profile: Profile) -> Tagger {
        let mut analyzer = profile.query_analyzer();
        let topics = taxonomy
            .topics
            .iter()
            .filter_map(|t| {
                Some((
                    t.id.clone(),
                    compile(&definition(&t.query).ok()?, &mut analyzer),
                ))
            })
            .collect::<Vec<_>>();
        let mut words = rustc_hash::FxHashSet::default();
        let mut prefixes = Vec::new();
        fn gather(
            c: &Compiled,
            words: &mut rustc_hash::FxHashSet<String>,
            prefixes: &mut Vec<String>,
        ) {
            match c {
                Compiled::Terms(ws) => words.extend(ws.iter().map(|(w, _)| w.clone())),
                Compiled::Prefix(p) => prefixes.push(p.clone()),
                Compiled::And(cs) | Compiled::Or(cs) => {
                    cs.iter().for_each(|c| gather(c, words, prefixes))
                }
                Compiled::Not(c) => gather(c, words, prefixes),
            }
        }
        for (_, c) in &topics {
            gather(c, &mut words, &mut prefixes);
        }
        Tagger {
            topics,
            words,
            prefixes,
        }
    }

    /// The ids of the topics whose definitions the analysed tokens of a passage match: as
    /// [`Tagger::tag`] on all their terms, but only the terms the definitions name are
    /// gathered.
    pub fn tag_tokens(&self, tokens: &[tantivy::tokenizer::Token]) -> Vec<String> {
        let mut terms: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for t in tokens {
            let text = t.text.as_str();
            if !self.words.contains(text)
                && !self.prefixes.iter().any(|p| text.starts_with(p.as_str()))
            {
                continue;
            }
            match terms.get_mut(text) {
                Some(v) => v.push(t.position),
                None => {
                    terms.insert(t.text.clone(), vec![t.position]);
                }
            }
        }
        self.tag(&TermPositions { terms })
    }

    /// The ids of the topics whose definitions `passage` matches.
    pub fn tag(&self, passage: &TermPositions) -> Vec<String> {
        self.topics
            .iter()
            .filter(|(_, c)| matches(c, passage))
            .map(|(id, _)| id.clone())
            .collect()
    }
}

fn compile(q: &Query, analyzer: &mut TextAnalyzer) -> Compiled {
    let terms = |analyzer: &mut TextAnalyzer, text: &str| {
        tokens(analyzer, text)
            .into_iter()
            .map(|t| (t.text, t.position))
            .collect::<Vec<_>>()
    };
    match q {
        // A prefix is matched against the analysed terms as written, lower-cased, unstemmed.
        Query::Word {
            text, prefix: true, ..
        } => Compiled::Prefix(text.to_lowercase()),
        Query::Word { text, .. } | Query::Phrase { text, slop: 0, .. } => {
            Compiled::Terms(terms(analyzer, text))
        }
        // Words within a distance: each of them.
        Query::Phrase { text, .. } => Compiled::And(
            terms(analyzer, text)
                .into_iter()
                .map(|(t, _)| Compiled::Terms(vec![(t, 0)]))
                .collect(),
        ),
        Query::And(qs) => Compiled::And(qs.iter().map(|q| compile(q, analyzer)).collect()),
        Query::Or(qs) => Compiled::Or(qs.iter().map(|q| compile(q, analyzer)).collect()),
        Query::Not(q) => Compiled::Not(Box::new(compile(q, analyzer))),
        // Refused by `definition`.
        Query::DateRange { .. } | Query::All => Compiled::Or(Vec::new()),
    }
}

fn matches(c: &Compiled, p: &TermPositions) -> bool {
    match c {
        Compiled::Terms(ws) => p.phrase(ws),
        Compiled::Prefix(pre) => p.terms.keys().any(|t| t.starts_with(pre.as_str())),
        Compiled::And(cs) => {
            cs.iter().any(|c| !matches!(c, Compiled::Not(_))) && cs.iter().all(|c| matches(c, p))
        }
        Compiled::Or(cs) => cs.iter().any(|c| matches(c, p)),
        Compiled::Not(c) => !matches(c, p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sokord_core::analyzers::{analyzer, SV};
    use sokord_core::Topic;
    use std::path::Path;

    fn tagger(q: &str) -> (Tagger, TextAnalyzer) {
        let a = analyzer(SV).unwrap();
        let tax = Taxonomy {
            topics: vec![Topic {
                id: "t".into(),
                label: "T".into(),
                query: q.into(),
                description: None,
            }],
        };
        (Tagger::new(&tax, Profile::Full), a)
    }

    fn all_tokens(a: &mut TextAnalyzer, text: &str) -> Vec<tantivy::tokenizer::Token> {
        let mut s = a.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = s.next() {
            out.push(t.clone());
        }
        out
    }

    fn hit(q: &str, text: &str) -> bool {
        let (t, mut a) = tagger(q);
        let found = t.tag(&TermPositions::new(&mut a, text));
        // Tagging from tokens (what indexing does) gathers only the terms the definitions
        // name: it must find the same.
        assert_eq!(
            t.tag_tokens(&all_tokens(&mut a, text)),
            found,
            "{q} / {text}"
        );
        !found.is_empty()
    }

    #[test]
    fn definitions_match_inflected_words_phrases_and_prefixes() {
        assert!(hit(
            "\"kliniska prövningar\"",
            "Fler kliniska prövningar behövs."
        ));
        assert!(hit(
            "\"klinisk prövning\"",
            "Den kliniska prövningen startade."
        ));
        assert!(!hit(
            "\"kliniska prövningar\"",
            "Prövningar som inte är kliniska."
        ));
        assert!(hit(
            "antibiotika* OR resistens",
            "Antibiotikaresistens ökar."
        ));
        // A word finds the compounds it is part of.
        assert!(hit("resistens", "Om antibiotikaresistensen i vården."));
        assert!(hit(
            "\"läkemedelsförsörjning\"",
            "Läkemedelsförsörjningen brister."
        ));
        assert!(hit("vaccin AND barn", "Barnen fick vaccinet."));
        assert!(!hit("vaccin AND barn", "Vaccinet gavs."));
        assert!(hit("vård -tandvård", "Vården blir bättre."));
        assert!(!hit("vård -tandvård", "Vården och tandvården."));
    }

    #[test]
    fn bad_definitions_are_refused_with_a_reason() {
        assert!(definition("\"öppen").unwrap_err().contains("column 1"));
        assert!(definition("(a OR b").is_err());
        assert!(definition("*").is_err());
        assert!(definition("party:S").unwrap_err().contains("field"));
        assert!(Taxonomy::parse(
            "[[topic]]\nid='a'\nlabel='A'\nquery='x'\n[[topic]]\nid='a'\nlabel='B'\nquery='y'\n"
        )
        .unwrap_err()
        .contains("twice"));
    }

    #[test]
    fn the_bundled_taxonomy_is_valid_and_large_enough() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/topics.toml");
        let tax = Taxonomy::load(&path).unwrap();
        assert!(tax.topics.len() >= 15, "{} topics", tax.topics.len());
        // On the bundled documents' paragraphs, tagging from tokens finds what tagging all
        // terms finds, and finds something.
        let tagger = Tagger::new(&tax, Profile::Full);
        let mut a = analyzer(SV).unwrap();
        let mut tagged = 0;
        for dir in ["remissvar", "tal"] {
            for e in std::fs::read_dir(path.parent().unwrap().join(dir)).unwrap() {
                let text = std::fs::read_to_string(e.unwrap().path()).unwrap_or_default();
                for para in text.split("\n\n") {
                    let found = tagger.tag(&TermPositions::new(&mut a, para));
                    assert_eq!(
                        tagger.tag_tokens(&all_tokens(&mut a, para)),
                        found,
                        "{para}"
                    );
                    tagged += usize::from(!found.is_empty());
                }
            }
        }
        assert!(tagged >= 10, "only {tagged} paragraphs tagged");
    }
}
