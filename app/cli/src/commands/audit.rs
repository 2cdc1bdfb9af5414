//! `audit`: each device's seat counters against the accounts that exist.

use serde::Serialize;
use serde_json::json;
use serviceability_client::chain;

use crate::context::Context;
use crate::error::{CliResult, EXIT_CHAIN};
use crate::output::{list, Outcome};

/// One device's counters and what was found.
#[derive(Debug, Serialize)]
struct DeviceAudit {
    device: String,
    code: String,
    reserved_seats: u16,
    reservations_found: usize,
    users_count: u16,
    users_found: usize,
    drift: bool,
}

/// Runs `audit`.
pub fn run(context: &mut Context, device: Option<&str>) -> CliResult<Outcome> {
    let devices = match device {
        Some(name) => vec![context.device(name)?],
        None => chain::devices(context.cluster())?,
    };
    let mut audits = Vec::with_capacity(devices.len());
    for (address, device) in &devices {
        let reservations_found = chain::reservations(context.cluster(), Some(address))?.len();
        let users_found = chain::users(context.cluster(), Some(address))?.len();
        audits.push(DeviceAudit {
            device: address.to_string(),
            code: device.code.clone(),
            reserved_seats: device.reserved_seats,
            reservations_found,
            users_count: device.users_count,
            users_found,
            drift: usize::from(device.reserved_seats) != reservations_found
                || usize::from(device.users_count) != users_found,
        });
    }
    let drifting = audits.iter().filter(|audit| audit.drift).count();
    let mut text = list(
        &[
            "DEVICE",
            "RESERVED SEATS",
            "RESERVATIONS",
            "USERS COUNT",
            "USERS",
            "DRIFT",
        ],
        audits.iter().map(|audit| {
            vec![
                audit.code.clone(),
                audit.reserved_seats.to_string(),
                audit.reservations_found.to_string(),
                audit.users_count.to_string(),
                audit.users_found.to_string(),
                if audit.drift { "DRIFT" } else { "ok" }.to_string(),
            ]
        }),
        "no devices",
    );
    text.push_str(&format!(
        "\n\n{} device(s) audited, {drifting} with drift",
        audits.len()
    ));
    let mut outcome = Outcome::new(&json!({ "devices": audits, "drift": drifting > 0 }), text);
    if drifting > 0 {
        eprintln!("error: seat counters drift from the accounts on {drifting} device(s)");
        outcome.exit_code = EXIT_CHAIN;
    }
    Ok(outcome)
}
