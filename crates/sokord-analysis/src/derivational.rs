/// Snowball's derivational endings (its step 3, and the "-else" nouns) that make unrelated words
/// one term: *billig* → *bil*, *tidig* → *tid*, *fattig* → *fatt* (as *fatta*), *styrelse* →
/// *styr*. Read by `build.rs` (which keeps such lemmas apart) and by the analysis.
pub(crate) const DERIVATIONAL: [&str; 3] = ["lig", "ig", "els"];

/// The term of a word outside the lemma table whose Snowball `stem` was cut inside the
/// derivational ending of a lemma kept apart under its own name (`is_kept_term`: a lemma whose
/// term is the lemma itself, as *tidig* and *billig*): *tidigare* is stemmed `tid`, but is
/// *tidig*'s. The "-else" lemmas keep a term without their last letter (*styrelse*:
/// `styrels`), so their forms outside the table are left to Snowball.
pub(crate) fn kept_term_of<'w>(
    word: &'w str,
    stem: &str,
    is_kept_term: impl Fn(&str) -> bool,
) -> Option<&'w str> {
    let rest = word.strip_prefix(stem)?;
    let ending = DERIVATIONAL.iter().find(|d| rest.starts_with(*d))?;
    let candidate = &word[..stem.len() + ending.len()];
    is_kept_term(candidate).then_some(candidate)
}
