//! Small text utilities shared by indexing and searching.

/// Edit distance with adjacent transpositions (optimal string alignment), in characters:
/// "kaptiel" is 1 from "kapitel", "prövnng" 1 from "prövning".
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// The byte spans of a text's sentences: a sentence ends at `.`, `!` or `?` followed by a space
/// and an upper-case letter, a digit or a quotation mark. Used to cut long paragraphs into
/// passages and to cut snippets at sentence ends.
pub fn sentence_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    let mut start = 0;
    let b = text.as_bytes();
    for i in 0..b.len() {
        if matches!(b[i], b'.' | b'!' | b'?') && i + 2 < b.len() && b[i + 1] == b' ' {
            let next = text[i + 2..].chars().next().unwrap_or(' ');
            if next.is_uppercase() || next.is_ascii_digit() || "\"”»".contains(next) {
                spans.push(start..i + 1);
                start = i + 2;
            }
        }
    }
    if start < text.len() {
        spans.push(start..text.len());
    }
    spans
}
