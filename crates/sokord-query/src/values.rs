//! The values an index holds for a metadata field (parties, types, actors), and the ones closest
//! to a value typed from memory: filter values are checked against them.

use std::collections::BTreeSet;

use crate::error::Result;

/// The distinct values of a string fast field (`party`, `type`, `actor`), as written, sorted.
pub(crate) fn column_values(searcher: &tantivy::Searcher, column: &str) -> Result<Vec<String>> {
    let mut values = BTreeSet::new();
    for segment in searcher.segment_readers() {
        if let Some(col) = segment.fast_fields().str(column)? {
            let mut terms = col
                .dictionary()
                .stream()
                .map_err(tantivy::TantivyError::from)?;
            while terms.advance() {
                let v = String::from_utf8_lossy(terms.key());
                if !v.is_empty() {
                    values.insert(v.into_owned());
                }
            }
        }
    }
    Ok(values.into_iter().collect())
}

/// Edit distance (Levenshtein, in characters) between two words.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The names closest to `typed`, best first, at most `n`: names in which every typed word is
/// within a few edits of one of the name's words (one edit in four letters, at least one), so
/// that `Ullenhg` finds *Erik Ullenhag* and `Anders Jonsson` finds *Anders W Jonsson*.
/// The error messages name them for a value typed a little wrong (`tandvard`).
pub fn closest_names(typed: &str, names: &[String], n: usize) -> Vec<String> {
    let typed = words(typed);
    if typed.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(usize, usize, &String)> = Vec::new();
    for name in names {
        let name_words = words(name);
        let mut total = 0;
        let mut close = true;
        for t in &typed {
            let allowed = (t.chars().count() / 4).max(1);
            let best = name_words
                .iter()
                .map(|w| edit_distance(t, w))
                .min()
                .unwrap_or(usize::MAX);
            if best > allowed {
                close = false;
                break;
            }
            total += best;
        }
        if close {
            scored.push((total, name_words.len(), name));
            continue;
        }
        // Words run together or split otherwise (`psykiskhälsa` for *psykisk-hälsa*): the
        // letters alone, one edit in four.
        let (t, w) = (typed.concat(), name_words.concat());
        let d = edit_distance(&t, &w);
        if d <= (t.chars().count() / 4).max(1) {
            scored.push((d, name_words.len(), name));
            continue;
        }
        // The beginning of longer words (`läkemedel` for *läkemedelsförsörjning*), after the
        // close ones.
        let begins = |t: &String| {
            t.chars().count() >= 4 && name_words.iter().any(|w| w.starts_with(t.as_str()))
        };
        if typed.iter().all(begins) {
            scored.push((usize::MAX / 2, name_words.len(), name));
        }
    }
    scored.sort();
    scored
        .into_iter()
        .take(n)
        .map(|(_, _, s)| s.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("ullenhg", "ullenhag"), 1);
        assert_eq!(edit_distance("vård", "vård"), 0);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn closest_names_need_every_typed_word() {
        let names: Vec<String> = [
            "Erik Ullenhag",
            "Anders W Jonsson",
            "Anna Jonsson",
            "Göran Hägglund",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(closest_names("Ullenhg", &names, 5), ["Erik Ullenhag"]);
        assert_eq!(
            closest_names("Anders Jonsson", &names, 5),
            ["Anders W Jonsson"]
        );
        assert!(closest_names("xyz", &names, 5).is_empty());
        // The beginning of a longer word, after the close ones.
        let topics: Vec<String> = ["läkemedelsförsörjning", "tandvård", "läkemedel-x"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            closest_names("läkemedel", &topics, 5),
            ["läkemedel-x", "läkemedelsförsörjning"]
        );
        assert!(closest_names("läk", &topics, 5).is_empty());
        // Words run together, or a hyphen for a space.
        let topics: Vec<String> = ["psykisk-hälsa", "tandvård", "jämlik-vård"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(closest_names("psykiskhälsa", &topics, 3), ["psykisk-hälsa"]);
        assert_eq!(closest_names("jämlik vård", &topics, 3), ["jämlik-vård"]);
        assert_eq!(closest_names("ErikUllenhag", &names, 3), ["Erik Ullenhag"]);
    }
}
