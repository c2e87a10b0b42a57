//! The SVG map wrapped onto a page: strips that fit the page width, every column in
//! exactly one, names whole, and every line that leaves a strip numbered the same way
//! where it enters the next.

use crate::common;
use assert_cmd::Command;
use ktopo::core::export::{self, Part};
use ktopo::core::map::{layout, svg, svg_pages};
use ktopo::core::topology::Topology;
use regex::Regex;

fn marks(svg: &str, class: &str) -> Vec<Vec<usize>> {
    // Per strip (each strip's group ends in </g>), its marks of `class`, sorted.
    let re = Regex::new(&format!(
        r#"<text class="{class}"[^>]*>(?:&#x25B8;)?(\d+)(?:&#x25B8;)?</text>"#
    ))
    .unwrap();
    svg.split(r#"<g transform="translate("#)
        .skip(1)
        .map(|strip| {
            let mut v: Vec<usize> = re.captures_iter(strip).map(|c| c[1].parse().unwrap()).collect();
            v.sort();
            v
        })
        .collect()
}

#[test]
fn a_wide_map_is_wrapped_onto_strips_that_fit_the_page_and_whose_lines_join_up() {
    let registries = [
        ("registry.yaml", common::load("registry.yaml")),
        (
            "synthetic 12x16",
            ktopo::core::registry::load_str("synthetic.yaml", ktopo::core::synthetic::registry(12, 16))
                .registry
                .expect("valid"),
        ),
    ];
    let svg_width = Regex::new(r#"^<svg [^>]*width="(\d+)""#).unwrap();
    for (path, reg) in registries {
        let topo = Topology::build(&reg);
        let geo = svg::geometry(&reg, &Part::All);
        let l = layout::layout_part_at(&reg, &topo, &Part::All, geo);
        let strips = svg_pages::strips(&l, 1280);
        assert!(
            strips.len() > 2,
            "{path}: {} strips for {} px",
            strips.len(),
            l.width * 8
        );
        // Columns in order, each in exactly one strip; each strip within the page.
        let mut next = 0;
        for s in &strips {
            assert_eq!(s.layers.0, next, "{path}: {strips:?}");
            assert!(s.layers.1 >= s.layers.0);
            next = s.layers.1 + 1;
            assert!(s.x1 - s.x0 + 64.0 <= 1280.0, "{path}: a strip {} px wide", s.x1 - s.x0);
            assert!(s.y1 > s.y0);
        }
        assert_eq!(next, l.layers);
        // What leaves a strip enters the next, with the same numbers.
        for w in strips.windows(2) {
            assert_eq!(w[0].marks_out, w[1].marks_in, "{path}");
        }
        assert!(strips[0].marks_in.is_empty() && strips.last().unwrap().marks_out.is_empty());
        // The SVG says the same: in-marks of a strip are the out-marks of the one before.
        let text = export::svg(&reg, &topo, &Part::All, 1280);
        let (ins, outs) = (marks(&text, "mark-in"), marks(&text, "mark-out"));
        assert_eq!(ins.len(), strips.len());
        for k in 1..strips.len() {
            assert_eq!(ins[k], outs[k - 1], "{path}: strip {}", k + 1);
            assert!(!ins[k].is_empty(), "{path}: nothing crosses into strip {}", k + 1);
        }
        let width: f64 = svg_width.captures(&text).unwrap()[1].parse().unwrap();
        assert!(width <= 1280.0, "{path}: {width}");
        // The map is drawn once; each strip shows it through its own clip.
        assert_eq!(text.matches("<polyline").count(), l.edges.len());
        assert_eq!(text.matches("<use ").count(), strips.len());
    }
}

#[test]
fn page_width_zero_draws_one_strip_and_a_narrow_page_is_refused() {
    let root = common::root();
    let out = Command::cargo_bin("ktopo")
        .unwrap()
        .current_dir(&root)
        .args(["export", "--format", "svg", "--page-width", "0"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("part 1 of"), "not wrapped");
    assert!(!text.contains("<use "));
    let out = Command::cargo_bin("ktopo")
        .unwrap()
        .current_dir(&root)
        .args(["export", "--format", "svg", "--page-width", "300"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("300 px is narrower than two columns"), "{err}");
}

#[test]
fn a_map_that_fits_the_page_is_one_strip_with_no_marks() {
    let reg = common::main_registry();
    let topo = Topology::build(&reg);
    let target = ktopo::core::impact::resolve(&reg, "service:research_engine").unwrap();
    let part = Part::focus(&reg, &topo, &target, ktopo::core::impact::Dir::Downstream, Some(2));
    let text = export::svg(&reg, &topo, &part, 1280);
    assert!(!text.contains("mark-out") && !text.contains("<use "), "{text}");
}
