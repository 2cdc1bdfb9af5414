//! `--dry-run`: what a write would send (each instruction's accounts named from the IDL, its
//! data) and what the simulation said; nothing is sent.

use std::fmt;

use anchor_lang::solana_program::instruction::Instruction;
use base64::{engine::general_purpose::STANDARD, Engine};
use serde::Serialize;
use serviceability_client::compute_budget;
use serviceability_client::errors::explain;
use serviceability_client::idl::instruction_layout;
use serviceability_client::transport::Execution;

use super::table::key_values;
use super::CommandOutput;

/// One account of an instruction, named from the IDL where it can be.
#[derive(Serialize)]
struct AccountMetaView {
    name: Option<String>,
    pubkey: String,
    signer: bool,
    writable: bool,
}

/// One instruction, named from the IDL where it can be.
#[derive(Serialize)]
struct InstructionView {
    program: String,
    name: Option<String>,
    accounts: Vec<AccountMetaView>,
    data_base64: String,
}

/// What the simulation said.
#[derive(Serialize)]
struct SimulationView {
    ok: bool,
    error: Option<String>,
    logs: Vec<String>,
    compute_units: Option<u64>,
}

/// `--dry-run`: the instructions a write would send and their simulation; nothing is sent.
#[derive(Serialize)]
pub struct DryRunView {
    dry_run: bool,
    action: String,
    instructions: Vec<InstructionView>,
    simulation: SimulationView,
}

impl DryRunView {
    /// `--dry-run` of `action`: its instructions (each named from the IDL where it can be)
    /// and their simulation.
    pub fn new(action: &str, instructions: &[Instruction], simulation: &Execution) -> Self {
        let views: Vec<InstructionView> = instructions
            .iter()
            .map(|instruction| {
                let layout = instruction_layout(instruction);
                InstructionView {
                    program: instruction.program_id.to_string(),
                    name: layout
                        .as_ref()
                        .map(|layout| layout.name.clone())
                        .or_else(|| compute_budget::describe(instruction)),
                    accounts: instruction
                        .accounts
                        .iter()
                        .enumerate()
                        .map(|(index, meta)| AccountMetaView {
                            name: layout
                                .as_ref()
                                .and_then(|layout| layout.accounts.get(index).cloned()),
                            pubkey: meta.pubkey.to_string(),
                            signer: meta.is_signer,
                            writable: meta.is_writable,
                        })
                        .collect(),
                    data_base64: STANDARD.encode(&instruction.data),
                }
            })
            .collect();
        let error = simulation
            .result
            .as_ref()
            .err()
            .map(|error| explain(error, &simulation.logs).to_string());
        DryRunView {
            dry_run: true,
            action: action.to_string(),
            instructions: views,
            simulation: SimulationView {
                ok: simulation.result.is_ok(),
                error,
                logs: simulation.logs.clone(),
                compute_units: simulation.compute_units,
            },
        }
    }
}

impl fmt::Display for DryRunView {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = format!("Dry run of `{}`: nothing was sent.\n", self.action);
        for (index, instruction) in self.instructions.iter().enumerate() {
            text.push_str(&format!(
                "\nInstruction {index}: {} (program {})\n",
                instruction.name.as_deref().unwrap_or("?"),
                instruction.program
            ));
            let rows: Vec<(&str, String)> = instruction
                .accounts
                .iter()
                .map(|account| {
                    let flags = match (account.signer, account.writable) {
                        (true, true) => "signer, writable",
                        (true, false) => "signer",
                        (false, true) => "writable",
                        (false, false) => "",
                    };
                    (
                        account.name.as_deref().unwrap_or("?"),
                        format!("{} {flags}", account.pubkey).trim_end().to_string(),
                    )
                })
                .collect();
            text.push_str(&key_values(&rows));
            text.push_str(&format!("\n  data (base64): {}\n", instruction.data_base64));
        }
        text.push_str(&match &self.simulation.error {
            None => "\nSimulation: succeeded".to_string(),
            Some(error) => format!("\nSimulation: failed: {error}"),
        });
        formatter.write_str(&text)
    }
}

impl CommandOutput for DryRunView {}
