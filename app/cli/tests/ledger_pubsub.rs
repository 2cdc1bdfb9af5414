//! The PubSub (websocket) API of `serviceability ledger serve`, through agave's own
//! `PubsubClient`: it parses every notification into agave's response types, so a shape that
//! differs from a validator's fails here. Writes come from the CLI in another process and from
//! agave's `RpcClient` through the server: the notifications follow the ledger file.

mod common;

use std::net::Ipv4Addr;
use std::time::Duration;

use anchor_lang::{AccountDeserialize, Space};
use common::{args, seat, Env, Server};
use futures_util::StreamExt;
use serviceability::state::Reservation;
use serviceability_client::accounts::Device;
use serviceability_client::{instructions, pda, PROGRAM_ID};
use solana_account_decoder_client_types::UiAccountEncoding;
use solana_commitment_config::CommitmentConfig;
use solana_keypair::read_keypair_file;
use solana_pubsub_client::nonblocking::pubsub_client::PubsubClient;
use solana_rpc_client::rpc_client::RpcClient;
use solana_rpc_client_api::config::{
    RpcAccountInfoConfig, RpcProgramAccountsConfig, RpcSignatureSubscribeConfig,
    RpcTransactionLogsConfig, RpcTransactionLogsFilter,
};
use solana_rpc_client_api::filter::RpcFilterType;
use solana_rpc_client_api::response::{
    ProcessedSignatureResult, ReceivedSignatureResult, RpcSignatureResult,
};
use solana_signature::Signature;
use solana_signer::Signer;
use solana_transaction::Transaction;

const CODE: &str = "fra-1";

/// How long a notification may take: the watcher wakes on the file's rename.
const WAIT: Duration = Duration::from_secs(10);

/// A Reservation account's size (the discriminator and the fields).
const RESERVATION_LEN: u64 = 8 + Reservation::INIT_SPACE as u64;

/// The next item of a subscription, within [`WAIT`].
async fn next<T>(stream: &mut (impl futures_util::Stream<Item = T> + Unpin), what: &str) -> T {
    tokio::time::timeout(WAIT, stream.next())
        .await
        .unwrap_or_else(|_| panic!("no {what} within {WAIT:?}"))
        .unwrap_or_else(|| panic!("the {what} subscription ended"))
}

