//! The serviceability program as an Anchor user's tooling sees it: `declare_program!` reads the
//! committed IDL (`idls/serviceability.json`, a link to `idl/serviceability.json`) and
//! generates the program's accounts, instruction builders (`client::accounts`,
//! `client::args`), events and constants, for anchor-client 1.2.2's `Program`.
//!
//! [`reserve_and_listen`] is the example (`cargo run --example reserve` runs it on a cluster);
//! `tests/ledger_serve.rs` runs it against `serviceability ledger serve`.

use std::net::Ipv4Addr;
use std::sync::{mpsc, Arc};
use std::time::Duration;

use anchor_client::{Client, Cluster, CommitmentConfig, RpcFilterType};
// `declare_program!` expands to code that names the prelude's items from its parent.
use anchor_lang::prelude::*;
use anyhow::{bail, Result};
use solana_keypair::Keypair;
use solana_rpc_client_api::filter::Memcmp;
use solana_signature::Signature;
use solana_signer::Signer;

declare_program!(serviceability);

use serviceability::accounts::Reservation;
use serviceability::constants::{DEVICE_SEED, RESERVATION_SEED, USER_SEED};
use serviceability::events::ReservationCreated;

/// What [`reserve_and_listen`] did.
#[derive(Debug)]
pub struct Reserved {
    /// The reservation's transaction.
    pub signature: Signature,
    /// The client IP whose seat it holds.
    pub client_ip: Ipv4Addr,
    /// The reservation, read back with `Program::account`.
    pub reservation: Reservation,
    /// The device's reservations, read with `Program::accounts` and a `memcmp` filter.
    pub device_reservations: Vec<(Pubkey, Reservation)>,
    /// Its event, received over websockets by `Program::on`.
    pub event: ReservationCreated,
}

fn pda(seeds: &[&[u8]]) -> Pubkey {
    Pubkey::find_program_address(seeds, &serviceability::ID).0
}

/// Reserves a seat on the device `code` for one of `client_ips`, signed and paid by
/// `authority` (the reservation authority), on the cluster at `rpc_url` / `websocket_url`; reads
/// it back, lists the device's reservations with a filter, and returns the event the program
/// emitted, as a `Program::on` subscription received it.
pub fn reserve_and_listen(
    rpc_url: &str,
    websocket_url: &str,
    authority: Keypair,
    code: &str,
    client_ips: &[Ipv4Addr],
    wait: Duration,
) -> Result<Reserved> {
    let authority = Arc::new(authority);
    let cluster = Cluster::Custom(rpc_url.to_string(), websocket_url.to_string());
    let client =
        Client::new_with_options(cluster, authority.clone(), CommitmentConfig::confirmed());
    let program = client.program(serviceability::ID)?;
    let device = pda(&[DEVICE_SEED, code.as_bytes()]);

    let (events, received) = mpsc::channel();
    let subscription = program.on(move |context, event: ReservationCreated| {
        let _ = events.send((context.signature, event));
    })?;
    // `Program::on` returns before its subscription is in place, so a reservation sent at once
    // may land unseen: reserve the next IP until the event of one arrives.
    let mut landed = Vec::new();
    let mut heard = None;
    for client_ip in client_ips {
        let reservation = pda(&[RESERVATION_SEED, device.as_ref(), &client_ip.octets()]);
        let signature = program
            .request()
            .accounts(serviceability::client::accounts::ReserveConnection {
                authority: authority.pubkey(),
                global_state: serviceability::constants::GLOBAL_STATE_ADDRESS,
                device,
                reservation,
                user: pda(&[USER_SEED, device.as_ref(), &client_ip.octets()]),
                system_program: anchor_lang::system_program::ID,
            })
            .args(serviceability::client::args::ReserveConnection {
                client_ip: client_ip.octets(),
                ttl_secs: Some(3600),
            })
            .send()?;
        landed.push((signature, *client_ip, reservation));
        if let Ok(event) = received.recv_timeout(wait) {
            heard = Some(event);
            break;
        }
    }
    subscription.unsubscribe();
    let Some((signature, event)) = heard else {
        bail!(
            "no ReservationCreated event within {wait:?} of any of {} reservations",
            landed.len()
        );
    };
    let Some((_, client_ip, address)) = landed.into_iter().find(|(sent, ..)| *sent == signature)
    else {
        bail!("an event of a transaction this example did not send: {signature}");
    };
    Ok(Reserved {
        signature,
        client_ip,
        reservation: program.account::<Reservation>(address)?,
        // `accounts` filters on the account's discriminator itself; the device is at offset 8.
        device_reservations: program.accounts::<Reservation>(vec![RpcFilterType::Memcmp(
            Memcmp::new_base58_encoded(8, device.as_ref()),
        )])?,
        event,
    })
}
