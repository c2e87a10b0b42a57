//! Status rules (every Burrow case plus IDLE) and time-lag interpolation, as tables.

use ktopo::live::status::{evaluate, Rules, Sample};
use ktopo::live::timelag::{Table, TimeLag};
use ktopo::live::view::Health;

/// Samples one second apart from (committed, lag, log_moved).
fn w(rows: &[(i64, i64, bool)]) -> Vec<Sample> {
    rows.iter()
        .enumerate()
        .map(|(i, &(committed, lag, log_moved))| Sample {
            time_s: i as f64,
            committed,
            lag,
            log_moved,
        })
        .collect()
}

/// (name, window, seconds since the offset moved, group members, expected)
type Case = (&'static str, Vec<Sample>, f64, Option<usize>, Health);

#[test]
fn status_rules_table() {
    let rules = Rules {
        min_samples: 3,
        allowed_lag: 0,
        stop_after_s: 60.0,
        warn_samples: 5,
    };
    let t = true;
    let f = false;
    #[rustfmt::skip]
    let cases: &[Case] = &[
        ("too few samples", w(&[(10, 0, t), (12, 0, t)]), 0.0, None, Health::Unknown),
        ("caught up with traffic", w(&[(10, 2, t), (14, 1, t), (20, 0, t)]), 0.0, None, Health::Ok),
        ("caught up, no traffic: idle", w(&[(10, 0, f), (10, 0, f), (10, 0, f)]), 90.0, None, Health::Idle),
        ("no traffic but lag: stuck, not idle", w(&[(10, 5, f), (10, 5, f), (10, 5, f)]), 10.0, None, Health::Stall),
        ("lag dips to zero once: ok", w(&[(10, 3, t), (13, 0, t), (15, 2, t)]), 0.0, None, Health::Ok),
        ("moving, lag jitters: ok", w(&[(10, 3, t), (14, 5, t), (20, 2, t), (22, 4, t), (27, 3, t)]), 0.0, None, Health::Ok),
        ("lag grows every sample: warn", w(&[(10, 3, t), (12, 6, t), (14, 9, t), (16, 12, t), (18, 15, t)]), 0.0, None, Health::Warn),
        ("lag grows, too short for warn", w(&[(10, 3, t), (12, 6, t), (14, 9, t)]), 0.0, None, Health::Ok),
        ("lag flat, moving: ok", w(&[(10, 3, t), (13, 3, t), (16, 3, t), (19, 3, t), (22, 3, t)]), 0.0, None, Health::Ok),
        ("offset stuck, lag: stall", w(&[(10, 3, t), (10, 6, t), (10, 9, t)]), 20.0, None, Health::Stall),
        ("offset stuck long: stop", w(&[(10, 3, t), (10, 6, t), (10, 9, t)]), 61.0, None, Health::Stop),
        ("offset stuck, group empty: stop", w(&[(10, 3, t), (10, 6, t), (10, 9, t)]), 5.0, Some(0), Health::Stop),
        ("offset stuck, members alive: stall", w(&[(10, 3, t), (10, 6, t), (10, 9, t)]), 5.0, Some(2), Health::Stall),
        ("rewind never recovered", w(&[(10, 1, t), (20, 1, t), (5, 16, t)]), 0.0, None, Health::Rewind),
        ("rewind recovered: ok", w(&[(10, 1, t), (5, 6, t), (25, 0, t)]), 0.0, None, Health::Ok),
        ("lag at allowed: ok", w(&[(10, 0, t), (10, 0, t), (20, 0, t)]), 0.0, None, Health::Ok),
    ];
    for (name, window, since, members, want) in cases {
        assert_eq!(evaluate(window, *since, *members, &rules), *want, "{name}");
    }
    let lenient = Rules {
        allowed_lag: 5,
        ..rules
    };
    assert_eq!(
        evaluate(&w(&[(10, 3, t), (10, 4, t), (10, 5, t)]), 100.0, None, &lenient),
        Health::Ok
    );
}

#[test]
fn health_orders_best_to_worst() {
    use Health::*;
    let mut v = vec![Stop, Ok, Warn, Idle, Rewind, Unknown, Stall];
    v.sort();
    assert_eq!(v, [Idle, Ok, Unknown, Warn, Stall, Rewind, Stop]);
    assert_eq!(Health::parse("warn"), Some(Warn));
    assert!(Warn.is_problem() && !Ok.is_problem());
}

fn table(points: &[(i64, f64)]) -> Table {
    let mut t = Table::new(64);
    for &(o, s) in points {
        t.push(o, s);
    }
    t
}

#[test]
fn time_lag_interpolates_between_points() {
    let t = table(&[(100, 0.0), (200, 10.0), (400, 20.0)]);
    // Offset 300 was the log end at 15 s; at 25 s it is 10 s behind.
    assert_eq!(
        t.lag_at(300, 25.0),
        Some(TimeLag {
            seconds: 10.0,
            approximate: false
        })
    );
    assert_eq!(
        t.lag_at(150, 25.0),
        Some(TimeLag {
            seconds: 20.0,
            approximate: false
        })
    );
    assert_eq!(
        t.lag_at(400, 25.0),
        Some(TimeLag {
            seconds: 0.0,
            approximate: false
        })
    );
    assert_eq!(
        t.lag_at(500, 25.0),
        Some(TimeLag {
            seconds: 0.0,
            approximate: false
        })
    );
}

#[test]
fn time_lag_extrapolates_older_offsets_as_approximate() {
    let t = table(&[(100, 10.0), (200, 20.0)]);
    let got = t.lag_at(50, 20.0).unwrap();
    assert!(got.approximate);
    assert!((got.seconds - 15.0).abs() < 1e-9, "{got:?}");
}

#[test]
fn time_lag_needs_two_points() {
    assert_eq!(table(&[(100, 0.0)]).lag_at(50, 5.0), None);
    assert_eq!(table(&[]).lag_at(50, 5.0), None);
}

#[test]
fn flat_runs_keep_first_and_latest_point() {
    let t = table(&[(100, 0.0), (200, 10.0), (200, 20.0), (200, 30.0), (300, 40.0)]);
    assert_eq!(t.len(), 4);
    // 200 was still the log end at 30 s, so at 50 s the consumer is 20 s behind
    // (the newest pair around the offset wins).
    assert_eq!(
        t.lag_at(200, 50.0),
        Some(TimeLag {
            seconds: 20.0,
            approximate: false
        })
    );
    assert_eq!(
        t.lag_at(150, 50.0),
        Some(TimeLag {
            seconds: 45.0,
            approximate: false
        })
    );
}

#[test]
fn offset_going_down_resets_the_table() {
    let t = table(&[(100, 0.0), (200, 10.0), (5, 20.0)]);
    assert_eq!(t.len(), 1);
}