fn base64() -> RpcAccountInfoConfig {
    RpcAccountInfoConfig {
        encoding: Some(UiAccountEncoding::Base64),
        ..RpcAccountInfoConfig::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscriptions_see_what_the_cli_writes_from_another_process() {
    let env = Env::with_device(CODE, 4);
    let server = Server::start(&env.ledger);
    let pubsub = PubsubClient::new(server.websocket_url.as_str())
        .await
        .expect("connects to ledger serve's websocket port");

    let reservations_only = RpcProgramAccountsConfig {
        filters: Some(vec![RpcFilterType::DataSize(RESERVATION_LEN)]),
        account_config: base64(),
        ..RpcProgramAccountsConfig::default()
    };
    let (mut reservations, _) = pubsub
        .program_subscribe(&PROGRAM_ID, Some(reservations_only))
        .await
        .expect("programSubscribe");
    let device = pda::device(CODE);
    let (mut devices, _) = pubsub
        .account_subscribe(&device, Some(base64()))
        .await
        .expect("accountSubscribe");
    let (mut logs, _) = pubsub
        .logs_subscribe(
            RpcTransactionLogsFilter::Mentions(vec![PROGRAM_ID.to_string()]),
            RpcTransactionLogsConfig { commitment: None },
        )
        .await
        .expect("logsSubscribe");
    let (mut slots, _) = pubsub.slot_subscribe().await.expect("slotSubscribe");
    let (mut roots, _) = pubsub.root_subscribe().await.expect("rootSubscribe");

    // The CLI, in its own process, on the same ledger file.
    let reserved = env.ok(
        &env.reservation_authority,
        &args(&[&["reservation", "reserve"], &seat(CODE, "100.64.0.1")]),
    );
    let signature = reserved["signature"]
        .as_str()
        .expect("the CLI prints the signature");

    let keyed = next(&mut reservations, "programNotification").await;
    let address = pda::reservation(&device, Ipv4Addr::new(100, 64, 0, 1));
    assert_eq!(keyed.value.pubkey, address.to_string());
    let data = keyed.value.account.data.decode().expect("base64 data");
    assert_eq!(data.len() as u64, RESERVATION_LEN);
    let reservation = Reservation::try_deserialize(&mut &data[..]).expect("a Reservation");
    assert_eq!(reservation.client_ip, [100, 64, 0, 1]);
    assert_eq!(reservation.device, device);

    let account = next(&mut devices, "accountNotification").await;
    let data = account.value.data.decode().expect("base64 data");
    let seen = Device::try_deserialize(&mut &data[..]).expect("a Device");
    assert_eq!(seen.reserved_seats, 1);
    assert_eq!(account.value.owner, PROGRAM_ID.to_string());

    let logged = next(&mut logs, "logsNotification").await;
    assert_eq!(logged.value.signature, signature);
    assert_eq!(logged.value.err, None);
    assert!(
        logged
            .value
            .logs
            .iter()
            .any(|line| line == "Program log: Instruction: ReserveConnection"),
        "{:?}",
        logged.value.logs
    );
    assert!(
        logged
            .value
            .logs
            .iter()
            .any(|line| line.starts_with("Program data: ")),
        "the ReservationCreated event is logged: {:?}",
        logged.value.logs
    );
    assert_eq!(
        account.context.slot, logged.context.slot,
        "the account changed in the slot the transaction landed in"
    );

    // Slots go on every 400 ms, whatever lands: one after the transaction's is notified, as
    // a root at once.
    let slot = loop {
        let slot = next(&mut slots, "slotNotification").await;
        assert_eq!(slot.parent + 1, slot.slot);
        assert_eq!(slot.root, slot.slot, "every slot is final at once");
        if slot.slot > logged.context.slot {
            break slot;
        }
    };
    while next(&mut roots, "rootNotification").await < slot.slot {}

    // A signature subscription made after its transaction landed gets its outcome at once.
    let signature: Signature = signature.parse().unwrap();
    let (mut outcomes, _) = pubsub
        .signature_subscribe(&signature, None)
        .await
        .expect("signatureSubscribe");
    let outcome = next(&mut outcomes, "signatureNotification").await;
    assert_eq!(
        outcome.value,
        RpcSignatureResult::ProcessedSignature(ProcessedSignatureResult { err: None })
    );
    assert_eq!(outcome.context.slot, logged.context.slot);
    drop((reservations, devices, logs, slots, roots, outcomes));
    pubsub.shutdown().await.expect("closes cleanly");
    assert_eq!(server.stop(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signature_subscription_follows_a_transaction_sent_through_the_server() {
    let env = Env::with_device(CODE, 1);
    let server = Server::start(&env.ledger);
    let pubsub = PubsubClient::new(server.websocket_url.as_str())
        .await
        .expect("connects");
    let authority = read_keypair_file(&env.reservation_authority.path).unwrap();
    let rpc_url = server.url.clone();
    let client = RpcClient::new_with_commitment(rpc_url, CommitmentConfig::confirmed());
    client
        .request_airdrop(&authority.pubkey(), 1_000_000_000)
        .expect("airdrop");

    let sign = |ip: Ipv4Addr| {
        let instruction =
            instructions::reserve_connection(authority.pubkey(), pda::device(CODE), ip, None);
        let blockhash = client.get_latest_blockhash().expect("blockhash");
        Transaction::new_signed_with_payer(
            &[instruction],
            Some(&authority.pubkey()),
            &[&authority],
            blockhash,
        )
    };
    // One seat: the first lands, the second fails on-chain (DeviceFull) and is recorded.
    let first = sign(Ipv4Addr::new(100, 64, 0, 1));
    let second = sign(Ipv4Addr::new(100, 64, 0, 2));
    let received = Some(RpcSignatureSubscribeConfig {
        commitment: Some(CommitmentConfig::finalized()),
        enable_received_notification: Some(true),
    });
    let (mut first_outcome, _) = pubsub
        .signature_subscribe(&first.signatures[0], received.clone())
        .await
        .expect("signatureSubscribe");
    let (mut second_outcome, _) = pubsub
        .signature_subscribe(&second.signatures[0], None)
        .await
        .expect("signatureSubscribe");

    client.send_transaction(&first).expect("sent");
    let skip_preflight = solana_rpc_client_api::config::RpcSendTransactionConfig {
        skip_preflight: true,
        ..Default::default()
    };
    client
        .send_transaction_with_config(&second, skip_preflight)
        .expect("sent without preflight");

    assert_eq!(
        next(&mut first_outcome, "signatureNotification")
            .await
            .value,
        RpcSignatureResult::ReceivedSignature(ReceivedSignatureResult::ReceivedSignature)
    );
    assert_eq!(
        next(&mut first_outcome, "signatureNotification")
            .await
            .value,
        RpcSignatureResult::ProcessedSignature(ProcessedSignatureResult { err: None })
    );
    let failed = next(&mut second_outcome, "signatureNotification").await;
    let RpcSignatureResult::ProcessedSignature(ProcessedSignatureResult { err: Some(err) }) =
        failed.value
    else {
        panic!("the second reservation should fail: {failed:?}");
    };
    assert!(
        format!("{err:?}").contains("Custom"),
        "the program's own error: {err:?}"
    );
    drop((first_outcome, second_outcome));
    pubsub.shutdown().await.expect("closes cleanly");
    assert_eq!(server.stop(), 0);
}
