//! `authority show`: the program's GlobalState (and a pending admin proposal).

use serde::Serialize;
use serviceability_client::accounts::{AdminProposal, GlobalState};
use serviceability_client::pda;

use super::table::{key_values, yes_no};

/// GlobalState.
#[derive(Clone, Debug, Serialize)]
pub struct GlobalStateView {
    /// Its address.
    pub address: String,
    /// The admin.
    pub admin: String,
    /// The key the admin proposed as its successor, until it accepts (`authority accept-admin`).
    pub proposed_admin: Option<String>,
    /// Who creates and deletes users (besides foundation keys).
    pub activator_authority: String,
    /// Who reserves seats (besides foundation keys), if anyone.
    pub reservation_authority: Option<String>,
    /// The foundation keys.
    pub foundation_allowlist: Vec<String>,
    /// Whether new reservations are refused.
    pub reservations_paused: bool,
}

impl GlobalStateView {
    /// The view of `state` and its pending admin proposal.
    pub fn new(state: &GlobalState, proposal: Option<&AdminProposal>) -> Self {
        GlobalStateView {
            address: pda::global_state().to_string(),
            admin: state.admin.to_string(),
            proposed_admin: proposal.map(|proposal| proposal.proposed_admin.to_string()),
            activator_authority: state.activator_authority.to_string(),
            reservation_authority: state.reservation_authority.map(|key| key.to_string()),
            foundation_allowlist: state
                .foundation_allowlist
                .iter()
                .map(ToString::to_string)
                .collect(),
            reservations_paused: state.reservations_paused,
        }
    }

    /// Key/value table.
    pub fn table(&self) -> String {
        let allowlist = if self.foundation_allowlist.is_empty() {
            "(empty)".to_string()
        } else {
            self.foundation_allowlist.join("\n")
        };
        key_values(&[
            ("GlobalState", self.address.clone()),
            ("Admin", self.admin.clone()),
            (
                "Proposed admin",
                self.proposed_admin.clone().unwrap_or_else(|| "none".into()),
            ),
            ("Activator authority", self.activator_authority.clone()),
            (
                "Reservation authority",
                self.reservation_authority
                    .clone()
                    .unwrap_or_else(|| "none (foundation keys only)".into()),
            ),
            ("Foundation allowlist", allowlist),
            ("Reservations paused", yes_no(self.reservations_paused)),
        ])
    }
}
