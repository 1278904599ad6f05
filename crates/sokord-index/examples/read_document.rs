//! Reads one document the way `sokord index` does and shows what the index will hold: its
//! metadata, and each passage with its chapter path.
//!
//! ```text
//! cargo run -p sokord-index --example read_document -- corpus/remissvar/remissvar-lif-2025-10-14.txt
//! ```

use std::path::Path;

use sokord_index::{read_document, Format, Manifest};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let arg = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "corpus/remissvar/remissvar-lif-2025-10-14.txt".to_string());
    let path = Path::new(&arg);
    let format = Format::from_path(path).ok_or("not a format sokord reads")?;
    // Without a manifest, metadata is what the file says or what detection finds.
    let doc = read_document(path, &arg, format, &Manifest::default())?;

    println!("{}", serde_json::to_string_pretty(&doc.meta)?);
    for p in &doc.passages {
        let chapter: Vec<String> = p.chapters.iter().map(|c| c.display()).collect();
        println!("\n[{}] {}", p.ordinal, chapter.join(" > "));
        println!("{}", p.text);
    }
    for w in &doc.warnings {
        eprintln!("warning: {w}");
    }
    Ok(())
}
