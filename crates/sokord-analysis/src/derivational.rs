/// Snowball's derivational endings (its step 3, and the "-else" nouns) that make unrelated words
/// one term: *billig* → *bil*, *tidig* → *tid*, *fattig* → *fatt* (as *fatta*), *styrelse* →
/// *styr*. Read by `build.rs` (which keeps such lemmas apart) and by the analysis (which keeps
/// their forms outside the lemma table with them).
pub(crate) const DERIVATIONAL: [&str; 3] = ["lig", "ig", "els"];
