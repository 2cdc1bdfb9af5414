//! `audit`: each device's seat counters against the accounts that exist.

use serviceability_client::chain;

use crate::context::Context;
use crate::error::CliResult;
use crate::output::{AuditView, DeviceAudit, Output};

/// Runs `audit`.
pub fn run(context: &mut Context, device: Option<&str>) -> CliResult<Output> {
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
    let view = AuditView::new(audits);
    if view.drift {
        eprintln!(
            "error: seat counters drift from the accounts on {} device(s)",
            view.drifting()
        );
    }
    Ok(view.into())
}
