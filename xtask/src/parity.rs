//! `cargo xtask test-parity NATIVE.log SBF.log`: compares two `cargo test` outputs of the
//! same suite, one on the native build and one on the SBF `.so`, test by test. They must run
//! the same tests with the same outcomes; the only difference allowed is a test ignored with
//! a reason in one run (e.g. compute units, which are real only on SBF), and each of those
//! is listed with its reason.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use anyhow::{bail, Context, Result};

/// A test's outcome as libtest prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    Passed,
    Failed,
    /// Ignored, with the reason given to `#[ignore = "..."]` (empty if none).
    Ignored(String),
}

/// Outcomes by (test binary, test name).
type Run = BTreeMap<(String, String), Outcome>;

/// Reads the outcomes in a `cargo test` log.
fn parse(log: &str) -> Run {
    let mut run = Run::new();
    let mut binary = String::new();
    for line in log.lines() {
        let line = line.trim_end();
        if let Some(rest) = line.trim_start().strip_prefix("Running ") {
            // "unittests src/lib.rs (target/debug/deps/serviceability_client-0123abcd)"
            let source = rest.split(" (").next().unwrap_or(rest);
            let artifact = rest.rsplit('/').next().unwrap_or("").trim_end_matches(')');
            let crate_name = artifact.rsplit_once('-').map_or(artifact, |(name, _)| name);
            binary = format!("{crate_name}: {source}");
        } else if let Some(rest) = line.trim_start().strip_prefix("Doc-tests ") {
            binary = format!("doc-tests {rest}");
        } else if let Some(rest) = line.strip_prefix("test ") {
            let Some((name, outcome)) = rest.split_once(" ... ") else {
                continue;
            };
            let outcome = match outcome {
                "ok" => Outcome::Passed,
                "FAILED" => Outcome::Failed,
                ignored if ignored.starts_with("ignored") => Outcome::Ignored(
                    ignored
                        .trim_start_matches("ignored")
                        .trim_start_matches(", ")
                        .to_string(),
                ),
                _ => continue,
            };
            run.insert((binary.clone(), name.to_string()), outcome);
        }
    }
    run
}

/// Compares the two runs; fails listing every difference that is not an ignore with a reason.
pub fn compare(native_log: &Path, sbf_log: &Path) -> Result<()> {
    let read = |path: &Path| {
        fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
    };
    let native = parse(&read(native_log)?);
    let sbf = parse(&read(sbf_log)?);
    if native.is_empty() || sbf.is_empty() {
        bail!("a log holds no test results: is it `cargo test` output?");
    }
    let mut problems = Vec::new();
    let mut skipped_native = Vec::new();
    let mut skipped_sbf = Vec::new();
    let mut both = 0;
    for (key, native_outcome) in &native {
        let (binary, test) = key;
        let Some(sbf_outcome) = sbf.get(key) else {
            problems.push(format!("{binary}: {test}: only in the native run"));
            continue;
        };
        match (native_outcome, sbf_outcome) {
            (a, b) if a == b => both += 1,
            (Outcome::Ignored(reason), Outcome::Passed) if !reason.is_empty() => {
                skipped_native.push(format!("{binary}: {test}: {reason}"))
            }
            (Outcome::Passed, Outcome::Ignored(reason)) if !reason.is_empty() => {
                skipped_sbf.push(format!("{binary}: {test}: {reason}"))
            }
            (a, b) => problems.push(format!("{binary}: {test}: native {a:?}, SBF {b:?}")),
        }
    }
    for (binary, test) in sbf.keys().filter(|key| !native.contains_key(*key)) {
        problems.push(format!("{binary}: {test}: only in the SBF run"));
    }
    println!(
        "test parity: {} tests in each run; {both} with the same outcome on both",
        native.len()
    );
    println!("skipped natively, run on SBF ({}):", skipped_native.len());
    for line in &skipped_native {
        println!("  {line}");
    }
    println!("skipped on SBF, run natively ({}):", skipped_sbf.len());
    for line in &skipped_sbf {
        println!("  {line}");
    }
    if !problems.is_empty() {
        bail!("the runs differ:\n  {}", problems.join("\n  "));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NATIVE: &str = "\
     Running unittests src/lib.rs (target/debug/deps/serviceability-0123)
test state::a ... ok
     Running tests/compute_units.rs (target/debug/deps/compute_units-4567)
test ceilings ... ignored, compute units are real only on SBF
   Doc-tests serviceability
";

    #[test]
    fn outcomes_are_keyed_by_binary_and_name() {
        let run = parse(NATIVE);
        assert_eq!(
            run.get(&(
                "serviceability: unittests src/lib.rs".into(),
                "state::a".into()
            )),
            Some(&Outcome::Passed)
        );
        assert_eq!(
            run.get(&(
                "compute_units: tests/compute_units.rs".into(),
                "ceilings".into()
            )),
            Some(&Outcome::Ignored(
                "compute units are real only on SBF".into()
            ))
        );
    }

    fn compare_texts(native: &str, sbf: &str) -> Result<()> {
        let dir = std::env::temp_dir().join(format!("parity-{}", std::process::id()));
        fs::create_dir_all(&dir)?;
        let (a, b) = (dir.join("native.log"), dir.join("sbf.log"));
        fs::write(&a, native)?;
        fs::write(&b, sbf)?;
        let result = compare(&a, &b);
        fs::remove_dir_all(&dir)?;
        result
    }

    #[test]
    fn an_ignore_with_a_reason_is_the_only_difference_allowed() {
        let sbf = NATIVE.replace("ignored, compute units are real only on SBF", "ok");
        compare_texts(NATIVE, &sbf).expect("allowed");
        let failed = NATIVE.replace("test state::a ... ok", "test state::a ... FAILED");
        assert!(compare_texts(NATIVE, &failed).is_err());
        let bare_ignore = NATIVE.replace("test state::a ... ok", "test state::a ... ignored");
        assert!(compare_texts(NATIVE, &bare_ignore).is_err());
        let missing = NATIVE.replace("test state::a ... ok\n", "");
        assert!(compare_texts(NATIVE, &missing).is_err());
    }
}
