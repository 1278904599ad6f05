//! Text normalisation before analysis and display.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Normalises text for indexing and display.
///
/// ```
/// use sokord_analysis::normalize;
/// assert_eq!(normalize("ﬁnansiering\u{00AD}s\u{00A0}behov"), "finansierings behov");
/// assert_eq!(normalize("A\u{030A}terbud"), "Återbud"); // NFC
/// ```
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if is_invisible(c) => {}
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\u{2000}'..='\u{200A}' | '\u{3000}' => {
                out.push(' ')
            }
            '\u{2028}' | '\u{2029}' | '\u{0085}' => out.push('\n'),
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            '\t' => out.push(' '),
            c if c.is_control() && c != '\n' && c != '\u{000C}' => {}
            c => out.push(c),
        }
    }
    // Most text is in NFC already: the quick check avoids recomposing it character by character.
    if is_nfc_quick(out.chars()) == IsNormalized::Yes {
        out
    } else {
        out.nfc().collect()
    }
}

/// Characters that may stand inside a word without being part of it: the soft hyphen and the
/// zero-width characters. The tokenizer reads a word across them; [`normalize`] removes them.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{FEFF}' | '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_keeps_swedish_letters_and_fixes_the_rest() {
        assert_eq!(normalize("åäö ÅÄÖ é"), "åäö ÅÄÖ é");
        assert_eq!(normalize("o\u{0308}kad"), "ökad");
        assert_eq!(normalize("kli\u{00AD}niska"), "kliniska");
        assert_eq!(normalize("life\u{00A0}science"), "life science");
        assert_eq!(normalize("\u{FB02}ykting \u{FB01}nns"), "flykting finns");
        assert_eq!(normalize("\u{FEFF}rad\r\nrad\rrad"), "rad\nrad\nrad");
    }
}
