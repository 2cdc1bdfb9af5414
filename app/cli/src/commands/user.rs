//! `user create|delete|list|show|set-bgp-status`: the activator's and metrics publisher's
//! commands.

use anchor_lang::prelude::Pubkey;
use serviceability_client::accounts::Device;
use serviceability_client::chain::{self, UserRecord};
use serviceability_client::instructions as ix;
use serviceability_client::pda;
use serviceability_client::types::BgpStatus;

use crate::args::{BgpStatusArg, SeatArgs, UserCommand};
use crate::context::Context;
use crate::error::{CliError, CliResult};
use crate::output::{
    DeviceView, Keyed, List, Output, Timestamp, UserCreatedView, UserView, Written,
};

/// Runs a `user` command.
pub fn run(context: &mut Context, command: &UserCommand) -> CliResult<Output> {
    match command {
        UserCommand::Create {
            seat,
            tunnel_net,
            owner,
        } => {
            let (device, state) = context.device(&seat.device)?;
            if chain::user(context.cluster(), &device, seat.client_ip)?.is_some() {
                return Err(CliError::chain(format!(
                    "a user already exists for {} on {} ({})",
                    seat.client_ip,
                    state.code,
                    pda::user(&device, seat.client_ip)
                )));
            }
            let reservation = chain::reservation(context.cluster(), &device, seat.client_ip)?;
            if let Some(reservation) = &reservation {
                if reservation.expires_at != 0 && context.now()? >= reservation.expires_at {
                    return Err(CliError::chain(format!(
                        "the reservation for {} on {} expired at {}: an expired reservation \
                         holds no seat for a new user. Prune it (`reservation prune --device \
                         {}`), then run `user create` again, which takes a free seat if the \
                         device has one",
                        seat.client_ip,
                        state.code,
                        Timestamp::new(reservation.expires_at).rfc3339,
                        state.code
                    )));
                }
            }
            let tunnel = *tunnel_net;
            for network in tunnel.claim_networks() {
                if let Some(claim) = chain::tunnel_claim(context.cluster(), &device, network)? {
                    return Err(CliError::chain(format!(
                        "the tunnel {tunnel_net} overlaps the tunnel of the user {} on {} (both \
                         cover {}/31): two users with overlapping tunnels would share an \
                         address, and the device could not tell their BGP sessions apart. \
                         Choose another tunnel network",
                        claim.user,
                        state.code,
                        std::net::Ipv4Addr::from(network),
                    )));
                }
            }
            let authority = context.signer_pubkey()?;
            let owner = owner.unwrap_or(authority);
            let instruction = ix::create_user(
                authority,
                device,
                seat.client_ip,
                tunnel,
                owner,
                reservation.as_ref().map(|reservation| reservation.payer),
            );
            let how = if reservation.is_some() {
                "its reservation became the user's seat"
            } else {
                "no reservation: a free seat was taken"
            };
            context
                .write("user create", vec![instruction], |context, signature| {
                    let (user, device_view) = user_views(context, &device, seat)?;
                    Ok(Written::new(
                        signature,
                        format!(
                            "Created the user {} on {} ({how})\n{}",
                            seat.client_ip,
                            state.code,
                            device_view.seats_line()
                        ),
                        UserCreatedView {
                            user,
                            device: device_view,
                            consumed_reservation: reservation.is_some(),
                        },
                    ))
                })
                .map_err(|error| error.with_device(&DeviceView::new(&device, &state)))
        }
        UserCommand::Delete { seat } => {
            let (device, state, record) = existing(context, seat)?;
            let authority = context.signer_pubkey()?;
            let tunnel = &record.user.tunnel_net;
            // Users from before tunnel claims: this one claims its /31s first, and every
            // other user still on one of them is recorded on its claim, in the same
            // transaction, so the deletion releases nothing another user still has.
            let mut instructions =
                chain::claims_before_deleting(context.cluster(), authority, &device, &record.user)?;
            instructions.push(ix::delete_user(
                authority,
                device,
                seat.client_ip,
                tunnel,
                record.user.payer,
            ));
            context.write("user delete", instructions, |context, signature| {
                let device_view = DeviceView::new(&device, &refetch_device(context, &device)?);
                Ok(Written::summary_only(
                    signature,
                    format!(
                        "Deleted the user {} on {}; its rent went back to {}\n{}",
                        seat.client_ip,
                        state.code,
                        record.user.payer,
                        device_view.seats_line()
                    ),
                    Keyed::new("device", device_view),
                ))
            })
        }
        UserCommand::List { device } => {
            let device = device
                .as_deref()
                .map(|name| context.device(name))
                .transpose()?;
            let codes = context.device_codes()?;
            let views: Vec<UserView> =
                chain::users(context.cluster(), device.as_ref().map(|(a, _)| a))?
                    .iter()
                    .map(|(address, record)| {
                        let code = codes.get(&record.user.device).map(String::as_str);
                        UserView::new(address, record, code)
                    })
                    .collect();
            Ok(Keyed::new("users", List(views)).into())
        }
        UserCommand::Show { seat } => {
            let (device, state, record) = existing(context, seat)?;
            let view = UserView::new(
                &pda::user(&device, seat.client_ip),
                &record,
                Some(&state.code),
            );
            Ok(Keyed::new("user", view).into())
        }
        UserCommand::SetBgpStatus { seat, status } => {
            let (device, state, record) = existing(context, seat)?;
            let status = match status {
                BgpStatusArg::Unknown => BgpStatus::Unknown,
                BgpStatusArg::Up => BgpStatus::Up,
                BgpStatusArg::Down => BgpStatus::Down,
            };
            let publisher = context.signer_pubkey()?;
            if publisher != state.metrics_publisher {
                eprintln!(
                    "warning: the signer {publisher} is not {}'s metrics publisher ({}); the \
                     program will refuse it",
                    state.code, state.metrics_publisher
                );
            }
            let instruction = ix::set_user_bgp_status(publisher, device, seat.client_ip, status);
            context.write(
                "user set-bgp-status",
                vec![instruction],
                |context, signature| {
                    let (user, _) = user_views(context, &device, seat)?;
                    Ok(Written::summary_only(
                        signature,
                        format!(
                            "BGP status of {} on {}: {} -> {}",
                            seat.client_ip,
                            state.code,
                            record.user.bgp_status.name(),
                            status.name()
                        ),
                        Keyed::new("user", user),
                    ))
                },
            )
        }
    }
}

/// The device, and the user the seat names, which must exist.
fn existing(context: &Context, seat: &SeatArgs) -> CliResult<(Pubkey, Device, UserRecord)> {
    let (device, state) = context.device(&seat.device)?;
    let record = chain::user(context.cluster(), &device, seat.client_ip)?.ok_or_else(|| {
        CliError::input(format!("no user for {} on {}", seat.client_ip, state.code))
    })?;
    Ok((device, state, record))
}

fn refetch_device(context: &Context, device: &Pubkey) -> CliResult<Device> {
    chain::device(context.cluster(), device)?
        .ok_or_else(|| CliError::chain(format!("device {device} disappeared")))
}

fn user_views(
    context: &Context,
    device: &Pubkey,
    seat: &SeatArgs,
) -> CliResult<(UserView, DeviceView)> {
    let state = refetch_device(context, device)?;
    let record = chain::user(context.cluster(), device, seat.client_ip)?
        .ok_or_else(|| CliError::chain("the user is not visible after it was confirmed"))?;
    let user = UserView::new(
        &pda::user(device, seat.client_ip),
        &record,
        Some(&state.code),
    );
    Ok((user, DeviceView::new(device, &state)))
}
