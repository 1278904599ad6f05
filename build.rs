//! Tells the end-to-end tests whether the shared corpora lie beside the project
//! (`../shared/corpora`): without them, the tests that need them are marked ignored
//! (`cfg(no_shared_corpora)`), so that `cargo test` shows and counts them as skipped.

fn main() {
    let corpora = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpora/riksdagen-interpellations/health");
    println!("cargo::rerun-if-changed={}", corpora.display());
    println!("cargo::rustc-check-cfg=cfg(no_shared_corpora)");
    if !corpora.is_dir() {
        println!("cargo::rustc-cfg=no_shared_corpora");
    }
}
