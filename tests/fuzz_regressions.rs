//! Replays every input the fuzzers ever found a problem with (`fuzz/regressions/<target>/`)
//! through the same checks the fuzz targets run (`fuzz/checks.rs`), on stable Rust.

use std::path::Path;

use crate::fuzz_checks::TARGETS;

#[test]
fn inputs_that_once_crashed_a_fuzz_target_now_pass_its_checks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    let mut failed = Vec::new();
    for (name, check) in TARGETS {
        let Ok(entries) = std::fs::read_dir(root.join(name)) else {
            continue;
        };
        for entry in entries.flatten() {
            let bytes = std::fs::read(entry.path()).unwrap();
            replayed += 1;
            if std::panic::catch_unwind(|| check(&bytes)).is_err() {
                failed.push(format!("{name}/{}", entry.file_name().to_string_lossy()));
            }
        }
    }
    assert!(replayed > 0, "no inputs under {}", root.display());
    assert!(failed.is_empty(), "these inputs fail again: {failed:?}");
}
