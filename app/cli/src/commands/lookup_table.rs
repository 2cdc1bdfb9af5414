//! `lookup-table list|close`: the address lookup tables a device's agent keeps.

use anchor_lang::prelude::Pubkey;
use serviceability_client::lookup_table::{
    close_device_table, deactivate_device_table, device_tables, TableStatus,
};

use crate::args::LookupTableCommand;
use crate::context::Context;
use crate::error::{CliError, CliResult};
use crate::output::{LookupTableView, LookupTablesView, Output};

/// Runs a `lookup-table` command.
pub fn run(context: &mut Context, command: &LookupTableCommand) -> CliResult<Output> {
    match command {
        LookupTableCommand::List { device, authority } => list(context, device, *authority),
        LookupTableCommand::Close { device } => close(context, device),
    }
}

fn list(context: &mut Context, device: &str, authority: Option<Pubkey>) -> CliResult<Output> {
    let (address, device) = context.device(device)?;
    let authority = authority.unwrap_or(device.metrics_publisher);
    let slot = context.cluster().slot()?;
    let view = LookupTablesView {
        device: device.code,
        authority: authority.to_string(),
        slot,
        signature: None,
        tables: device_tables(context.cluster(), &authority, &address)?
            .iter()
            .map(|table| LookupTableView::new(table, slot))
            .collect(),
    };
    Ok(view.into())
}

fn close(context: &mut Context, device: &str) -> CliResult<Output> {
    let (address, device) = context.device(device)?;
    let authority = context.signer_pubkey()?;
    let slot = context.cluster().slot()?;
    let tables = device_tables(context.cluster(), &authority, &address)?;
    if tables.is_empty() {
        return Err(CliError::input(format!(
            "{authority} has no lookup tables for {} (the agent's tables belong to the key that \
             ran it: pass it with -k)",
            device.code
        )));
    }
    let mut instructions = Vec::new();
    let mut views = Vec::new();
    for table in &tables {
        let mut view = LookupTableView::new(table, slot);
        view.action = Some(match view.status {
            TableStatus::Active => {
                instructions.push(deactivate_device_table(&table.address, &authority));
                "deactivated"
            }
            TableStatus::Closable { .. } => {
                instructions.push(close_device_table(&table.address, &authority));
                "closed"
            }
            TableStatus::Deactivating { .. } => "waiting",
        });
        views.push(view);
    }
    // Tables all cooling down: nothing to send.
    let transactions: Vec<_> = Some(instructions)
        .filter(|instructions| !instructions.is_empty())
        .into_iter()
        .collect();
    context.write_batches("lookup-table close", transactions, |_, signatures| {
        Ok(LookupTablesView {
            device: device.code,
            authority: authority.to_string(),
            slot,
            signature: signatures.first().map(ToString::to_string),
            tables: views,
        })
    })
}
