//! The query language's lexer: a query string into tokens with their byte offsets.

use super::ParseError;

/// Dashes read as a minus before a word: the hyphen-minus, the en and em dashes and the minus
/// sign (`vård –omsorg` pasted from Word means `vård -omsorg`).
fn is_minus(c: char) -> bool {
    matches!(c, '-' | '–' | '—' | '−')
}

/// Quotation marks: the straight one, and the typographic ones that word processors, mail and
/// web pages put in pasted text (Swedish ” ”, English “ ”, German „ “, and » « guillemets).
fn is_quote(c: char) -> bool {
    matches!(c, '"' | '”' | '“' | '„' | '»' | '«')
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Open,
    Close,
    And,
    Or,
    Not,
    Plus,
    /// A word, perhaps `field:word`, `=word`, `word*`, `word~N`.
    Word(String),
    /// A quoted phrase, perhaps with a field before it and `~N` after it.
    Phrase {
        field: Option<String>,
        text: String,
        slop: Option<String>,
    },
    /// `field:[a TO b]`.
    Range {
        field: String,
        from: String,
        to: String,
    },
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub(super) tok: Tok,
    pub(super) start: usize,
}

pub(super) fn lex(input: &str) -> Result<Vec<Token>, ParseError> {
    let mut out = Vec::new();
    let b = input.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = input[i..].chars().next().unwrap();
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        match c {
            '(' => {
                out.push(Token {
                    tok: Tok::Open,
                    start,
                });
                i += 1;
            }
            ')' => {
                out.push(Token {
                    tok: Tok::Close,
                    start,
                });
                i += 1;
            }
            c if (is_minus(c) || c == '+')
                && i + c.len_utf8() < b.len()
                && !input[i + c.len_utf8()..].starts_with(char::is_whitespace) =>
            {
                out.push(Token {
                    tok: if c == '+' { Tok::Plus } else { Tok::Not },
                    start,
                });
                i += c.len_utf8();
            }
            // `|` never belongs to a word: `vård|omsorg` is `vård | omsorg` (and `||` one OR).
            '|' => {
                out.push(Token {
                    tok: Tok::Or,
                    start,
                });
                i += if input[i + 1..].starts_with('|') {
                    2
                } else {
                    1
                };
            }
            c if is_quote(c) => {
                let (text, end) = read_quoted(input, i)?;
                let (slop, end) = read_tilde(input, end)?;
                out.push(Token {
                    tok: Tok::Phrase {
                        field: None,
                        text,
                        slop,
                    },
                    start,
                });
                i = end;
            }
            _ => {
                // A word runs to white space, a parenthesis, a quote or a `|`.
                let mut end = i;
                while end < b.len() {
                    let ch = input[end..].chars().next().unwrap();
                    if ch.is_whitespace() || ch == '(' || ch == ')' || ch == '|' || is_quote(ch) {
                        break;
                    }
                    end += ch.len_utf8();
                }
                let word = &input[i..end];
                // `vård~ 1`: the distance parted from its word.
                if word.len() > 1
                    && word.ends_with('~')
                    && input[end..].starts_with(char::is_whitespace)
                    && input[end..]
                        .trim_start()
                        .starts_with(|c: char| c.is_ascii_digit())
                {
                    return Err(ParseError::at(
                        input,
                        end - 1,
                        "no space between `~` and its number: write `prövning~1`",
                    ));
                }
                // field:"phrase" and field:[a TO b]
                if let Some(field) = word.strip_suffix(':') {
                    if input[end..].starts_with(is_quote) {
                        let (text, e) = read_quoted(input, end)?;
                        let (slop, e) = read_tilde(input, e)?;
                        out.push(Token {
                            tok: Tok::Phrase {
                                field: Some(field.to_string()),
                                text,
                                slop,
                            },
                            start,
                        });
                        i = e;
                        continue;
                    }
                }
                // `title:` with nothing after it, or a parenthesis (`title:(a OR b)`): the
                // field would be read as a word; say how to write it.
                if let Some(field) = word.strip_suffix(':') {
                    if let Some(f) = super::FieldName::from_name(field) {
                        let f = f.as_str();
                        let message = if input[end..].starts_with('(') {
                            format!(
                                "`{f}:` takes one word or a phrase, not parentheses: write \
                                 ({f}:a OR {f}:b)"
                            )
                        } else {
                            format!(
                                "`{f}:` has no value: write {f}:WORD or {f}:\"a phrase\", \
                                 with no space after the colon"
                            )
                        };
                        return Err(ParseError::at(input, start, message));
                    }
                }
                if let Some((field, rest)) = word.split_once(":[") {
                    let open = i + field.len() + 2;
                    let close = input[open..].find(']').map(|p| open + p).ok_or_else(|| {
                        ParseError::at(
                            input,
                            start,
                            "unclosed `[`: write date:[2024-01-01 TO 2025-06-30]",
                        )
                    })?;
                    let inner = &input[open..close];
                    let _ = rest;
                    let parts: Vec<&str> = inner.split_whitespace().collect();
                    if parts.len() != 3 || !parts[1].eq_ignore_ascii_case("TO") {
                        return Err(ParseError::at(
                            input,
                            start,
                            "a range is written [FROM TO TO], e.g. date:[2024-01-01 TO 2025-06-30]",
                        ));
                    }
                    out.push(Token {
                        tok: Tok::Range {
                            field: field.to_string(),
                            from: parts[0].to_string(),
                            to: parts[2].to_string(),
                        },
                        start,
                    });
                    i = close + 1;
                    continue;
                }
                let tok = match word {
                    "AND" | "&&" | "&" => Tok::And,
                    "OR" => Tok::Or,
                    "NOT" => Tok::Not,
                    _ => Tok::Word(word.to_string()),
                };
                out.push(Token { tok, start });
                i = end;
            }
        }
    }
    Ok(out)
}

