//! Reloading a large registry several times in a row lays out the map for the
//! registries still in use, not once per reload: layouts wait their turn, and one
//! for a registry already replaced is skipped. Its own test binary: it counts the
//! layouts of the whole process.

use ktopo::tui::data::{layouts_run, Data};

#[test]
fn replaced_registries_are_not_laid_out() {
    let text = ktopo::synthetic::registry(400, 2_000);
    let reg = ktopo::registry::load_str("synthetic.yaml", text)
        .registry
        .expect("valid");
    let before = layouts_run();
    // Ten reloads, each replacing the last (as `r` or the file watcher does).
    let mut data = Data::new(reg.clone());
    for _ in 0..9 {
        data = Data::new(reg.clone());
    }
    data.wait_map();
    assert!(data.map().is_some());
    let ran = layouts_run() - before;
    // The first may have started before it was replaced; the last always runs.
    assert!((1..=2).contains(&ran), "{ran} layouts for 10 reloads");
}
