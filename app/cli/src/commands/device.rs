//! `device create|update|list|show|close`: the foundation's commands.

use serde_json::json;
use serviceability_client::instructions as ix;
use serviceability_client::types::{CreateDeviceArgs, DeviceStatus, UpdateDeviceArgs};
use serviceability_client::{chain, pda};

use crate::args::{DeviceCommand, DeviceStatusArg};
use crate::context::{Context, Submission};
use crate::error::{CliError, CliResult};
use crate::output::written;
use crate::output::{DeviceView, Outcome};
use serviceability_client::rules::is_valid_device_code;

/// Runs a `device` command.
pub fn run(context: &mut Context, command: &DeviceCommand) -> CliResult<Outcome> {
    match command {
        DeviceCommand::Create {
            code,
            public_ip,
            max_users,
            metrics_publisher,
        } => {
            if !is_valid_device_code(code) {
                return Err(CliError::input(format!(
                    "`{code}` is not a device code: 1 to 32 characters of [a-z0-9-]"
                )));
            }
            context.global_state()?;
            let address = pda::device(code);
            if chain::device(context.cluster(), &address)?.is_some() {
                return Err(CliError::chain(format!(
                    "device `{code}` already exists ({address})"
                )));
            }
            let foundation = context.signer_pubkey()?;
            let args = CreateDeviceArgs {
                code: code.clone(),
                public_ip: public_ip.octets(),
                max_users: *max_users,
                metrics_publisher: *metrics_publisher,
            };
            let signature =
                match context.submit("device create", vec![ix::create_device(foundation, args)])? {
                    Submission::Sent(signature) => signature,
                    Submission::DryRun(outcome) => return Ok(outcome),
                };
            let view = fetch_view(context, code)?;
            Ok(written(
                &signature,
                &format!(
                    "Created device {code} (pending: activate it with `device update {code} \
                     --status activated`)"
                ),
                json!({ "device": view }),
                &view.table(),
            ))
        }
        DeviceCommand::Update {
            device,
            max_users,
            status,
            metrics_publisher,
            public_ip,
            owner,
        } => {
            let args = UpdateDeviceArgs {
                public_ip: public_ip.map(|ip| ip.octets()),
                status: status.map(device_status),
                max_users: *max_users,
                metrics_publisher: *metrics_publisher,
                owner: *owner,
            };
            if args.public_ip.is_none()
                && args.status.is_none()
                && args.max_users.is_none()
                && args.metrics_publisher.is_none()
                && args.owner.is_none()
            {
                return Err(CliError::input(
                    "nothing to update: pass --max-users, --status, --metrics-publisher, \
                     --public-ip or --owner",
                ));
            }
            let (address, before) = context.device(device)?;
            let foundation = context.signer_pubkey()?;
            let signature = match context
                .submit(
                    "device update",
                    vec![ix::update_device(foundation, address, args)],
                )
                .map_err(|error| error.with_device(&DeviceView::new(&address, &before)))?
            {
                Submission::Sent(signature) => signature,
                Submission::DryRun(outcome) => return Ok(outcome),
            };
            let view = fetch_view(context, &before.code)?;
            Ok(written(
                &signature,
                &format!("Updated device {}", before.code),
                json!({ "device": view }),
                &view.table(),
            ))
        }
        DeviceCommand::List => {
            let views: Vec<DeviceView> = chain::devices(context.cluster())?
                .iter()
                .map(|(address, device)| DeviceView::new(address, device))
                .collect();
            let text = DeviceView::list_table(&views);
            Ok(Outcome::new(&json!({ "devices": views }), text))
        }
        DeviceCommand::Show { device } => {
            let (address, device) = context.device(device)?;
            let view = DeviceView::new(&address, &device);
            Ok(Outcome::new(&json!({ "device": view }), view.table()))
        }
        DeviceCommand::Close { device } => {
            let (address, device) = context.device(device)?;
            let view = DeviceView::new(&address, &device);
            let foundation = context.signer_pubkey()?;
            let signature = match context
                .submit(
                    "device close",
                    vec![ix::close_device(foundation, address, device.owner)],
                )
                .map_err(|error| error.with_device(&view))?
            {
                Submission::Sent(signature) => signature,
                Submission::DryRun(outcome) => return Ok(outcome),
            };
            Ok(written(
                &signature,
                &format!(
                    "Closed device {}; its rent went back to {}",
                    device.code, device.owner
                ),
                json!({ "closed": { "device": view.address, "code": view.code } }),
                "",
            ))
        }
    }
}

fn fetch_view(context: &Context, code: &str) -> CliResult<DeviceView> {
    let (address, device) = context.device(code)?;
    Ok(DeviceView::new(&address, &device))
}

fn device_status(status: DeviceStatusArg) -> DeviceStatus {
    match status {
        DeviceStatusArg::Pending => DeviceStatus::Pending,
        DeviceStatusArg::Activated => DeviceStatus::Activated,
        DeviceStatusArg::Suspended => DeviceStatus::Suspended,
        DeviceStatusArg::Drained => DeviceStatus::Drained,
    }
}
