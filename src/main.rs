use clap::Parser;

fn main() {
    std::process::exit(ktopo::cli::run(ktopo::cli::Cli::parse()));
}
