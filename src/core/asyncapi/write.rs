pub fn render(_r: &crate::core::registry::Registry) -> String {
    String::new()
}
