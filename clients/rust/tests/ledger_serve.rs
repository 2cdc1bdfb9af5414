//! The generated builders against `serviceability ledger serve`, through agave's `RpcClient`:
//! a reservation and a user made with `ReserveConnectionBuilder` and `CreateUserBuilder`, read
//! back with the generated `fetch_*` readers and a `memcmp` listing, the events of their
//! transactions decoded from the logs, and a refusal decoded as the program's error. The
//! program, its GlobalState and an activated device are set up with the CLI, as an operator
//! would.

use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use num_traits::FromPrimitive;
use serviceability_sdk::accounts::{
    fetch_device, fetch_maybe_reservation, fetch_reservation, fetch_user, Reservation,
    RESERVATION_DISCRIMINATOR,
};
use serviceability_sdk::errors::ServiceabilityError;
use serviceability_sdk::events::{self, Event};
use serviceability_sdk::idl::GLOBAL_STATE_ADDRESS;
use serviceability_sdk::instructions::{CreateUserBuilder, ReserveConnectionBuilder};
use serviceability_sdk::shared::MaybeAccount;
use serviceability_sdk::types::{BgpStatus, TunnelNet, UserStatus};
use serviceability_sdk::{pda, ID};
use solana_account_decoder_client_types::UiAccountEncoding;
use solana_commitment_config::CommitmentConfig;
use solana_instruction::error::InstructionError;
use solana_instruction::Instruction;
use solana_keypair::{write_keypair_file, Keypair};
use solana_rpc_client::rpc_client::RpcClient;
use solana_rpc_client_api::config::{
    RpcAccountInfoConfig, RpcProgramAccountsConfig, RpcTransactionConfig,
};
use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};
use solana_signature::Signature;
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;
use solana_transaction_status_client_types::UiTransactionEncoding;

const CODE: &str = "sdk-rs";

/// The CLI the workspace builds (`SERVICEABILITY_BIN` to use another).
fn binary() -> PathBuf {
    let path = std::env::var_os("SERVICEABILITY_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/debug/serviceability"),
        PathBuf::from,
    );
    assert!(
        path.is_file(),
        "no CLI at {} to set up and serve the ledger: `cargo build -p serviceability-cli` \
         (`cargo test --workspace` builds it)",
        path.display()
    );
    path
}

/// `ledger serve` on a ledger, killed when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(ledger: &Path) -> Server {
    let mut child = Command::new(binary())
        .args(["-u", "embedded", "--ledger", ledger.to_str().unwrap()])
        .args(["--output", "json"])
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
    let serving: serde_json::Value = serde_json::from_str(&line).expect("the server's first line");
    Server {
        url: serving["url"].as_str().unwrap().to_string(),
        child,
    }
}

/// A role's keypair, also written to a file for the CLI.
struct Role {
    keypair: Keypair,
    path: PathBuf,
}

fn role(directory: &Path, name: &str) -> Role {
    let keypair = Keypair::new();
    let path = directory.join(format!("{name}.json"));
    write_keypair_file(&keypair, &path).unwrap();
    Role { keypair, path }
}

/// Runs the CLI on the embedded ledger, signed by `signer`; it must succeed.
fn cli(ledger: &Path, signer: &Role, args: &[&str]) {
    let output = Command::new(binary())
        .args(["-u", "embedded", "--ledger", ledger.to_str().unwrap()])
        .args(["-k", signer.path.to_str().unwrap()])
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "serviceability {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn send(
    client: &RpcClient,
    instruction: Instruction,
    payer: &Keypair,
) -> Result<Signature, TransactionError> {
    let blockhash = client.get_latest_blockhash().unwrap();
    let transaction = Transaction::new_signed_with_payer(
        &[instruction],
        Some(&payer.pubkey()),
        &[payer],
        blockhash,
    );
    client
        .send_and_confirm_transaction(&transaction)
        .map_err(|error| error.get_transaction_error().expect("a transaction error"))
}

/// The program's events in the logs of the landed transaction `signature`.
fn events_of(client: &RpcClient, signature: &Signature) -> Vec<Event> {
    let config = RpcTransactionConfig {
        encoding: Some(UiTransactionEncoding::Base64),
        commitment: Some(CommitmentConfig::confirmed()),
        max_supported_transaction_version: Some(0),
    };
    let transaction = client
        .get_transaction_with_config(signature, config)
        .unwrap();
    let logs: Option<Vec<String>> = transaction.transaction.meta.unwrap().log_messages.into();
    events::from_logs(&logs.unwrap()).unwrap()
}