/// The text between the quotation mark at `open` and the next one (any of [`is_quote`]), and the
/// offset after the closing one.
fn read_quoted(input: &str, open: usize) -> Result<(String, usize), ParseError> {
    let from = open + input[open..].chars().next().map_or(1, char::len_utf8);
    match input[from..].char_indices().find(|&(_, c)| is_quote(c)) {
        Some((p, c)) => Ok((input[from..from + p].to_string(), from + p + c.len_utf8())),
        None => Err(ParseError::at(
            input,
            open,
            "unbalanced quote: no closing `\"`",
        )),
    }
}

/// The proximity after a phrase: `~5`, or `~` alone (the default); `~x` and `~ 5` are errors
/// rather than a word more.
fn read_tilde(input: &str, at: usize) -> Result<(Option<String>, usize), ParseError> {
    if !input[at..].starts_with('~') {
        return Ok((None, at));
    }
    let rest = &input[at + 1..];
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    let after = &rest[digits.len()..];
    if !digits.is_empty()
        && (after.starts_with('.') || after.starts_with(','))
        && after[1..].starts_with(|c: char| c.is_ascii_digit())
    {
        return Err(ParseError::at(
            input,
            at,
            "a proximity is a whole number of words: `\"a b\"~5`",
        ));
    }
    if after.starts_with(char::is_alphabetic) {
        return Err(ParseError::at(
            input,
            at,
            "`~` after a phrase takes a number of words between them: `\"a b\"~5`",
        ));
    }
    if digits.is_empty() {
        if rest.starts_with(char::is_whitespace)
            && rest.trim_start().starts_with(|c: char| c.is_ascii_digit())
        {
            return Err(ParseError::at(
                input,
                at,
                "no space between `~` and its number: write `\"a b\"~5`",
            ));
        }
        if rest.starts_with(|c: char| c.is_alphanumeric()) {
            return Err(ParseError::at(
                input,
                at,
                "`~` after a phrase takes a number of words between them: `\"a b\"~5`",
            ));
        }
    }
    Ok((Some(digits.clone()), at + 1 + digits.len()))
}
