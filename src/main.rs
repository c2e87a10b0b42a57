fn main() {
    std::process::exit(ktopo::cli::main());
}
