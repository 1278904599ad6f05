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

/// A name written surname first, turned around: `Hägglund, Göran` is `Göran Hägglund`. Only
/// for one surname (a word) and a given name of at most three words; `None` for anything else
/// (`Lif, Forssmed` is turned too: the caller decides whether the name is known).
///
/// ```
/// use sokord_core::recipients::surname_first;
/// assert_eq!(surname_first("Hägglund, Göran").as_deref(), Some("Göran Hägglund"));
/// assert_eq!(surname_first("Göran Hägglund"), None);
/// assert_eq!(surname_first("Region Stockholm, Sjukvården"), None);
/// ```
pub fn surname_first(text: &str) -> Option<String> {
    let (surname, given) = text.split_once(',')?;
    let (surname, given) = (surname.trim(), given.trim());
    let words = given.split_whitespace().count();
    let fits = !surname.is_empty()
        && !surname.contains(char::is_whitespace)
        && (1..=3).contains(&words)
        && !given.contains(',');
    fits.then(|| format!("{given} {surname}"))
}

/// The name (office dropped; turned around when written surname first with an office or a
/// party, the Riksdag's way) and the party's letters in capitals, if given.
fn split(raw: &str) -> (String, Option<String>) {
    let text: String = raw.chars().filter(|&c| c != '\u{ad}').collect();
    let mut text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut office = false;
    // "Hallengren, Lena (s) - Statsråd": the office after a dash.
    if let Some((before, after)) = text.split_once(" - ") {
        if after.split(' ').all(|w| is_office(w) || is_office_part(w)) {
            text = before.to_string();
            office = true;
        }
    }
    // "Anders Borg (M), finansminister": the office after a comma.
    if let Some((before, after)) = text.rsplit_once(", ") {
        if after.split(' ').all(|w| is_office(w) || is_office_part(w)) {
            text = before.to_string();
            office = true;
        }
    }
    let (name, party) = match text.rsplit_once(" (") {
        Some((name, rest)) => match rest.strip_suffix(')').and_then(party_label) {
            Some(p) => (name.to_string(), Some(p)),
            None => (text.clone(), None),
        },
        None => (text.clone(), None),
    };
    // The office in front, also one of several parts: "Justitie- och migrationsminister".
    let words: Vec<&str> = name.split(' ').collect();
    let first_name = words
        .iter()
        .rposition(|w| is_office(w))
        .filter(|&last| words[..last].iter().all(|w| is_office_part(w)))
        .map_or(0, |last| last + 1);
    // An office alone ("statsrådet") is kept: it is all the source says.
    let name = if first_name > 0 && first_name < words.len() {
        office = true;
        words[first_name..].join(" ")
    } else {
        name
    };
    // Surname first only in the Riksdag's shape (an office or a party with it): a recipient
    // such as "Regeringskansliet, Socialdepartementet" is not a name to turn around.
    let name = match surname_first(&name) {
        Some(turned) if office || party.is_some() => turned,
        _ => name,
    };
    (name, party)
}

/// The letters in brackets after a name, in capitals, when they are a party's label (today's or
/// an earlier one, `-` for a member who left their party): `(Lif)` after an organisation is not.
fn party_label(p: &str) -> Option<String> {
    let known = crate::parties::find(p)?
        .labels()
        .any(|l| l.eq_ignore_ascii_case(p.trim()));
    known.then(|| p.trim().to_uppercase())
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

    /// Names that are not ministers' are left as they are.
    #[test]
    fn other_recipients_are_left_alone() {
        for raw in [
            "Regeringskansliet, Socialdepartementet",
            "Läkemedelsindustriföreningen (Lif)",
            "Socialstyrelsen (SoS)",
            "Stockholm, Region",
        ] {
            assert_eq!(display(raw), raw);
        }
        assert_eq!(display("Hallengren, Lena (-)"), "Lena Hallengren (-)");
        assert_eq!(display("Hallengren, Lena (fp)"), "Lena Hallengren (FP)");
    }

    /// What is shown is shown again unchanged (a rebuild reads it back).
    #[test]
    fn display_is_stable() {
        for raw in [
            "socialminister Lars Engqvist (S)",
            "Hallengren, Lena (s) - Statsråd",
            "socialminister Engqvist, Lars",
            "Statsrådet Hallengren, Lena (s)",
            "Justitie- och migrationsminister Morgan Johansson",
            "Anders Borg (M), finansminister",
            "Region Stockholm",
            "Regeringskansliet, Socialdepartementet",
            "statsrådet",
            "",
        ] {
            let once = display(raw);
            assert_eq!(display(&once), once);
            assert_eq!(key(&once), key(raw));
        }
    }
}
