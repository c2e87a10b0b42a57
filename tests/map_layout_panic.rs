//! A panic while laying out the map (injected) is contained: the map says so, the
//! other views go on. Its own test binary: the injection is process-wide.

#[path = "it/common.rs"]
mod common;
use ktopo::tui::app::App;
use ktopo::tui::data::Data;
use ktopo::tui::theme::Theme;

#[test]
fn a_layout_panic_leaves_the_other_views_working() {
    std::env::set_var("KTOPO_INJECT_PANIC", "layout");
    let mut a = App::new(Data::new(common::main_registry()), 100, 30, Theme { color: false });
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
