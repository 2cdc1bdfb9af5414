//! `demo`: the tour's steps, each with the view its command returned.

use std::fmt;

use serde::Serialize;

use super::CommandOutput;

/// One step of the demo, as `--output json` lists it.
#[derive(Serialize)]
pub struct DemoStepView {
    /// What it shows.
    pub step: &'static str,
    /// The role that signs it.
    pub role: &'static str,
    /// That role's key.
    pub signer: String,
    /// The command line.
    pub command: String,
    /// The command's JSON document.
    pub result: serde_json::Value,
}

/// The demo: its ledger and steps (as text, the steps are printed as they run; this is the
/// closing line).
#[derive(Serialize)]
pub struct DemoView {
    /// The ledger file.
    pub ledger: String,
    /// Whether it is kept (`--ledger`) or was temporary.
    pub kept: bool,
    /// The steps, with `--output json`.
    pub steps: Vec<DemoStepView>,
    /// Where the ledger is, and what to run next.
    #[serde(skip)]
    pub note: String,
}

impl fmt::Display for DemoView {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "\nDone. {}", self.note)
    }
}

impl CommandOutput for DemoView {}
