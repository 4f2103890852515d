//! Assembly benchmark: walk and examine one tree as a scan does (with the result cache, if
//! given, so that a second run skips the detectors), then time the assembly of its
//! components (`assemble_root`) several times on the same examined files.
//!
//! Usage: `cargo run --release --example assemble_bench -- [--runs N] [--result-cache DIR] DIR`;
//! prints the files, the components and the fastest and the median assembly.

use kataster::{assemble, cache::ResultCache, evidence, walk};
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The allocator of the kataster binary, so that assembly is timed as a scan runs it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut runs, mut cache_dir, mut root) = (5usize, None, None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(runs),
            "--result-cache" => cache_dir = args.next().map(PathBuf::from),
            _ => root = Some(PathBuf::from(a)),
        }
    }
    let Some(root) = root else {
        eprintln!("usage: assemble_bench [--runs N] [--result-cache DIR] DIR");
        std::process::exit(2);
    };
    let label = "bench";
    let walked = walk::walk(&root, label, &walk::WalkOptions::default()).unwrap_or_else(|e| {
        eprintln!("{}: {e}", root.display());
        std::process::exit(2);
    });
    let cache = cache_dir.map(|d| ResultCache::open(&d, label));
    let examined: Vec<evidence::Examined> =
        walked.files.par_iter().map(|f| evidence::examine_cached(label, f, 16 << 20, cache.as_ref())).collect();
    if let Some(c) = cache {
        c.finish();
    }
    let mut times: Vec<Duration> = Vec::new();
    let mut components = 0;
    for _ in 0..runs.max(1) {
        let copy: Vec<evidence::Examined> = examined.iter().map(copy_of).collect();
        let t = Instant::now();
        let (c, _, _) = assemble::assemble_root(label, copy);
        times.push(t.elapsed());
        components = c.len();
    }
    times.sort();
    println!(
        "{} files, {components} components: assembly fastest {:.1} ms, median {:.1} ms ({} runs)",
        examined.len(),
        times[0].as_secs_f64() * 1e3,
        times[times.len() / 2].as_secs_f64() * 1e3,
        times.len()
    );
}

fn copy_of(ex: &evidence::Examined) -> evidence::Examined {
    evidence::Examined {
        record: ex.record.clone(),
        catalogs: ex.catalogs.iter().map(|(name, r)| (*name, r.clone())).collect(),
        diagnostics: ex.diagnostics.clone(),
        bytes_read: ex.bytes_read,
        reuse: ex.reuse.clone(),
    }
}
