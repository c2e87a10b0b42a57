//! The map's layout runs as a job off the UI thread: a panic in it is contained (the
//! map says so, the other views go on), and reloading a large registry several times
//! in a row lays out the latest registry only.

use crate::common;
use ktopo::core::map::plan::Layout;
use ktopo::core::registry::Registry;
use ktopo::tui::data::{lay_out_with, layered, Data, MapState};
use ktopo::tui::layout_job;
use ktopo::tui::state::{App, Effect, Event};
use ktopo::tui::theme::Theme;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

fn boom(_: &Registry) -> Vec<Layout> {
    panic!("injected layout panic")
}

#[test]
fn a_layout_panic_leaves_the_other_views_working() {
    let mut a = App::new(Data::new(common::main_registry()), 100, 30, Theme { color: false });
    // The first update asks for the layout; the job answers with the panic.
    let asked = a.update(Event::Tick(0.0));
    let Some(Effect::LayOut { generation, registry }) = asked.into_iter().next() else {
        panic!("the map's layout was not asked for")
    };
    let layouts = lay_out_with(boom, &registry);
    a.update(Event::Map { generation, layouts });
    common::run_command(&mut a, "map");
    let s = common::screen(&a);
    assert!(
        s.contains("The map could not be drawn: the layout failed (injected layout panic"),
        "{s}"
    );
    // Keys on the empty map do nothing harmful.
    for k in ['-', '+', 'f', 'z'] {
        common::press(&mut a, crossterm::event::KeyCode::Char(k));
    }
    common::press(&mut a, crossterm::event::KeyCode::Right);
    common::run_command(&mut a, "topics");
    let s = common::screen(&a);
    assert!(s.contains("config_events"), "{s}");
}

#[test]
fn a_layout_of_a_replaced_registry_is_dropped() {
    let mut a = App::new(Data::new(common::main_registry()), 100, 30, Theme { color: false });
    let Some(Effect::LayOut { generation, registry }) = a.update(Event::Tick(0.0)).into_iter().next() else {
        panic!("the map's layout was not asked for")
    };
    let text = std::fs::read_to_string(common::root().join("registry.yaml")).unwrap();
    let fx = a.update(Event::Reload(Box::new(ktopo::core::registry::load_str(
        "registry.yaml",
        text,
    ))));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LayOut { generation: g, .. } if *g == generation + 1)),
        "a reload asks for the new registry's layout: {fx:?}"
    );
    // The old one's answer arrives late: it is not the map of this registry.
    a.update(Event::Map {
        generation,
        layouts: lay_out_with(layered, &registry),
    });
    assert!(matches!(a.data.map, MapState::Pending), "{:?}", a.data.map);
}

static LAID_OUT: AtomicUsize = AtomicUsize::new(0);

fn counted(reg: &Registry) -> Vec<Layout> {
    LAID_OUT.fetch_add(1, Ordering::SeqCst);
    layered(reg)
}

#[test]
fn replaced_registries_are_not_laid_out() {
    let text = ktopo::core::synthetic::registry(400, 2_000);
    let reg = Arc::new(
        ktopo::core::registry::load_str("synthetic.yaml", text)
            .registry
            .expect("valid"),
    );
    // Ten reloads, each replacing the last (as `r` or the file watcher does), queued
    // before the job looks.
    let (tx, rx) = std::sync::mpsc::channel();
    for generation in 0..10 {
        tx.send((generation, Arc::clone(&reg))).unwrap();
    }
    drop(tx);
    let answers = std::sync::Mutex::new(Vec::new());
    layout_job::serve(&rx, counted, |ev| {
        answers.lock().unwrap().push(ev);
        true
    });
    assert_eq!(LAID_OUT.load(Ordering::SeqCst), 1, "one layout for ten reloads");
    let answers = answers.into_inner().unwrap();
    let [Event::Map {
        generation: 9,
        layouts: Ok(l),
    }] = answers.as_slice()
    else {
        panic!("{answers:?}")
    };
    assert!(!l.is_empty());
}
