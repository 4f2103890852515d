use clap::Parser;

fn main() {
    let cli = kataster::cli::Cli::parse();
    std::process::exit(kataster::cli::run(cli));
}
