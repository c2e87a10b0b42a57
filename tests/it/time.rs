//! Dates, instants and durations as ktopo reads and writes them.

use ktopo::core::time::{ago, ago_short, clock, days, rfc3339, short_duration};

#[test]
fn a_registry_date_is_a_day_the_calendar_has() {
    assert_eq!(days("1970-01-01"), Some(0));
    assert_eq!(days("1969-12-31"), Some(-1));
    assert_eq!(days("2026-11-24").unwrap() - days("2026-06-01").unwrap(), 176);
    assert_eq!(
        days("2024-03-01").unwrap() - days("2024-02-28").unwrap(),
        2,
        "leap year"
    );
    assert_eq!(
        days(" 2026-11-24T10:00:00Z"),
        days("2026-11-24"),
        "what follows is ignored"
    );
    assert!(days("2024-02-29").is_some());
    for bad in [
        "2023-02-29",
        "2024-02-31",
        "2026-04-31",
        "2026-13-01",
        "2026-00-10",
        "soon",
        "",
    ] {
        assert_eq!(days(bad), None, "{bad}");
    }
}

#[test]
fn instants_are_rfc3339_to_the_millisecond() {
    assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
    assert_eq!(rfc3339(-1), "1969-12-31T23:59:59.999Z");
    assert_eq!(rfc3339(1_795_926_667_123), "2026-11-29T04:31:07.123Z");
    assert_eq!(
        rfc3339(days("2024-02-29").unwrap() * 86_400_000),
        "2024-02-29T00:00:00.000Z"
    );
}

#[test]
fn durations_in_words_and_in_cells() {
    let cases = [
        (-5_000, "0 s", "0s"),
        (42_000, "42 s", "42s"),
        (119_999, "119 s", "119s"),
        (120_000, "2 min", "2m"),
        (7_199_999, "119 min", "119m"),
        (7_200_000, "2 h", "2h"),
        (172_799_999, "47 h", "47h"),
        (172_800_000, "2 days", "2d"),
        (12 * 86_400_000, "12 days", "12d"),
    ];
    for (ms, long, short) in cases {
        assert_eq!((ago(ms).as_str(), ago_short(ms).as_str()), (long, short), "{ms} ms");
    }
    for (s, cell) in [
        (-1.0, "0s"),
        (59.4, "59s"),
        (59.6, "1m00s"),
        (245.0, "4m05s"),
        (3_725.0, "1h02m"),
        (86_399.0, "23h59m"),
        (3.0 * 86_400.0 + 4.0 * 3600.0, "3d4h"),
    ] {
        assert_eq!(short_duration(s), cell, "{s} s");
    }
}

#[test]
fn a_time_of_day_is_hh_mm_ss_utc() {
    assert_eq!(clock(0), "00:00:00");
    assert_eq!(clock(1_796_126_400_000), "12:00:00");
    assert_eq!(clock(1_796_126_400_000 + 3_723_999), "13:02:03", "milliseconds dropped");
}
