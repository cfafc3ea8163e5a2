//! Raw verification speed per scheme, one thread and every core: what
//! `bench/passwords-bench.sh` prints next to `john --test`. Not a test.
//!
//! `cargo run --release -p kensa-passwords --example speed [SECONDS]`

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use kensa_passwords::verify::prepare;
use rayon::prelude::*;
use std::time::{Duration, Instant};

/// One reference hash per scheme (made by libxcrypt's mkpasswd; see tests/fixtures).
const HASHES: &[(&str, &str)] = &[
    ("descrypt", "pm9TTa/K1jffg"),
    ("bigcrypt (2 segments)", "oBOyta.U/SQ3I3sq57ZA2rfc"),
    ("bsdicrypt (725 rounds)", "_J9..6PdEz7CxHxFvhdo"),
    ("md5crypt", "$1$ows0Mp2t$oXgzp9lPUV7gzhrwPCxCw1"),
    (
        "sha256crypt (5000)",
        "$5$Z4aOErg/fXz2oC4d$eGxgTtDyh5SVxzeE1i1KZrSqtWrZeVzvXnkI3jXtolB",
    ),
    (
        "sha512crypt (5000)",
        "$6$hOgSNyRo42GszD/7$jpkLOIoNLXw0dKckVkiJ03AdMINQy6tbmt4B/aMbZizRRqcxRD6ziRr3Tmoz.E3GCaAXoTTwi2v/BE.vbqm880",
    ),
    (
        "bcrypt (cost 5)",
        "$2b$05$FuxjMt.zfSMWp7y9KLrFr.F.Hgfn4Xi3MoIQ3PM01jWYSFn7BPH6e",
    ),
    (
        "yescrypt (j9T, 16 MiB)",
        "$y$j9T$/pog9zWTXtZHWO/IokvJq1$q9s07VbnBXu8D70/40cXBOBNnsK9d0aA5wxC.ly1Vx2",
    ),
    (
        "scrypt (CU, 64 MiB)",
        "$7$CU..../....yJR6H.bc2J7NsNfbEZNCh/$V71vsDzrj0dPvfhMkjVNjS0a7INO9SnFW0My.PLLd74",
    ),
];

fn main() {
    let secs: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2.0);
    let span = Duration::from_secs_f64(secs);
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    println!("scheme\tone thread c/s\t{cores} threads c/s");
    for (name, hash) in HASHES {
        let prepared = prepare(hash.as_bytes(), 1 << 30).expect("supported");
        let one = {
            let start = Instant::now();
            let mut n = 0u64;
            while start.elapsed() < span {
                let candidate = format!("guess{n}");
                assert!(!prepared.verify(candidate.as_bytes(), hash));
                n += 1;
            }
            n as f64 / start.elapsed().as_secs_f64()
        };
        let all = {
            let start = Instant::now();
            let mut n = 0u64;
            while start.elapsed() < span {
                let batch = (cores as u64 * ((one as u64 / 10).max(1))).max(cores as u64);
                (n..n + batch).into_par_iter().for_each(|i| {
                    let candidate = format!("guess{i}");
                    assert!(!prepared.verify(candidate.as_bytes(), hash));
                });
                n += batch;
            }
            n as f64 / start.elapsed().as_secs_f64()
        };
        println!("{name}\t{one:.0}\t{all:.0}");
    }
}
