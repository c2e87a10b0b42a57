//! Print a generated registry: `cargo run --example synthetic_registry -- SERVICES TOPICS`.
//! Used by the scale scripts under benches/ (demo at scale, the long soak).

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>().unwrap_or(0));
    let services = args.next().unwrap_or(100);
    let topics = args.next().unwrap_or(300);
    print!("{}", ktopo::core::synthetic::registry(services, topics));
}
