//! `reservation reserve|close|prune|list|show`: the reservation authority's commands.

use std::net::Ipv4Addr;

use anchor_lang::prelude::Pubkey;
use serviceability_client::accounts::{Device, Reservation};
use serviceability_client::instructions as ix;
use serviceability_client::{chain, pda};

use crate::args::{ReservationCommand, SeatArgs};
use crate::context::Context;
use crate::error::{CliError, CliResult};
use crate::output::{
    DeviceView, Keyed, List, Output, PrunedView, ReservationView, SeatReservedView, Written,
};

/// Prune instructions per transaction: each adds a reservation and usually nothing else new,
/// so eight stay far below the transaction size limit.
const PRUNES_PER_TRANSACTION: usize = 8;

/// Runs a `reservation` command.
pub fn run(context: &mut Context, command: &ReservationCommand) -> CliResult<Output> {
    match command {
        ReservationCommand::Reserve { seat, ttl } => {
            let ttl_secs = ttl
                .map(|ttl| {
                    u32::try_from(ttl.as_secs())
                        .ok()
                        .filter(|secs| *secs >= 1)
                        .ok_or_else(|| {
                            CliError::input(format!(
                                "--ttl must be between 1 second and {} seconds",
                                u32::MAX
                            ))
                        })
                })
                .transpose()?;
            let (device, state) = context.device(&seat.device)?;
            if chain::reservation(context.cluster(), &device, seat.client_ip)?.is_some() {
                return Err(CliError::chain(format!(
                    "{} already holds a reservation on {} ({})",
                    seat.client_ip,
                    state.code,
                    pda::reservation(&device, seat.client_ip)
                )));
            }
            let authority = context.signer_pubkey()?;
            let instruction = ix::reserve_connection(authority, device, seat.client_ip, ttl_secs);
            context
                .write(
                    "reservation reserve",
                    vec![instruction],
                    |context, signature| {
                        let (reservation, device_view) =
                            seat_views(context, &device, seat.client_ip)?;
                        let reservation = reservation.ok_or_else(|| {
                            CliError::chain("the reservation is not visible after it was confirmed")
                        })?;
                        let expiry = reservation
                            .expires_at
                            .as_ref()
                            .map_or("never expires".to_string(), |t| {
                                format!("expires {}", t.rfc3339)
                            });
                        Ok(Written::summary_only(
                            signature,
                            format!(
                                "Reserved a seat for {} on {} ({expiry})\n{}",
                                seat.client_ip,
                                state.code,
                                device_view.seats_line()
                            ),
                            SeatReservedView {
                                reservation,
                                device: device_view,
                            },
                        ))
                    },
                )
                .map_err(|error| error.with_device(&DeviceView::new(&device, &state)))
        }
        ReservationCommand::Close { seat } => {
            let (device, state, reservation) = existing(context, seat)?;
            let authority = context.signer_pubkey()?;
            let instruction =
                ix::close_reservation(authority, device, seat.client_ip, reservation.payer);
            context.write(
                "reservation close",
                vec![instruction],
                |context, signature| {
                    let (_, device_view) = seat_views(context, &device, seat.client_ip)?;
                    Ok(Written::summary_only(
                        signature,
                        format!(
                            "Closed the reservation of {} on {}; its rent went back to {}\n{}",
                            seat.client_ip,
                            state.code,
                            reservation.payer,
                            device_view.seats_line()
                        ),
                        Keyed::new("device", device_view),
                    ))
                },
            )
        }
        ReservationCommand::Prune { device } => prune(context, device.as_deref()),
        ReservationCommand::List { device } => {
            let device = device
                .as_deref()
                .map(|name| context.device(name))
                .transpose()?;
            let views = list_views(context, device.as_ref().map(|(address, _)| address))?;
            Ok(Keyed::new("reservations", List(views)).into())
        }
        ReservationCommand::Show { seat } => {
            let (device, state, reservation) = existing(context, seat)?;
            let view = ReservationView::new(
                &pda::reservation(&device, seat.client_ip),
                &reservation,
                Some(&state.code),
                context.now()?,
            );
            Ok(Keyed::new("reservation", view).into())
        }
    }
}

/// The device, and the reservation the seat names, which must exist.
fn existing(context: &Context, seat: &SeatArgs) -> CliResult<(Pubkey, Device, Reservation)> {
    let (device, state) = context.device(&seat.device)?;
    let reservation =
        chain::reservation(context.cluster(), &device, seat.client_ip)?.ok_or_else(|| {
            CliError::input(format!(
                "no reservation for {} on {}",
                seat.client_ip, state.code
            ))
        })?;
    Ok((device, state, reservation))
}

fn seat_views(
    context: &Context,
    device: &Pubkey,
    client_ip: Ipv4Addr,
) -> CliResult<(Option<ReservationView>, DeviceView)> {
    let state = chain::device(context.cluster(), device)?
        .ok_or_else(|| CliError::chain(format!("device {device} disappeared")))?;
    let reservation = chain::reservation(context.cluster(), device, client_ip)?.map(|r| {
        ReservationView::new(
            &pda::reservation(device, client_ip),
            &r,
            Some(&state.code),
            context.now().unwrap_or(0),
        )
    });
    Ok((reservation, DeviceView::new(device, &state)))
}

fn list_views(context: &Context, device: Option<&Pubkey>) -> CliResult<Vec<ReservationView>> {
    let codes = context.device_codes()?;
    let now = context.now()?;
    Ok(chain::reservations(context.cluster(), device)?
        .iter()
        .map(|(address, reservation)| {
            ReservationView::new(
                address,
                reservation,
                codes.get(&reservation.device).map(String::as_str),
                now,
            )
        })
        .collect())
}

fn prune(context: &mut Context, device: Option<&str>) -> CliResult<Output> {
    let device = device.map(|name| context.device(name)).transpose()?;
    let now = context.now()?;
    let codes = context.device_codes()?;
    let expired: Vec<(Pubkey, Reservation)> =
        chain::reservations(context.cluster(), device.as_ref().map(|(a, _)| a))?
            .into_iter()
            .filter(|(_, reservation)| reservation.expires_at != 0 && now >= reservation.expires_at)
            .collect();
    let transactions = expired
        .chunks(PRUNES_PER_TRANSACTION)
        .map(|batch| {
            batch
                .iter()
                .map(|(_, reservation)| {
                    ix::prune_expired_reservation(
                        reservation.device,
                        Ipv4Addr::from(reservation.client_ip),
                        reservation.payer,
                    )
                })
                .collect()
        })
        .collect();
    context.write_batches("reservation prune", transactions, |_, signatures| {
        let pruned = expired
            .iter()
            .map(|(address, reservation)| {
                let code = codes.get(&reservation.device).map(String::as_str);
                ReservationView::new(address, reservation, code, now)
            })
            .collect();
        Ok(PrunedView {
            pruned: List(pruned),
            signatures: signatures.iter().map(ToString::to_string).collect(),
        })
    })
}
