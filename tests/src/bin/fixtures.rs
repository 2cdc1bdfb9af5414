//! Writes the layout fixtures (`tests/fixtures/<name>.bin` and `<name>.json`), or with
//! `--check` fails when the committed ones differ from a fresh build. Run through
//! `cargo xtask fixtures [--check]`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serviceability_tests::fixtures::{build, twin_text};

fn main() -> ExitCode {
    let check = match std::env::args().skip(1).collect::<Vec<_>>().as_slice() {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => {
            eprintln!("usage: fixtures [--check]");
            return ExitCode::from(2);
        }
    };
    let directory = fixtures_dir();
    let mut stale = Vec::new();
    for fixture in build() {
        let twin = twin_text(&fixture.twin().expect("a fresh fixture decodes"));
        let files = [
            (
                directory.join(format!("{}.bin", fixture.name)),
                fixture.data.clone(),
            ),
            (
                directory.join(format!("{}.json", fixture.name)),
                twin.into_bytes(),
            ),
        ];
        for (path, bytes) in files {
            if check {
                if std::fs::read(&path).ok().as_ref() != Some(&bytes) {
                    stale.push(path);
                }
            } else {
                std::fs::create_dir_all(&directory).expect("fixtures directory");
                std::fs::write(&path, bytes).expect("fixture written");
                println!("wrote {}", path.display());
            }
        }
    }
    if stale.is_empty() {
        ExitCode::SUCCESS
    } else {
        for path in stale {
            eprintln!("stale or missing: {}", path.display());
        }
        eprintln!("regenerate with `cargo xtask fixtures` and commit the result");
        ExitCode::FAILURE
    }
}

/// `tests/fixtures` in the workspace.
fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}
