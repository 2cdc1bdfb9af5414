//! `authority show`: the program's GlobalState (and a pending admin proposal), and the
//! foundation allowlist.

use std::fmt;

use serde::Serialize;
use serviceability_client::accounts::{AdminProposal, GlobalState};
use serviceability_client::pda;

use super::listing::Row;
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
}

impl fmt::Display for GlobalStateView {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let allowlist = if self.foundation_allowlist.is_empty() {
            "(empty)".to_string()
        } else {
            self.foundation_allowlist.join("\n")
        };
        formatter.write_str(&key_values(&[
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
        ]))
    }
}

/// A foundation key, as `allowlist list` lists it.
#[derive(Serialize)]
#[serde(transparent)]
pub struct FoundationKey(pub String);

impl Row for FoundationKey {
    const HEADER: &'static [&'static str] = &["FOUNDATION KEY"];
    const EMPTY: &'static str = "the allowlist is empty";

    fn cells(&self) -> Vec<String> {
        vec![self.0.clone()]
    }
}

/// A device on which a key still holds a role.
#[derive(Serialize)]
pub struct DeviceRoles {
    /// The device's code.
    pub code: String,
    /// Its address.
    pub address: String,
    /// `metrics_publisher` (writes its users' BGP status) and/or `owner` (receives its rent).
    pub roles: Vec<&'static str>,
}

/// `allowlist remove`: the allowlist left, and the device roles the removed key still holds
/// (leaving the allowlist takes away the foundation's powers, not the roles it was given).
#[derive(Serialize)]
pub struct AllowlistView {
    /// The foundation keys left.
    pub foundation_allowlist: Vec<String>,
    /// The devices on which the removed key holds a role.
    pub devices_with_roles: Vec<DeviceRoles>,
    /// The removed key.
    #[serde(skip)]
    pub removed: String,
}

impl fmt::Display for AllowlistView {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = &self.removed;
        if self.devices_with_roles.is_empty() {
            return write!(formatter, "{key} holds no role on any device");
        }
        write!(
            formatter,
            "{key} still holds roles on {} device(s); rotate them with a foundation key:",
            self.devices_with_roles.len()
        )?;
        for device in &self.devices_with_roles {
            let flags: Vec<String> = device
                .roles
                .iter()
                .map(|role| format!("--{} <NEW_KEY>", role.replace('_', "-")))
                .collect();
            write!(
                formatter,
                "\n  {} ({}): serviceability device update {} {}",
                device.code,
                device.roles.join(", ").replace('_', " "),
                device.code,
                flags.join(" ")
            )?;
        }
        Ok(())
    }
}
