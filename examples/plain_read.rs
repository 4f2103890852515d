//! The baseline for kataster's benchmarks: walk a tree the way kataster does (parallel,
//! hidden files included, no ignore files, symlinks not followed, `.git/` skipped) and read
//! every regular file once, doing nothing with the bytes. A scan can only be as fast as this.
//!
//! Usage: `cargo run --release --example plain_read -- [--hash] DIR...`; prints files, bytes,
//! seconds. With `--hash` it also computes the SHA-256 and SHA-1 of every file, as every
//! scan must for its inventory and SBOMs: the floor of any scan that records file hashes.

use std::io::Read;

/// The allocator of the kataster binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::sync::atomic::{AtomicU64, Ordering};

fn main() {
    let mut roots: Vec<String> = std::env::args().skip(1).collect();
    let hash = roots.first().is_some_and(|a| a == "--hash");
    if hash {
        roots.remove(0);
    }
    if roots.is_empty() {
        eprintln!("usage: plain_read [--hash] DIR...");
        std::process::exit(2);
    }
    let t0 = std::time::Instant::now();
    let files = AtomicU64::new(0);
    let bytes = AtomicU64::new(0);
    let mut builder = ignore::WalkBuilder::new(&roots[0]);
    for r in &roots[1..] {
        builder.add(r);
    }
    builder
        .hidden(false)
        .parents(false)
        .ignore(false)
        .git_ignore(false)
        .git_exclude(false)
        .git_global(false)
        .follow_links(false)
        .filter_entry(|e| !(e.file_name() == ".git" && e.depth() > 0));
    builder.build_parallel().run(|| {
        Box::new(|entry| {
            if let Ok(e) = entry
                && e.file_type().is_some_and(|t| t.is_file())
                && let Ok(mut f) = std::fs::File::open(e.path())
            {
                let mut buf = Vec::new();
                if f.read_to_end(&mut buf).is_ok() {
                    if hash {
                        use sha1::Digest;
                        std::hint::black_box(sha2::Sha256::digest(&buf));
                        std::hint::black_box(sha1::Sha1::digest(&buf));
                    }
                    files.fetch_add(1, Ordering::Relaxed);
                    bytes.fetch_add(buf.len() as u64, Ordering::Relaxed);
                }
            }
            ignore::WalkState::Continue
        })
    });
    println!(
        "files={} bytes={} seconds={:.3}",
        files.load(Ordering::Relaxed),
        bytes.load(Ordering::Relaxed),
        t0.elapsed().as_secs_f64()
    );
}
