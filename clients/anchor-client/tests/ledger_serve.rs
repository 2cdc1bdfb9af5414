//! The anchor-client example against `serviceability ledger serve`: the program, a reservation
//! authority and an activated device set up with the CLI, then `reserve_and_listen` reserves a
//! seat with the `declare_program!` builders, reads it back with `Program::account` and
//! `Program::accounts` (a `memcmp` filter), and receives its event over websockets with
//! `Program::on`.

use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anchor_lang::prelude::Pubkey;
use serviceability_anchor_client_example::{reserve_and_listen, serviceability};
use solana_keypair::{write_keypair_file, Keypair};
use solana_signer::Signer;

const CODE: &str = "anchor-rs";

/// The CLI the main workspace builds (`SERVICEABILITY_BIN` to use another).
fn binary() -> PathBuf {
    let path = std::env::var_os("SERVICEABILITY_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/debug/serviceability"),
        PathBuf::from,
    );
    assert!(
        path.is_file(),
        "no CLI at {}: `cargo build -p serviceability-cli` in the main workspace first",
        path.display()
    );
    path
}

fn cli(ledger: &Path, keypair: &Path, args: &[&str]) {
    let output = Command::new(binary())
        .args(["-u", "embedded", "--ledger", ledger.to_str().unwrap()])
        .args(["-k", keypair.to_str().unwrap()])
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "serviceability {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_example_reserves_reads_with_filters_and_hears_the_event() {
    let directory = tempfile::tempdir().unwrap();
    let ledger = directory.path().join("ledger.bin");
    let key = |name: &str| {
        let keypair = Keypair::new();
        let path = directory.path().join(format!("{name}.json"));
        write_keypair_file(&keypair, &path).unwrap();
        (keypair, path)
    };
    let (_, admin) = key("admin");
    let (foundation_key, foundation) = key("foundation");
    let (authority, authority_path) = key("authority");
    cli(&ledger, &admin, &["init"]);
    cli(
        &ledger,
        &admin,
        &["allowlist", "add", &foundation_key.pubkey().to_string()],
    );
    let reservation_authority = authority.pubkey().to_string();
    cli(
        &ledger,
        &admin,
        &["authority", "set", "--reservation", &reservation_authority],
    );
    let publisher = Pubkey::new_unique().to_string();
    cli(
        &ledger,
        &foundation,
        &[
            "device",
            "create",
            "--code",
            CODE,
            "--public-ip",
            "185.1.1.40",
            "--max-users",
            "8",
            "--metrics-publisher",
            &publisher,
        ],
    );
    cli(
        &ledger,
        &foundation,
        &["device", "update", CODE, "--status", "activated"],
    );
    // The reservation authority pays rent: a reservation of the CLI's funds it.
    cli(
        &ledger,
        &authority_path,
        &[
            "reservation",
            "reserve",
            "--device",
            CODE,
            "--client-ip",
            "100.64.1.1",
        ],
    );

    let mut child = Command::new(binary())
        .args([
            "-u",
            "embedded",
            "--ledger",
            ledger.to_str().unwrap(),
            "--output",
            "json",
        ])
        .args(["ledger", "serve", "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let _server = Server(child);
    let serving: serde_json::Value = serde_json::from_str(&line).expect("the server's first line");

    let client_ips: Vec<Ipv4Addr> = (2..8).map(|last| Ipv4Addr::new(100, 64, 1, last)).collect();
    let reserved = reserve_and_listen(
        serving["url"].as_str().unwrap(),
        serving["websocket_url"].as_str().unwrap(),
        authority.insecure_clone(),
        CODE,
        &client_ips,
        Duration::from_secs(2),
    )
    .unwrap();

    let device = Pubkey::find_program_address(&[b"device", CODE.as_bytes()], &serviceability::ID).0;
    let reservation = &reserved.reservation;
    assert!(client_ips.contains(&reserved.client_ip));
    assert_eq!(
        (reservation.device, reservation.client_ip, reservation.payer),
        (device, reserved.client_ip.octets(), authority.pubkey())
    );
    assert_eq!(reservation.expires_at - reservation.reserved_at, 3600);
    // The event is this reservation's.
    let event = &reserved.event;
    assert_eq!(
        (event.device, event.client_ip, event.payer, event.expires_at),
        (
            device,
            reserved.client_ip.octets(),
            authority.pubkey(),
            reservation.expires_at
        )
    );
    // The device's reservations: the CLI's and the example's, all of this device.
    let listed = &reserved.device_reservations;
    assert!(listed.len() >= 2, "{listed:?}");
    assert!(listed.iter().all(|(_, listed)| listed.device == device));
    assert!(listed
        .iter()
        .any(|(_, listed)| listed.client_ip == [100, 64, 1, 1]));
    assert!(listed
        .iter()
        .any(|(_, listed)| listed.client_ip == reserved.client_ip.octets()));
}
