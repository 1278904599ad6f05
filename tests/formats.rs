//! Files in every format the indexer reads: PDF, DOCX, HTML, Latin-1 and UTF-16 text.

use super::*;
use crate::util::*;

// ---------------------------------------------------------------- formats and encodings

#[test]
fn pdf_docx_html_latin1_and_utf16_files_index_and_search() {
    let dir = scratch("formats");
    let corpus = dir.join("in");
    std::fs::create_dir_all(corpus.join("strategi")).unwrap();
    let page1 = vec![
        "Region Exempel - Strategi för hälsodata",
        "Kapitel 1: Inledning",
        "Regionen ska under perioden bygga en gemensam plattform för hälso-",
        "data som gör det möjligt att följa upp vården. Arbetet med",
        "journalsystemen fortsätter.",
        "1",
    ];
    let page2 = vec![
        "Region Exempel - Strategi för hälsodata",
        "Kapitel 2: Genomförande",
        "Pilotverksamheten med fjärrmonitorering startar i Norrbotten och",
        "utvärderas efter två år.",
        "2",
    ];
    let page3 = vec![
        "Region Exempel - Strategi för hälsodata",
        "Kapitel 3: Uppföljning",
        "Uppföljningen redovisas årligen till regionfullmäktige.",
        "3",
    ];
    std::fs::write(
        corpus.join("strategi/halsodata.pdf"),
        fixtures::pdf(&[page1, page2, page3]),
    )
    .unwrap();
    std::fs::write(
        corpus.join("strategi/tandvard.docx"),
        fixtures::docx(
            "Tandvårdsstrategi",
            &[
                (Some(1), "Kapitel 1: Bakgrund"),
                (
                    None,
                    "Tandhälsan bland äldre har förbättrats men skillnaderna är stora.",
                ),
                (Some(1), "Kapitel 2: Förslag"),
                (
                    None,
                    "Vi föreslår ett utökat högkostnadsskydd för tandvård & munhälsa.",
                ),
            ],
        ),
    )
    .unwrap();
    std::fs::write(
        corpus.join("psykiatri.html"),
        "<html><head><title>Psykiatriplan</title></head><body><h1>Psykiatriplan 2025</h1>\
         <h2>1. Barn och unga</h2><p>Väntetiderna till barn- och ungdomspsykiatrin ska halveras.</p></body></html>",
    )
    .unwrap();
    std::fs::write(
        corpus.join("latin1.txt"),
        fixtures::latin1("Remissvar\n\nÖrebro kommun anser att äldreomsorgens läkemedelsgenomgångar måste bli fler.\n"),
    )
    .unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(
        "Yttrande om sjukhusfysik och strålsäkerhet på Åland.\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    std::fs::write(corpus.join("utf16.txt"), utf16).unwrap();
    std::fs::write(
        corpus.join("manifest.toml"),
        "[[document]]\npath = \"strategi/*.pdf\"\nactor = \"Region Exempel\"\ndate = \"2024-05-02\"\ntitle = \"Strategi för hälsodata\"\n",
    )
    .unwrap();

    let index = scratch("formats-index").join("index");
    let summary = run_json(
        &index,
        &["index", corpus.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(summary["documents"], 5, "{summary:#}");
    assert_eq!(
        summary["skipped"].as_array().unwrap().len(),
        0,
        "{summary:#}"
    );
    // The legacy encoding is decoded, and the summary says it was a guess.
    let warnings = summary["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{summary:#}");
    assert_eq!(warnings[0]["path"], "latin1.txt");
    assert!(warnings[0]["reason"]
        .as_str()
        .unwrap()
        .contains("decoded as windows-1252"));

    // PDF: text layer read, hyphenation undone, running header and page numbers dropped, pages kept.
    let v = search_json(&index, &["fjärrmonitorering"]);
    let h = &hits(&v)[0];
    assert_eq!(h["path"], "strategi/halsodata.pdf");
    assert_eq!(h["type"], "strategi");
    assert_eq!(h["actor"], "Region Exempel");
    assert_eq!(h["page"], 2);
    assert_eq!(h["chapter"]["number"], "2");
    let pdf = show_json(&index, "halsodata", None);
    let text: Vec<&str> = pdf["passages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert!(
        text.iter()
            .any(|t| t.contains("plattform för hälsodata som gör")),
        "{text:#?}"
    );
    assert!(
        text.iter().all(|t| !t.contains("Region Exempel -")),
        "{text:#?}"
    );
    // The title matches every passage of the PDF; the one whose text matches is the match the
    // counts count, and comes first; the others follow, found through the title, not counted.
    let v = search_json(&index, &["hälsodata", "--type", "strategi"]);
    assert_eq!(v["total_hits"], 1);
    assert_eq!(hits(&v).len(), 3);
    assert!(hits(&v)
        .iter()
        .all(|h| h["path"] == "strategi/halsodata.pdf"));
    assert_eq!(hits(&v)[0]["chapter"]["number"], "1");
    let counted: Vec<bool> = hits(&v).iter().map(|h| h["counted"] == true).collect();
    assert_eq!(counted, [true, false, false]);
    let own = search_json(&index, &["hälsodata", "--type", "strategi", "--all"]);
    assert_eq!(hits(&own).len(), 1);

    // DOCX: runs joined, entities decoded, heading styles become chapters, title from properties.
    let v = search_json(&index, &["högkostnadsskydd"]);
    let h = &hits(&v)[0];
    assert_eq!(h["title"], "Tandvårdsstrategi");
    assert_eq!(h["chapter"]["number"], "2");
    assert!(h["snippet"]
        .as_str()
        .unwrap()
        .contains("tandvård & munhälsa"));

    // HTML: title and numbered heading.
    let v = search_json(&index, &["väntetiderna"]);
    assert_eq!(hits(&v)[0]["title"], "Psykiatriplan 2025");
    assert_eq!(hits(&v)[0]["chapter"]["title"], "Barn och unga");

    // Latin-1: decoded, not mangled; found by its Swedish words.
    let v = search_json(&index, &["äldreomsorgens"]);
    let h = &hits(&v)[0];
    assert_eq!(h["type"], "remissvar");
    assert!(h["snippet"]
        .as_str()
        .unwrap()
        .contains("Örebro kommun anser att äldreomsorgens"));

    // UTF-16 with BOM.
    let v = search_json(&index, &["strålsäkerhet"]);
    assert!(hits(&v)[0]["snippet"]
        .as_str()
        .unwrap()
        .contains("på Åland"));
}

#[test]
fn html_visible_text_without_chrome_and_docx_references_index_and_search() {
    let corpus = scratch("structured").join("in");
    std::fs::create_dir_all(&corpus).unwrap();
    // A page written with <div>s and <span>s only (once skipped as "empty file"), with site
    // chrome around it: navigation, page header and footer, scripts, styles, hidden elements.
    std::fs::write(
        corpus.join("vardplan.html"),
        "<html><head><title>Vårdplan för regionen</title>\
         <style>.ortopedkoer { color: red }</style><script>var tandvardsstodet = 1;</script></head><body>\
         <header><div>Regionportalen startsida</div></header>\
         <nav><ul><li><a href=\"/\">Kontaktuppgifter</a></li><li><a href=\"/e\">Självservice</a></li></ul></nav>\
         <div class=\"innehall\"><div>Regionen ska korta väntetiderna till ortopedin med fler operationssalar.</div>\
         <div><h2>Primärvård</h2><div>Fler <span>vårdcentraler</span> öppnar i glesbygden under året som kommer.</div>\
         <h3>Jourverksamhet</h3><div><span>Kvällsjouren</span> förlängs till klockan tjugo på vardagar i hela länet.</div></div>\
         <div hidden>Dolda behandlingsriktlinjer</div><noscript>Aktivera javascript</noscript></div>\
         <script>document.write('skriptgenererad');</script>\
         <footer>Sidfot Regionportalen, organisationsnummer</footer></body></html>",
    )
    .unwrap();
    // A DOCX whose text carries character references, as some exporters write å, ä and ö, and
    // whose headings come from heading styles (two of level 1: chapters, not a title).
    std::fs::write(
        corpus.join("lakemedel.docx"),
        fixtures::docx_xml(
            "Plan f&#246;r &#229;ret",
            "<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>Tillg&#229;ng</w:t></w:r></w:p>\
             <w:p><w:r><w:t>Bristen p&#229; l&#228;kemedel </w:t></w:r><w:r><w:t>ska minska genom st&#xF6;rre lager &amp; b&#xE4;ttre planering.</w:t></w:r></w:p>\
             <w:p><w:pPr><w:pStyle w:val=\"Heading2\"/></w:pPr><w:r><w:t>Apoteken</w:t></w:r></w:p>\
             <w:p><w:r><w:t>Apoteken rapporterar restnoteringar varje vecka till myndigheten.</w:t></w:r></w:p>\
             <w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>Uppf&#246;ljning</w:t></w:r></w:p>\
             <w:p><w:r><w:t>Planen f&#246;ljs upp &#229;rligen av regionstyrelsen.</w:t></w:r></w:p>",
        ),
    )
    .unwrap();

    let index = scratch("structured-index").join("index");
    let summary = run_json(
        &index,
        &["index", corpus.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(summary["documents"], 2, "{summary:#}");
    assert!(
        summary["skipped"].as_array().unwrap().is_empty(),
        "{summary:#}"
    );

    // HTML: text in <div>s and <span>s is found; headings h2/h3 become the chapter path.
    let v = search_json(&index, &["ortopedin"]);
    assert_eq!(hits(&v).len(), 1, "{v:#}");
    assert_eq!(hits(&v)[0]["path"], "vardplan.html");
    assert_eq!(hits(&v)[0]["title"], "Vårdplan för regionen");
    let v = search_json(&index, &["kvällsjouren"]);
    assert_eq!(hits(&v)[0]["path"], "vardplan.html");
    assert_eq!(hits(&v)[0]["chapter"]["title"], "Primärvård");
    assert_eq!(hits(&v)[0]["section"]["title"], "Jourverksamhet");
    let page = show_json(&index, "vardplan", None);
    let passages = page["passages"].as_array().unwrap();
    let path_of = |word: &str| -> Vec<String> {
        let p = passages
            .iter()
            .find(|p| p["text"].as_str().unwrap().contains(word))
            .unwrap_or_else(|| panic!("{word} in no passage: {page:#}"));
        p["chapters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(path_of("vårdcentraler"), ["Primärvård"]);
    assert_eq!(path_of("Kvällsjouren"), ["Primärvård", "Jourverksamhet"]);
    // Site chrome, scripts, styles and hidden elements are not indexed.
    for word in [
        "regionportalen",
        "kontaktuppgifter",
        "självservice",
        "tandvardsstodet",
        "ortopedkoer",
        "skriptgenererad",
        "behandlingsriktlinjer",
        "javascript",
        "organisationsnummer",
    ] {
        let run = sokord(&index, &["search", word, "--format", "json"]);
        assert_eq!(run.code, 1, "{word} was found: {}", run.stdout);
        assert_eq!(run.json()["total_hits"], 0);
    }

    // DOCX: character references resolved ("l&#228;kemedel" is "läkemedel", not "lkemedel"),
    // heading styles give the chapter path, the title from the core properties.
    let v = search_json(&index, &["läkemedel"]);
    assert_eq!(hits(&v).len(), 1, "{v:#}");
    let h = &hits(&v)[0];
    assert_eq!(h["path"], "lakemedel.docx");
    assert_eq!(h["title"], "Plan för året");
    assert_eq!(h["chapter"]["title"], "Tillgång");
    let snippet = h["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("större lager & bättre planering"),
        "{snippet}"
    );
    let v = search_json(&index, &["restnoteringar"]);
    assert_eq!(hits(&v)[0]["chapter"]["title"], "Tillgång");
    assert_eq!(hits(&v)[0]["section"]["title"], "Apoteken");
    let doc = show_json(&index, "lakemedel", None);
    let apoteken = doc["passages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["text"].as_str().unwrap().contains("restnoteringar"))
        .unwrap();
    assert_eq!(apoteken["chapters"][0]["title"], "Tillgång");
    assert_eq!(apoteken["chapters"][1]["title"], "Apoteken");
    let run = sokord(&index, &["search", "lkemedel", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
}

// ---------------------------------------------------------------- the interpellations
