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

/// `each` of the stored documents at `addresses`, in their order, read in the order they lie
/// in the store: passages stored side by side share a compressed block, which tantivy's cache
/// then decompresses once instead of once for each passage read in ranking order.
pub(crate) fn map_in_store_order<T>(
    searcher: &tantivy::Searcher,
    addresses: &[tantivy::DocAddress],
    mut each: impl FnMut(TantivyDocument) -> T,
) -> tantivy::Result<Vec<T>> {
    let mut order: Vec<usize> = (0..addresses.len()).collect();
    order.sort_unstable_by_key(|&i| addresses[i]);
    let mut out: Vec<Option<T>> = std::iter::repeat_with(|| None)
        .take(addresses.len())
        .collect();
    for i in order {
        out[i] = Some(each(searcher.doc(addresses[i])?));
    }
    Ok(out
        .into_iter()
        .map(|d| d.expect("every address read"))
        .collect())
}
