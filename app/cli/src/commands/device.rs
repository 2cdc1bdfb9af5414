//! `device create|update|list|show|close`: the foundation's commands.

use serviceability_client::instructions as ix;
use serviceability_client::types::{CreateDeviceArgs, DeviceStatus, UpdateDeviceArgs};
use serviceability_client::{chain, pda};

use crate::args::{DeviceCommand, DeviceStatusArg};
use crate::context::Context;
use crate::error::{CliError, CliResult};
use crate::output::{ClosedDeviceView, DeviceView, Keyed, List, Output, Written};
use serviceability_client::rules::is_valid_device_code;

/// Runs a `device` command.
pub fn run(context: &mut Context, command: &DeviceCommand) -> CliResult<Output> {
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
            let instruction = ix::create_device(foundation, args);
            context.write("device create", vec![instruction], |context, signature| {
                Ok(Written::new(
                    signature,
                    format!(
                        "Created device {code} (pending: activate it with `device update {code} \
                         --status activated`)"
                    ),
                    Keyed::new("device", fetch_view(context, code)?),
                ))
            })
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
            let instruction = ix::update_device(foundation, address, args);
            context
                .write("device update", vec![instruction], |context, signature| {
                    Ok(Written::new(
                        signature,
                        format!("Updated device {}", before.code),
                        Keyed::new("device", fetch_view(context, &before.code)?),
                    ))
                })
                .map_err(|error| error.with_device(&DeviceView::new(&address, &before)))
        }
        DeviceCommand::List => {
            let views: Vec<DeviceView> = chain::devices(context.cluster())?
                .iter()
                .map(|(address, device)| DeviceView::new(address, device))
                .collect();
            Ok(Keyed::new("devices", List(views)).into())
        }
        DeviceCommand::Show { device } => {
            let (address, device) = context.device(device)?;
            Ok(Keyed::new("device", DeviceView::new(&address, &device)).into())
        }
        DeviceCommand::Close { device } => {
            let (address, device) = context.device(device)?;
            let view = DeviceView::new(&address, &device);
            let foundation = context.signer_pubkey()?;
            let instruction = ix::close_device(foundation, address, device.owner);
            context
                .write("device close", vec![instruction], |_, signature| {
                    Ok(Written::summary_only(
                        signature,
                        format!(
                            "Closed device {}; its rent went back to {}",
                            device.code, device.owner
                        ),
                        Keyed::new(
                            "closed",
                            ClosedDeviceView {
                                device: view.address.clone(),
                                code: view.code.clone(),
                            },
                        ),
                    ))
                })
                .map_err(|error| error.with_device(&view))
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
