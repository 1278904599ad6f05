//! Reading the stored fields of a passage's document.

use tantivy::schema::{Field, Value};
use tantivy::TantivyDocument;

/// A text field's first value.
pub(crate) fn text_of(doc: &TantivyDocument, f: Field) -> Option<String> {
    doc.get_first(f)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// A number field's first value.
pub(crate) fn u64_of(doc: &TantivyDocument, f: Field) -> Option<u64> {
    doc.get_first(f).and_then(|v| v.as_u64())
}

/// A date field's first value, `YYYY-MM-DD`.
pub(crate) fn date_of(doc: &TantivyDocument, f: Field) -> Option<String> {
    let d = doc.get_first(f).and_then(|v| v.as_datetime())?;
    Some(sokord_core::date::Day::from_tantivy(d)?.to_string())
}

/// All the values of a text field (a passage's topics).
pub(crate) fn texts_of(doc: &TantivyDocument, f: Field) -> Vec<String> {
    doc.get_all(f)
        .filter_map(|v| v.as_str())
        .map(str::to_string)
        .collect()
}