#[test]
fn the_generated_builders_reserve_and_create_a_user_on_ledger_serve() {
    let directory = tempfile::tempdir().unwrap();
    let ledger = directory.path().join("ledger.bin");
    let admin = role(directory.path(), "admin");
    let foundation = role(directory.path(), "foundation");
    let authority = role(directory.path(), "authority");
    let publisher = role(directory.path(), "publisher");
    cli(&ledger, &admin, &["init"]);
    cli(
        &ledger,
        &admin,
        &["allowlist", "add", &foundation.keypair.pubkey().to_string()],
    );
    let reservation_authority = authority.keypair.pubkey().to_string();
    cli(
        &ledger,
        &admin,
        &["authority", "set", "--reservation", &reservation_authority],
    );
    let metrics_publisher = publisher.keypair.pubkey().to_string();
    cli(
        &ledger,
        &foundation,
        &[
            "device",
            "create",
            "--code",
            CODE,
            "--public-ip",
            "185.1.1.20",
            "--max-users",
            "4",
            "--metrics-publisher",
            &metrics_publisher,
        ],
    );
    cli(
        &ledger,
        &foundation,
        &["device", "update", CODE, "--status", "activated"],
    );

    let server = serve(&ledger);
    let client = RpcClient::new_with_timeout_and_commitment(
        server.url.clone(),
        Duration::from_secs(10),
        CommitmentConfig::confirmed(),
    );
    // The reservation authority pays the reservation's rent: the local faucet funds it.
    client
        .request_airdrop(&authority.keypair.pubkey(), 1_000_000_000)
        .unwrap();

    // A reservation, built with the generated builder (addresses from `pda`).
    let device = pda::device(CODE);
    let client_ip = Ipv4Addr::new(100, 64, 0, 7);
    let reserve = |ttl_secs| {
        ReserveConnectionBuilder::new()
            .authority(authority.keypair.pubkey())
            .global_state(GLOBAL_STATE_ADDRESS)
            .device(device)
            .reservation(pda::reservation(&device, client_ip))
            .user(pda::user(&device, client_ip))
            .client_ip(client_ip.octets())
            .ttl_secs(ttl_secs)
            .instruction()
    };
    let reserved = send(&client, reserve(3600), &authority.keypair).expect("reserved");
    let reservation = fetch_reservation(&client, &pda::reservation(&device, client_ip)).unwrap();
    assert_eq!(reservation.account.owner, ID);
    assert_eq!(reservation.data.device, device);
    assert_eq!(reservation.data.client_ip, client_ip.octets());
    assert_eq!(reservation.data.payer, authority.keypair.pubkey());
    assert_eq!(
        reservation.data.expires_at - reservation.data.reserved_at,
        3600
    );
    match &events_of(&client, &reserved)[..] {
        [Event::ReservationCreated(created)] => {
            assert_eq!(created.device, device);
            assert_eq!(created.client_ip, client_ip.octets());
        }
        other => panic!("expected one ReservationCreated, got {other:?}"),
    }

    // The same seat again (another TTL, so another transaction): refused with the program's
    // own error, which the SDK names.
    let refused = send(&client, reserve(60), &authority.keypair).unwrap_err();
    let TransactionError::InstructionError(0, InstructionError::Custom(code)) = refused else {
        panic!("expected a custom program error, got {refused:?}");
    };
    assert_eq!(
        ServiceabilityError::from_u32(code),
        Some(ServiceabilityError::ReservationAlreadyExists)
    );

    // Reservations of the device, listed with a memcmp filter on the discriminator and the
    // device (offset 8) and decoded with the generated decoder.
    let filters = vec![
        RpcFilterType::Memcmp(Memcmp::new_base58_encoded(0, &RESERVATION_DISCRIMINATOR)),
        RpcFilterType::Memcmp(Memcmp::new_base58_encoded(8, device.as_ref())),
    ];
    let listed = client
        .get_program_ui_accounts_with_config(
            &ID,
            RpcProgramAccountsConfig {
                filters: Some(filters),
                account_config: RpcAccountInfoConfig {
                    encoding: Some(UiAccountEncoding::Base64),
                    ..RpcAccountInfoConfig::default()
                },
                ..RpcProgramAccountsConfig::default()
            },
        )
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].0, pda::reservation(&device, client_ip));
    let data = listed[0].1.data.decode().expect("base64 data");
    assert_eq!(Reservation::from_bytes(&data).unwrap(), reservation.data);

    // The admin is the activator: the reservation becomes a user, built with the generated
    // builder (a /31 tunnel: one claim; the reservation's payer gets its rent back).
    let tunnel_net = TunnelNet {
        network: [169, 254, 0, 8],
        prefix_len: 31,
    };
    let create_user = CreateUserBuilder::new()
        .authority(admin.keypair.pubkey())
        .global_state(GLOBAL_STATE_ADDRESS)
        .device(device)
        .user(pda::user(&device, client_ip))
        .tunnel_claim(pda::tunnel_claim(
            &device,
            Ipv4Addr::from(tunnel_net.network),
        ))
        .second_tunnel_claim(None)
        .reservation(pda::reservation(&device, client_ip))
        .reservation_payer(Some(authority.keypair.pubkey()))
        .client_ip(client_ip.octets())
        .tunnel_net(tunnel_net.clone())
        .owner(publisher.keypair.pubkey())
        .instruction();
    let created = send(&client, create_user, &admin.keypair).expect("user created");
    let user = fetch_user(&client, &pda::user(&device, client_ip))
        .unwrap()
        .data;
    assert_eq!(
        (user.device, user.client_ip, user.tunnel_net.clone()),
        (device, client_ip.octets(), tunnel_net)
    );
    assert_eq!(
        (user.status, user.bgp_status, user.owner),
        (
            UserStatus::Activated,
            BgpStatus::Unknown,
            publisher.keypair.pubkey()
        )
    );
    let seat = fetch_maybe_reservation(&client, &pda::reservation(&device, client_ip)).unwrap();
    assert!(
        matches!(seat, MaybeAccount::NotFound(_)),
        "the reservation was consumed"
    );
    let device_state = fetch_device(&client, &device).unwrap().data;
    assert_eq!(
        (device_state.users_count, device_state.reserved_seats),
        (1, 0)
    );
    let events = events_of(&client, &created);
    assert!(
        events
            .iter()
            .any(|event| matches!(event, Event::UserCreated(created) if created.device == device)),
        "{events:?}"
    );
}
