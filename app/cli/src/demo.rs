//! `demo`: a narrated tour on a fresh embedded ledger. Every step is a real command line,
//! parsed and run exactly as if typed, each signed by the key whose role it is.

use clap::Parser;
use serviceability_localnet::ledger::EmbeddedLedger;
use serviceability_localnet::ledger::ProgramRuntime;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::args::{Cli, OutputFormat};
use crate::commands::dispatch;
use crate::config::program_runtime;
use crate::context::Context;
use crate::error::{CliError, CliResult};
use crate::output::{DemoStepView, DemoView, Output};

/// The demo's cast: one key per role.
struct Cast {
    admin: Keypair,
    foundation: Keypair,
    reservation_authority: Keypair,
    activator: Keypair,
    metrics_publisher: Keypair,
}

/// One step: who signs, what it shows, and the command line.
struct Step<'a> {
    signer: &'a Keypair,
    role: &'static str,
    narration: &'static str,
    command: Vec<String>,
}

/// Runs the demo.
pub fn run(cli: &Cli) -> CliResult<Output> {
    let (path, _temporary) = match &cli.ledger {
        Some(path) if path.exists() => {
            return Err(CliError::input(format!(
                "the demo needs a fresh ledger, and {} exists (omit --ledger to use a \
                 temporary one)",
                path.display()
            )))
        }
        Some(path) => (path.clone(), None),
        None => {
            let directory = tempfile::tempdir()
                .map_err(|error| CliError::input(format!("no temporary directory: {error}")))?;
            (directory.path().join("demo-ledger.bin"), Some(directory))
        }
    };
    let cast = Cast {
        admin: Keypair::new(),
        foundation: Keypair::new(),
        reservation_authority: Keypair::new(),
        activator: Keypair::new(),
        metrics_publisher: Keypair::new(),
    };
    let runtime = program_runtime(cli)?;
    let ledger = EmbeddedLedger::open(&path, &runtime)?;
    let mut context = Some(Context::embedded(ledger, cast.admin.insecure_clone()));
    let json_output = cli.output == OutputFormat::Json;
    if !json_output {
        let runs = match &runtime {
            ProgramRuntime::Native => "natively".to_string(),
            ProgramRuntime::Sbf(so) => format!("as the SBF program {}", so.display()),
        };
        println!(
            "A tour of the serviceability program on a fresh embedded ledger ({}).\n\
             The program runs {runs} inside litesvm; every step below is a real command \
             line, signed by the key whose role it is. (The embedded ledger funds fee payers.)",
            path.display()
        );
    }
    let mut results = Vec::new();
    for (index, step) in steps(&cast).into_iter().enumerate() {
        if !json_output {
            println!(
                "\n== {}. {} [signed by the {}]\n$ serviceability {}",
                index + 1,
                step.narration,
                step.role,
                step.command.join(" ")
            );
        }
        let argv = std::iter::once("serviceability".to_string()).chain(step.command.clone());
        let parsed = Cli::try_parse_from(argv)
            .map_err(|error| CliError::chain(format!("demo step {}: {error}", index + 1)))?;
        if let Some(context) = &mut context {
            context.set_signer(step.signer.insecure_clone());
        }
        let Output::View(view) = dispatch(&parsed, &mut context)? else {
            continue;
        };
        if json_output {
            results.push(DemoStepView {
                step: step.narration,
                role: step.role,
                signer: step.signer.pubkey().to_string(),
                command: step.command.join(" "),
                result: serde_json::to_value(view.as_ref()).expect("views serialize"),
            });
        } else {
            println!("{}", indent(&view.to_string()));
        }
    }
    let ledger_note = match &cli.ledger {
        Some(path) => format!(
            "The ledger is kept at {0}: explore it with `serviceability -u embedded --ledger {0} \
             device list`.",
            path.display()
        ),
        None => "The demo ledger was temporary and is gone; run commands on your own with \
                 `serviceability -u embedded -k <keypair> init` and the rest."
            .to_string(),
    };
    Ok(DemoView {
        ledger: path.display().to_string(),
        kept: cli.ledger.is_some(),
        steps: results,
        note: ledger_note,
    }
    .into())
}

fn steps(cast: &Cast) -> Vec<Step<'_>> {
    let key = |keypair: &Keypair| keypair.pubkey().to_string();
    let words = |line: &str| {
        line.split_whitespace()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    vec![
        Step {
            signer: &cast.admin,
            role: "admin",
            narration: "Initialize: the signer becomes admin and first activator authority",
            command: words("init"),
        },
        Step {
            signer: &cast.admin,
            role: "admin",
            narration: "Allow a foundation key to manage devices",
            command: words(&format!("allowlist add {}", key(&cast.foundation))),
        },
        Step {
            signer: &cast.admin,
            role: "admin",
            narration: "Name the off-chain reservation authority",
            command: words(&format!(
                "authority set --reservation {}",
                key(&cast.reservation_authority)
            )),
        },
        Step {
            signer: &cast.admin,
            role: "admin",
            narration: "Name the activator that turns reservations into users",
            command: words(&format!(
                "authority set --activator {}",
                key(&cast.activator)
            )),
        },
        Step {
            signer: &cast.foundation,
            role: "foundation key",
            narration: "Create a device with three seats",
            command: words(&format!(
                "device create --code fra-1 --public-ip 203.0.114.7 --max-users 3 \
                 --metrics-publisher {}",
                key(&cast.metrics_publisher)
            )),
        },
        Step {
            signer: &cast.foundation,
            role: "foundation key",
            narration: "Activate it",
            command: words("device update fra-1 --status activated"),
        },
        Step {
            signer: &cast.reservation_authority,
            role: "reservation authority",
            narration: "Reserve a seat for a client that is about to connect",
            command: words("reservation reserve --device fra-1 --client-ip 100.64.0.1"),
        },
        Step {
            signer: &cast.reservation_authority,
            role: "reservation authority",
            narration: "Reserve another, held for 15 minutes only",
            command: words("reservation reserve --device fra-1 --client-ip 100.64.0.2 --ttl 15m"),
        },
        Step {
            signer: &cast.reservation_authority,
            role: "reservation authority",
            narration: "The reservations, filtered by device on the ledger",
            command: words("reservation list --device fra-1"),
        },
        Step {
            signer: &cast.activator,
            role: "activator",
            narration: "The first client connects: its reservation becomes a user",
            command: words(
                "user create --device fra-1 --client-ip 100.64.0.1 --tunnel-net 169.254.0.0/31",
            ),
        },
        Step {
            signer: &cast.metrics_publisher,
            role: "metrics publisher",
            narration: "The device's telemetry agent reports the user's BGP session up",
            command: words("user set-bgp-status --device fra-1 --client-ip 100.64.0.1 --status up"),
        },
        Step {
            signer: &cast.admin,
            role: "admin",
            narration: "Twenty minutes pass on the ledger's clock",
            command: words("ledger warp --by 20m"),
        },
        Step {
            signer: &cast.reservation_authority,
            role: "reservation authority",
            narration: "The second reservation expired unused: prune it (anyone may)",
            command: words("reservation prune --device fra-1"),
        },
        Step {
            signer: &cast.admin,
            role: "admin",
            narration: "Devices and their seats",
            command: words("device list"),
        },
        Step {
            signer: &cast.admin,
            role: "admin",
            narration: "Users and their BGP status",
            command: words("user list"),
        },
        Step {
            signer: &cast.admin,
            role: "admin",
            narration: "Check every device's counters against the accounts that exist",
            command: words("audit"),
        },
    ]
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!("  {line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
