//! `agent`: what the agent did, when it stops.

use std::fmt;

use serde::Serialize;
use serviceability_agent::service::Counters;

use super::table::key_values;
use super::CommandOutput;

/// The agent's run, when it stopped.
#[derive(Serialize)]
pub struct AgentStoppedView {
    /// The device's code.
    pub device: String,
    /// Whether SIGINT/SIGTERM stopped it (rather than `--ticks` running out).
    pub stopped_by_signal: bool,
    /// What it did.
    pub counters: Counters,
}

impl fmt::Display for AgentStoppedView {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let counters = &self.counters;
        formatter.write_str(&key_values(&[
            ("Device", self.device.clone()),
            ("Ticks", counters.ticks.to_string()),
            ("Transactions landed", counters.submissions.to_string()),
            (
                "Through lookup tables",
                counters.through_lookup_table.to_string(),
            ),
            ("Updates landed", counters.updates.to_string()),
            ("Retries", counters.retries.to_string()),
            ("Failures", counters.failures.to_string()),
            ("Abandoned", counters.abandoned.to_string()),
            ("Read errors", counters.read_errors.to_string()),
            ("Lookup tables created", counters.tables_created.to_string()),
            (
                "Users added to tables",
                counters.table_users_added.to_string(),
            ),
            ("Table failures", counters.table_failures.to_string()),
        ]))
    }
}

impl CommandOutput for AgentStoppedView {}
