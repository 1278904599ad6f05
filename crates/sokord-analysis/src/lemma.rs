//! The lemma table: inflected forms that the Swedish Snowball stemmer does not bring to their
//! base form's stem (*läkemedlen* → *läkemedel*, *större* → *stor*, *tog* → *ta*,
//! *länder* → *land*), from hunspell-sv's affix rules and sokord's table of irregular forms
//! (`lexicon/`). Words outside the table are left to Snowball.

/// `lexicon/sv_lemma.tsv.gz` less the pairs Snowball conflates anyway, sorted (see `build.rs`):
/// searched in place, so that a one-shot search loads nothing.
pub(crate) static TABLE: super::Table = super::Table {
    text: include_str!(concat!(env!("OUT_DIR"), "/sv_lemma.tsv")),
    starts: include_bytes!(concat!(env!("OUT_DIR"), "/sv_lemma.idx")),
};

/// The base form of a lower-cased word, if the table knows one.
pub fn lemma(word: &str) -> Option<&'static str> {
    TABLE.get(word)
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
}
