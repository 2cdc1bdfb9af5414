//! A device's address lookup table: `lookup-table list` and `close`.

use std::fmt;

use serde::Serialize;
use serviceability_client::lookup_table::{DeviceTable, TableStatus};

use super::table::list;
use super::CommandOutput;

/// A device's lookup tables of one authority: `lookup-table list`, and what `close` did.
#[derive(Clone, Debug, Serialize)]
pub struct LookupTablesView {
    /// The device's code.
    pub device: String,
    /// The tables' authority.
    pub authority: String,
    /// The slot they were read at.
    pub slot: u64,
    /// `close`'s transaction, when it sent one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// The tables.
    pub tables: Vec<LookupTableView>,
}

impl fmt::Display for LookupTablesView {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = format!(
            "Lookup tables of {} (authority {}):\n{}",
            self.device,
            self.authority,
            LookupTableView::list_table(&self.tables)
        );
        if let Some(signature) = &self.signature {
            text.push_str(&format!("\nSignature: {signature}"));
        }
        let cooling =
            |table: &LookupTableView| matches!(table.action, Some("deactivated" | "waiting"));
        if self.tables.iter().any(cooling) {
            text.push_str(
                "\nA deactivated table can be closed once its slot has left the cluster's \
                 SlotHashes (512 slots, ~3.5 minutes): run `lookup-table close` again then.",
            );
        }
        formatter.write_str(&text)
    }
}

impl CommandOutput for LookupTablesView {}

/// One lookup table of a device, and what `close` did to it.
#[derive(Clone, Debug, Serialize)]
pub struct LookupTableView {
    /// Its address.
    pub address: String,
    /// Users it holds.
    pub users: usize,
    /// Where it is in its life: `active`, `deactivating` or `closable`, with the slots.
    #[serde(flatten)]
    pub status: TableStatus,
    /// Its rent, in lamports (returned when it is closed).
    pub lamports: u64,
    /// What `close` did: `deactivated`, `closed`, or `waiting` for its cool-down.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<&'static str>,
}

impl LookupTableView {
    /// The view of `table` at `slot`.
    pub fn new(table: &DeviceTable, slot: u64) -> Self {
        LookupTableView {
            address: table.address.to_string(),
            users: table.users().len(),
            status: table.status(slot),
            lamports: table.lamports,
            action: None,
        }
    }

    fn status_text(&self) -> String {
        match self.status {
            TableStatus::Active => "active".into(),
            TableStatus::Deactivating {
                deactivated_at,
                closable_after,
            } => format!("deactivated at slot {deactivated_at}, closable after {closable_after}"),
            TableStatus::Closable { deactivated_at } => {
                format!("closable (deactivated at slot {deactivated_at})")
            }
        }
    }

    fn list_table(tables: &[LookupTableView]) -> String {
        let with_action = tables.iter().any(|table| table.action.is_some());
        let mut header = vec!["Table", "Users", "Status", "Rent (SOL)"];
        if with_action {
            header.push("Done");
        }
        list(
            &header,
            tables.iter().map(|table| {
                let mut row = vec![
                    table.address.clone(),
                    table.users.to_string(),
                    table.status_text(),
                    format!("{:.6}", table.lamports as f64 / 1e9),
                ];
                if with_action {
                    row.push(table.action.unwrap_or("").to_string());
                }
                row
            }),
            "No lookup tables.",
        )
    }
}
