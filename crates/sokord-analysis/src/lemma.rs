//! The lemma table: inflected forms that the Swedish Snowball stemmer does not bring to their
//! base form's stem (*läkemedlen* → *läkemedel*, *större* → *stor*, *tog* → *ta*,
//! *länder* → *land*), from hunspell-sv's affix rules and sokord's table of irregular forms
//! (`lexicon/`). Words outside the table are left to Snowball, but for a compound outside it,
//! whose last part's base form gives its term (see `swedish.rs`).
//!
//! Where the table knows a word, its lemma decides what the word conflates with: a lemma that
//! Snowball would cut to another, unrelated lemma's stem keeps a term of its own (*billig* is
//! `billig`, not the car's `bil`; *lager* is `lager`, not the law's `lag`).

/// `lexicon/sv_lemma.tsv.gz` less the pairs whose stem is already their lemma's term, sorted
/// (see `build.rs`): searched in place, so that a one-shot search loads nothing.
pub(crate) static TABLE: super::Table = super::Table {
    text: include_str!(concat!(env!("OUT_DIR"), "/sv_lemma.tsv")),
    starts: include_bytes!(concat!(env!("OUT_DIR"), "/sv_lemma.idx")),
};

/// The terms of the lemmas kept apart from an unrelated word that shares their Snowball stem.
pub(crate) static TERMS: super::Table = super::Table {
    text: include_str!(concat!(env!("OUT_DIR"), "/sv_term.tsv")),
    starts: include_bytes!(concat!(env!("OUT_DIR"), "/sv_term.idx")),
};

include!("derivational.rs");

/// The term of a word the table does not know, when Snowball cut its stem inside the
/// derivational ending of a lemma kept apart: *tidigare* (a form hunspell-sv lists on its own)
/// is stemmed `tid`, the noun's term, though *tidig* keeps the term `tidig`. The word then
/// keeps that lemma's term, as its table forms do (*tidiga*, *tidigt*). `build.rs` keeps in the
/// table every form that this would give another term than its lemma's.
pub(crate) fn kept_apart_from_stem(word: &str, stem: &str) -> Option<&'static str> {
    kept_term_of(word, stem, |c| kept_apart(c) == Some(c)).and_then(kept_apart)
}

/// The base form of a lower-cased word, if the table knows one.
pub fn lemma(word: &str) -> Option<&'static str> {
    TABLE.get(word)
}

/// The term of a lemma kept apart from a word that shares its Snowball stem (`billig` for
/// *billig*), or `None` when its term is its stem.
pub(crate) fn kept_apart(lemma: &str) -> Option<&'static str> {
    TERMS.get(lemma)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn irregular_and_vowel_dropping_forms_meet_their_base_form() {
        assert_eq!(lemma("läkemedlen"), Some("läkemedel"));
        assert_eq!(lemma("större"), Some("stor"));
        assert_eq!(lemma("tog"), Some("ta"));
        assert_eq!(lemma("länder"), Some("land"));
        assert_eq!(lemma("vården"), None, "Snowball handles it");
    }

    #[test]
    fn unrelated_words_snowball_merges_keep_terms_of_their_own() {
        assert_eq!(kept_apart("billig"), Some("billig"));
        // Its forms that Snowball cuts to `bil` meet it by the rule, not the table.
        assert_eq!(lemma("billigare"), None);
        assert_eq!(kept_apart_from_stem("billigare", "bil"), Some("billig"));
        assert_eq!(kept_apart("lager"), Some("lager"));
        assert_eq!(lemma("lagret"), Some("lager"));
        assert_eq!(kept_apart("bil"), None);
        assert_eq!(kept_apart("lag"), None);
        // Plurals and verbs that end in "-er" stay with their lemma.
        assert_eq!(kept_apart("roller"), None);
        assert_eq!(kept_apart("lider"), None);
    }

    #[test]
    fn forms_outside_the_table_stay_with_a_lemma_kept_apart() {
        let snowball = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::Swedish);
        let of = |w: &str| kept_apart_from_stem(w, &snowball.stem(w));
        assert_eq!(lemma("tidigare"), None, "hunspell-sv lists it on its own");
        assert_eq!(snowball.stem("tidigare"), "tid");
        assert_eq!(of("tidigare"), Some("tidig"));
        assert_eq!(of("verkligen"), Some("verklig"));
        // Snowball cut no derivational ending: nothing to do.
        assert_eq!(of("tiden"), None);
        assert_eq!(of("tidning"), None);
        // An ending whose word is not a lemma kept apart (*vårdig*): Snowball decides.
        assert_eq!(of("vårdigare"), None);
    }
}
