//! What the CLI prints, every command family, as a table and as JSON, against the committed
//! `tests/golden/commands.txt`: the script of `common/script.rs` (every write and read kind,
//! refusals, input errors, a dry run) and the commands it leaves out, on a fresh embedded
//! ledger running the native program, with fresh keys. What varies from run to run by nature
//! is blanked: the roles' keys by their names, signatures, clock readings, slots, blockhashes
//! and the temporary directory. A change to any command's output shows here as a diff.
//!
//! `SERVICEABILITY_BLESS=1 cargo test -p serviceability-cli --test cli_golden` rewrites the
//! file after a deliberate change.

mod common;

use std::path::PathBuf;

use common::script::{self, role, Signer, Step, SIGNERS};
use common::{Env, Run};
use regex::Regex;

/// The commands the script leaves out, after it (device `fra-1` exists, with the user
/// 100.64.0.1 and the reservation of 100.64.0.1).
fn more_steps(env: &Env) -> Vec<Step> {
    let stranger = env.stranger.pubkey.to_string();
    let steps: Vec<(Signer, Vec<&str>, i32)> = vec![
        (Signer::Admin, vec!["reservations", "pause"], 0),
        (Signer::Admin, vec!["reservations", "resume"], 0),
        (
            Signer::Admin,
            vec!["authority", "propose-admin", &stranger],
            0,
        ),
        (Signer::Stranger, vec!["authority", "show"], 0),
        (
            Signer::Admin,
            vec!["authority", "propose-admin", "--withdraw"],
            0,
        ),
        (
            Signer::Foundation,
            vec![
                "device",
                "create",
                "--code",
                "ams-1",
                "--public-ip",
                "203.0.114.8",
                "--max-users",
                "2",
                "--metrics-publisher",
                &stranger,
            ],
            0,
        ),
        (Signer::Foundation, vec!["device", "close", "ams-1"], 0),
        (
            Signer::Stranger,
            vec!["reservation", "prune", "--device", "fra-1"],
            0,
        ),
        (Signer::Stranger, vec!["lookup-table", "list", "fra-1"], 0),
        (Signer::Publisher, vec!["lookup-table", "close", "fra-1"], 2),
        (Signer::Stranger, vec!["ledger", "info"], 0),
        (Signer::Admin, vec!["allowlist", "remove", &stranger], 1),
    ];
    script::to_steps(steps)
}

/// Runs `args` signed by `signer` with `--output FORMAT`, always on the native program (the
/// golden file is one, whichever runtime the suite runs the other tests on).
fn run(env: &Env, signer: Signer, args: &[String], format: &str) -> Run {
    let mut full = env.cluster_args();
    full.extend(
        [
            "-k",
            role(env, signer).path.to_str().unwrap(),
            "--output",
            format,
        ]
        .map(String::from),
    );
    full.extend_from_slice(args);
    let full: Vec<&str> = full.iter().map(String::as_str).collect();
    let mut command = env.command(&full);
    command.env_remove("SERVICEABILITY_SO");
    Run::of(command)
}

/// Blanks what varies by nature in `text`.
struct Blanks {
    names: Vec<(String, String)>,
    patterns: Vec<(Regex, &'static str)>,
}

impl Blanks {
    fn new(envs: &[&Env]) -> Self {
        let env = envs[0];
        let mut names: Vec<(String, String)> = SIGNERS
            .into_iter()
            .map(|signer| {
                (
                    role(env, signer).pubkey.to_string(),
                    format!("<{signer:?}>"),
                )
            })
            .collect();
        for env in envs {
            names.push((env.dir.path().display().to_string(), "<dir>".into()));
        }
        let pattern = |regex: &str, blank| (Regex::new(regex).expect("a valid regex"), blank);
        Blanks {
            names,
            patterns: vec![
                // A signature is 64 bytes: 86 to 88 base58 characters.
                pattern(r"\b[1-9A-HJ-NP-Za-km-z]{86,88}\b", "<signature>"),
                pattern(
                    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})",
                    "<time>",
                ),
                pattern(r#""unix": -?\d+"#, r#""unix": "<unix>""#),
                pattern(r"(?m)^(Slot:\s+)\d+", "${1}<slot>"),
                pattern(
                    r#""(slot|remaining_secs|clock|unix_timestamp)": \d+"#,
                    r#""$1": "<clock>""#,
                ),
                pattern(
                    r#""(recent_blockhash|blockhash)": "[1-9A-HJ-NP-Za-km-z]+""#,
                    r#""$1": "<blockhash>""#,
                ),
            ],
        }
    }

    fn apply(&self, text: &str) -> String {
        let mut text = text.to_string();
        for (value, name) in &self.names {
            text = text.replace(value, name);
        }
        for (regex, blank) in &self.patterns {
            text = regex.replace_all(&text, *blank).into_owned();
        }
        text
    }
}

fn golden_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/commands.txt")
}

#[test]
fn every_command_prints_as_the_golden_file_says() {
    // Two ledgers with the same keys, the same steps on each: one prints tables, the other
    // JSON, so that every write is seen in both forms.
    let tables = Env::new();
    let documents = tables.twin(None);
    let blanks = Blanks::new(&[&tables, &documents]);
    let mut steps = vec![Step {
        signer: Signer::Admin,
        args: vec!["init".to_string()],
        exit: 0,
    }];
    steps.extend(script::steps(&tables));
    steps.extend(more_steps(&tables));

    let mut transcript = String::new();
    for (index, step) in steps.iter().enumerate() {
        transcript.push_str(&format!(
            "=== {} {:?}: {}\n",
            index + 1,
            step.signer,
            blanks.apply(&step.args.join(" "))
        ));
        for (env, format) in [(&tables, "table"), (&documents, "json")] {
            let run = run(env, step.signer, &step.args, format);
            assert_eq!(run.code, step.exit, "{step:?} ({format}): {run:?}");
            transcript.push_str(&format!("--- {format}, exit {}\n", run.code));
            transcript.push_str(&blanks.apply(&run.stdout));
            if let Some(error) = run.stderr.lines().find(|line| line.starts_with("error:")) {
                transcript.push_str(&blanks.apply(error));
                transcript.push('\n');
            }
        }
    }

    let path = golden_path();
    if std::env::var_os("SERVICEABILITY_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &transcript).unwrap();
        return;
    }
    let golden = std::fs::read_to_string(&path).unwrap_or_default();
    if golden != transcript {
        let diff: Vec<String> = golden
            .lines()
            .zip(transcript.lines())
            .enumerate()
            .filter(|(_, (want, got))| want != got)
            .take(10)
            .map(|(line, (want, got))| {
                format!("line {}:\n  golden: {want}\n  now:    {got}", line + 1)
            })
            .collect();
        panic!(
            "the CLI's output differs from {} ({} lines golden, {} now); first differences:\n{}\n\
             After a deliberate change: SERVICEABILITY_BLESS=1 cargo test -p serviceability-cli \
             --test cli_golden",
            path.display(),
            golden.lines().count(),
            transcript.lines().count(),
            diff.join("\n")
        );
    }
}
