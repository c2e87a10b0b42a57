//! Map cells as SVG pixels, shared by the SVG (`svg`) and its strips (`svg_pages`).

/// A cell's width and height in pixels.
pub const CW: f64 = 8.0;
pub const CH: f64 = 16.0;

/// Pixel x of a path point: the first starts at its box's border, not the middle of
/// the cell beside it, so a line touches the box it leaves.
pub fn px(i: usize, x: u32) -> f64 {
    if i == 0 {
        f64::from(x) * CW
    } else {
        (f64::from(x) + 0.5) * CW
    }
}
