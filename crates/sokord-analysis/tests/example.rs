//! Runs the plain-tantivy example, which asserts what it finds.

#[path = "../examples/plain_tantivy.rs"]
#[allow(dead_code)]
mod example;

#[test]
fn the_analyzer_works_on_a_plain_tantivy_index() {
    example::main().unwrap();
}
