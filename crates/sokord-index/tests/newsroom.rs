//! Runs the newsroom example, which asserts what it finds.

#[path = "../examples/newsroom.rs"]
#[allow(dead_code)]
mod example;

#[test]
fn documents_from_memory_are_written_updated_deleted_and_searched() {
    example::main().unwrap();
}
