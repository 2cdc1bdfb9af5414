//! `cargo run --example reserve -- RPC_URL WEBSOCKET_URL KEYPAIR DEVICE_CODE CLIENT_IP`:
//! reserves CLIENT_IP's seat on DEVICE_CODE, signed by the reservation authority's KEYPAIR, and
//! prints the reservation, the device's reservations and the event received over websockets.

use std::time::Duration;

use anyhow::{Context, Result};
use serviceability_anchor_client_example::reserve_and_listen;
use solana_keypair::read_keypair_file;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [rpc_url, websocket_url, keypair, code, client_ip] = &args[..] else {
        anyhow::bail!("usage: reserve RPC_URL WEBSOCKET_URL KEYPAIR DEVICE_CODE CLIENT_IP");
    };
    let authority =
        read_keypair_file(keypair).map_err(|error| anyhow::anyhow!("{keypair}: {error}"))?;
    let client_ip = client_ip.parse().context("CLIENT_IP")?;
    let reserved = reserve_and_listen(
        rpc_url,
        websocket_url,
        authority,
        code,
        &[client_ip],
        Duration::from_secs(10),
    )?;
    println!("reserved {} in {}", reserved.client_ip, reserved.signature);
    println!("reservation: {:?}", reserved.reservation);
    println!(
        "the device's reservations: {}",
        reserved.device_reservations.len()
    );
    println!("event: {:?}", reserved.event);
    Ok(())
}
