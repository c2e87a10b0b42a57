fn main() {
    let path = std::env::args().nth(1).unwrap();
    let c = ktopo::registry::load(std::path::Path::new(&path)).unwrap();
    print!("{}", ktopo::diag::render(&c.source, &c.diagnostics, false));
    println!("exit {}", c.exit_code());
}
