use clap::Parser;

/// A scan allocates millions of small strings (names, versions, purls, words); mimalloc
/// handles that pattern far better than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = kataster::cli::Cli::parse();
    std::process::exit(kataster::cli::run(cli));
}
