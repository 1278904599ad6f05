//! The recipient of a document (the minister an interpellation is put to) as one name, however
//! the sources write it: *socialminister Lars Engqvist (S)*, *Lars Engqvist*, *Statsrådet
//! Lena Hallengren (S)*, *Hallengren, Lena (s) - Statsråd*.
//!
//! [`display`] is the name as citations show it: the office in front dropped, a name written
//! surname first turned around, the party's letters in capitals (*Göran Hägglund (KD)*, not
//! *(Kd)*). [`key`] is the name alone, without the party some sources add and others leave out:
//! what groups and facets count by, so that one minister is one group.

/// The recipient as citations show it (see the [module](self)).
///
/// ```
/// use sokord_core::recipients::display;
/// assert_eq!(display("socialminister Lars Engqvist (S)"), "Lars Engqvist (S)");
/// assert_eq!(display("Hallengren, Lena (s) - Statsråd"), "Lena Hallengren (S)");
/// assert_eq!(display("Göran Hägglund (Kd)"), "Göran Hägglund (KD)");
/// assert_eq!(display("Region Stockholm"), "Region Stockholm");
/// ```
pub fn display(raw: &str) -> String {
    let (name, party) = split(raw);
    match party {
        Some(p) => format!("{name} ({p})"),
        None => name,
    }
}

/// The recipient's name alone, for grouping (see the [module](self)).
///
/// ```
/// use sokord_core::recipients::key;
/// assert_eq!(key("socialminister Lars Engqvist (S)"), "Lars Engqvist");
/// assert_eq!(key("Lars Engqvist"), "Lars Engqvist");
/// ```
pub fn key(raw: &str) -> String {
    split(raw).0
}

/// Whether a word names an office held in front of a name: *socialministern*, *statsrådet*,
/// *vice* (*vice statsminister*).
fn is_office(word: &str) -> bool {
    let w = word.to_lowercase();
    w == "vice"
        || w == "statsråd"
        || w == "statsrådet"
        || w.ends_with("minister")
        || w.ends_with("ministern")
}

/// Whether a word is part of an office of several parts in front of a name: *Justitie-* and
/// *och* in *Justitie- och migrationsminister*.
fn is_office_part(word: &str) -> bool {
    is_office(word) || word.ends_with('-') || word == "och"
}

/// The name (office dropped, turned around when written surname first) and the party's letters
/// in capitals, if given.
fn split(raw: &str) -> (String, Option<String>) {
    let text: String = raw.chars().filter(|&c| c != '\u{ad}').collect();
    let mut text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // "Hallengren, Lena (s) - Statsråd": the office after a dash, the surname first.
    if let Some((before, _office)) = text.split_once(" - ") {
        if before.contains(',') {
            text = before.to_string();
        }
    }
    // "Anders Borg (M), finansminister": the office after a comma.
    if let Some((before, after)) = text.rsplit_once(", ") {
        if after.split(' ').all(|w| is_office(w) || is_office_part(w)) {
            text = before.to_string();
        }
    }
    let (mut name, party) = match text.rsplit_once(" (") {
        Some((name, rest)) => match rest.strip_suffix(')') {
            Some(p) if is_party(p) => (name.to_string(), Some(p.to_uppercase())),
            _ => (text.clone(), None),
        },
        None => (text.clone(), None),
    };
    if let Some((surname, given)) = name.split_once(", ") {
        if !surname.contains(' ') && !given.contains(',') {
            name = format!("{given} {surname}");
        }
    }
    let words: Vec<&str> = name.split(' ').collect();
    // The office in front, also one of several parts: "Justitie- och migrationsminister".
    let first_name = words
        .iter()
        .rposition(|w| is_office(w))
        .filter(|&last| words[..last].iter().all(|w| is_office_part(w)))
        .map_or(0, |last| last + 1);
    // An office alone ("statsrådet") is kept: it is all the source says.
    let name = if first_name < words.len() {
        words[first_name..].join(" ")
    } else {
        name
    };
    (name, party)
}

/// A party's letters as sources put them in brackets after a name: one to four letters.
fn is_party(p: &str) -> bool {
    (1..=4).contains(&p.chars().count()) && p.chars().all(char::is_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every way the interpellations write one minister comes to one key, and the display keeps
    /// the party where the source gave it.
    #[test]
    fn one_minister_is_one_name() {
        for raw in [
            "Lars Engqvist",
            "Lars Engqvist (S)",
            "socialminister Lars Engqvist (S)",
            "Socialministern Lars Engqvist (S)",
            "Engqvist, Lars (s) - Socialminister",
            "stats\u{ad}rådet Lars  Engqvist",
        ] {
            assert_eq!(key(raw), "Lars Engqvist", "{raw}");
        }
        assert_eq!(display("statsrådet Pierre Schori"), "Pierre Schori");
        assert_eq!(
            display("Justitie- och migrationsminister Morgan Johansson"),
            "Morgan Johansson"
        );
        assert_eq!(
            display("Anders Borg (M), finansminister"),
            "Anders Borg (M)"
        );
        assert_eq!(
            display("Eskil Erlandsson (c), jordbruksminister"),
            "Eskil Erlandsson (C)"
        );
        assert_eq!(
            display("Anna-Karin Hatt (C), statsråd"),
            "Anna-Karin Hatt (C)"
        );
        assert_eq!(
            display("vice statsminister Lena Hjelm-Wallén (S)"),
            "Lena Hjelm-Wallén (S)"
        );
        assert_eq!(display("Göran Hägglund (Kd)"), "Göran Hägglund (KD)");
        // Brackets that are not a party stay part of the name; so does an office alone.
        assert_eq!(
            display("Region Stockholm (hälso- och sjukvårdsnämnden)"),
            "Region Stockholm (hälso- och sjukvårdsnämnden)"
        );
        assert_eq!(display("statsrådet"), "statsrådet");
        assert_eq!(display("socialministern"), "socialministern");
        assert_eq!(display("Socialdepartementet"), "Socialdepartementet");
    }

    /// What is shown is shown again unchanged (a rebuild reads it back).
    #[test]
    fn display_is_stable() {
        for raw in [
            "socialminister Lars Engqvist (S)",
            "Hallengren, Lena (s) - Statsråd",
            "Region Stockholm",
            "statsrådet",
        ] {
            let once = display(raw);
            assert_eq!(display(&once), once);
            assert_eq!(key(&once), key(raw));
        }
    }
}
