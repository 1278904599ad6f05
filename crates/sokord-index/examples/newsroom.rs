//! A newsroom tool whose documents come from an API, not from files: five documents written
//! into an index from memory, one updated, one deleted, and searched, with no corpus folder.
//! It asserts what it finds (the crate's tests run it).
//!
//! ```text
//! cargo run -p sokord-index --example newsroom
//! ```

use sokord_index::{IndexOptions, NewDocument, Section, Writer};
use sokord_query::{Filters, Grouping, SearchRequest, Searcher};

/// What the newsroom's API gives: id, outlet, date, headline, text.
const ARTICLES: [(&str, &str, &str, &str, &str); 5] = [
    (
        "sr-0301",
        "Sveriges Radio",
        "2025-03-01",
        "Bristen på barnmorskor når Norrland",
        "Flera förlossningsavdelningar i norra Sverige saknar barnmorskor i sommar.\n\n\
         Regionerna söker personal från andra länder för att klara bemanningen.",
    ),
    (
        "svd-0302",
        "Svenska Dagbladet",
        "2025-03-02",
        "Läkemedelsbristen påverkar apoteken",
        "Apoteken rapporterar restnoteringar av vanliga läkemedel mot högt blodtryck.\n\n\
         Läkemedelsverket följer utvecklingen och har kontakt med tillverkarna.",
    ),
    (
        "dn-0303",
        "Dagens Nyheter",
        "2025-03-03",
        "Väntetiderna i vården växer",
        "Allt fler patienter väntar längre än vårdgarantin medger på planerade operationer.",
    ),
    (
        "gp-0304",
        "Göteborgs-Posten",
        "2025-03-04",
        "Psykiatrin i Västra Götaland får mer pengar",
        "Regionen satsar på barn- och ungdomspsykiatrin för att korta köerna.",
    ),
    (
        "ab-0305",
        "Aftonbladet",
        "2025-03-05",
        "Rättelse",
        "En tidigare artikel angav fel siffror; den har dragits tillbaka.",
    ),
];

pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let index = dir.path().join("nyheter");

    // Open (and create) the index; write the five articles; commit.
    let mut writer = Writer::open(&index, &IndexOptions::default().threads(1))?;
    for (id, outlet, date, title, text) in ARTICLES {
        writer.insert(
            NewDocument::new(id, title)
                .doc_type("artikel")
                .actor(outlet)
                .date(date)
                .source(format!("https://example.org/{id}"))
                .text(text),
        )?;
    }
    writer.commit()?;

    // A searcher sees every commit of the writer at its next search, without reopening.
    let searcher = Searcher::open(&index)?;
    let found = |q: &str| -> Result<Vec<String>, Box<dyn std::error::Error>> {
        let request = SearchRequest::parse(q)?.group(Grouping::Doc);
        let results = searcher.search(&request)?;
        Ok(results
            .hits
            .into_iter()
            .map(|h| h.citation.doc_id)
            .collect())
    };
    println!("barnmorskor: {:?}", found("barnmorskor")?);
    assert_eq!(found("barnmorskor")?, ["sr-0301"]);
    // Swedish analysis: the compound `läkemedelsbristen` is found by its parts and inflections.
    let mut brist = found("brist")?;
    brist.sort();
    assert_eq!(brist, ["sr-0301", "svd-0302"]);

    // The radio story is updated, now with chapters given as data; the correction is withdrawn.
    let replaced = writer.upsert(
        NewDocument::new("sr-0301", "Bristen på barnmorskor når Norrland")
            .doc_type("artikel")
            .actor("Sveriges Radio")
            .date("2025-03-06")
            .sections(vec![
                Section::new(
                    1,
                    "Läget",
                    ["Flera förlossningsavdelningar i norra Sverige saknar barnmorskor i sommar."],
                ),
                Section::new(
                    1,
                    "Vad regionerna gör",
                    ["Regionerna höjer lönerna och erbjuder bostad till den som flyttar norrut."],
                ),
            ]),
    )?;
    assert!(replaced);
    assert!(writer.delete("ab-0305")?);
    writer.commit()?;

    assert_eq!(found("bostad")?, ["sr-0301"]);
    assert!(found("rättelse")?.is_empty());
    let radio = searcher.document("sr-0301", Some("Vad regionerna gör"))?;
    println!(
        "{} ({}, {}): {}",
        radio.title,
        radio.actor.as_deref().unwrap_or("-"),
        radio.date.as_deref().unwrap_or("-"),
        radio.passages[0].text
    );
    assert_eq!(radio.date.as_deref(), Some("2025-03-06"));

    // Filters work as on any sokord index.
    let march = SearchRequest::parse("vården OR läkemedel")?
        .group(Grouping::Doc)
        .filters(Filters::default().actor("Dagens Nyheter"));
    let hits = searcher.search(&march)?.hits;
    assert_eq!(hits.len(), 1);
    println!("Dagens Nyheter: {}", hits[0].citation.title);
    Ok(())
}
