//! `serviceability ledger serve` method by method, through agave's own `RpcClient`: it parses
//! every answer into agave's response types, so a shape that differs from a validator's fails
//! here. Error objects are checked by code and message.

mod common;

use std::net::Ipv4Addr;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::sysvar::SysvarId;
use anchor_lang::AnchorSerialize;
use common::{args, runtime, seat, Env, Server};
use serde_json::{json, Value};
use serviceability_client::accounts::Device;
use serviceability_client::events;
use serviceability_client::serviceability::events::ReservationCreated;
use serviceability_client::transport::Cluster;
use serviceability_client::{chain, instructions, pda, PROGRAM_ID};
use serviceability_localnet::ledger::EmbeddedLedger;
use solana_account_decoder_client_types::{UiAccountEncoding, UiDataSliceConfig};
use solana_commitment_config::CommitmentConfig;
use solana_hash::Hash;
use solana_keypair::{read_keypair_file, Keypair};
use solana_message::Message;
use solana_rpc_client::rpc_client::{GetConfirmedSignaturesForAddress2Config, RpcClient};
use solana_rpc_client_api::client_error::{Error as ClientError, ErrorKind};
use solana_rpc_client_api::config::{
    RpcAccountInfoConfig, RpcProgramAccountsConfig, RpcSendTransactionConfig,
    RpcSimulateTransactionConfig, RpcTransactionConfig,
};
use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};
use solana_rpc_client_api::request::{RpcError, RpcRequest, RpcResponseErrorData};
use solana_signature::Signature;
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;
use solana_transaction_status_client_types::{
    EncodedTransaction, TransactionConfirmationStatus, UiTransactionEncoding,
};

const CODE: &str = "fra-1";

/// The compute-budget program.
const COMPUTE_BUDGET_PROGRAM: Pubkey =
    Pubkey::from_str_const("ComputeBudget111111111111111111111111111111");

/// A ledger with a device of 2 seats and one reservation, served.
fn served() -> (Env, Server, RpcClient) {
    let env = Env::with_device(CODE, 2);
    env.ok(
        &env.reservation_authority,
        &args(&[&["reservation", "reserve"], &seat(CODE, "100.64.0.1")]),
    );
    let server = Server::start(&env.ledger);
    let client = RpcClient::new_with_commitment(server.url.clone(), CommitmentConfig::confirmed());
    (env, server, client)
}

fn keypair(role: &common::Role) -> Keypair {
    read_keypair_file(&role.path).expect("keypair file")
}

/// The JSON-RPC error of a failed call: (code, message, data).
fn rpc_error(error: &ClientError) -> (i64, String, &RpcResponseErrorData) {
    match error.kind() {
        ErrorKind::RpcError(RpcError::RpcResponseError {
            code,
            message,
            data,
        }) => (*code, message.clone(), data),
        other => panic!("not a JSON-RPC error: {other:?}"),
    }
}

fn reserve(client: &RpcClient, signer: &Keypair, ip: Ipv4Addr) -> Transaction {
    let instruction =
        instructions::reserve_connection(signer.pubkey(), pda::device(CODE), ip, None);
    let blockhash = client.get_latest_blockhash().expect("blockhash");
    Transaction::new_signed_with_payer(&[instruction], Some(&signer.pubkey()), &[signer], blockhash)
}

#[test]
fn reads_answer_as_a_validator_does() {
    let (env, server, client) = served();
    let version = client.get_version().expect("getVersion");
    assert!(version.solana_core.split('.').count() == 3, "{version:?}");
    client.get_health().expect("getHealth is ok");
    let slot = client.get_slot().expect("getSlot");
    let (blockhash, last_valid) = client
        .get_latest_blockhash_with_commitment(CommitmentConfig::confirmed())
        .expect("getLatestBlockhash");
    assert_eq!(last_valid, slot + 150);
    assert!(client
        .is_blockhash_valid(&blockhash, CommitmentConfig::processed())
        .unwrap());
    assert!(!client
        .is_blockhash_valid(
            &Hash::new_from_array([7; 32]),
            CommitmentConfig::processed()
        )
        .unwrap());

    let ledger = EmbeddedLedger::open(&env.ledger, &runtime()).expect("the ledger opens");
    let rent_exempt = ledger.svm().minimum_balance_for_rent_exemption(93);
    let expected_device = ledger.svm().get_account(&pda::device(CODE)).unwrap();
    let payer_balance = ledger
        .svm()
        .get_balance(&env.reservation_authority.pubkey)
        .unwrap();
    drop(ledger); // the server's requests take the ledger's lock
    assert_eq!(
        client.get_minimum_balance_for_rent_exemption(93).unwrap(),
        rent_exempt
    );
    assert_eq!(
        client
            .get_balance(&env.reservation_authority.pubkey)
            .unwrap(),
        payer_balance
    );
    assert_eq!(client.get_balance(&Pubkey::new_unique()).unwrap(), 0);

    // getAccountInfo in each encoding RpcClient reads (base64+zstd by default).
    let device = client
        .get_account(&pda::device(CODE))
        .expect("getAccountInfo");
    assert_eq!(device, expected_device);
    let sliced = client
        .get_ui_account_with_config(
            &pda::device(CODE),
            RpcAccountInfoConfig {
                encoding: Some(UiAccountEncoding::Base64),
                data_slice: Some(UiDataSliceConfig {
                    offset: 0,
                    length: 8,
                }),
                ..RpcAccountInfoConfig::default()
            },
        )
        .unwrap()
        .value
        .expect("the device");
    assert_eq!(sliced.data.decode().unwrap(), expected_device.data[..8]);
    assert_eq!(sliced.space, Some(expected_device.data.len() as u64));
    let clock = client
        .get_account(&anchor_lang::prelude::Clock::id())
        .unwrap();
    assert_eq!(clock.data.len(), 40);

    let missing = Pubkey::new_unique();
    let many = client
        .get_multiple_accounts(&[pda::device(CODE), missing, pda::global_state()])
        .expect("getMultipleAccounts");
    assert_eq!(many[0].as_ref(), Some(&expected_device));
    assert!(many[1].is_none());
    assert_eq!(many[2].as_ref().unwrap().owner, PROGRAM_ID);

    // getProgramAccounts with server-side filters, as the CLI sends them.
    let reservations = client
        .get_program_ui_accounts_with_config(
            &PROGRAM_ID,
            RpcProgramAccountsConfig {
                filters: Some(vec![
                    RpcFilterType::DataSize(93),
                    RpcFilterType::Memcmp(Memcmp::new_raw_bytes(
                        chain::RESERVATION_DEVICE_OFFSET,
                        pda::device(CODE).to_bytes().to_vec(),
                    )),
                ]),
                account_config: RpcAccountInfoConfig {
                    encoding: Some(UiAccountEncoding::Base64),
                    ..RpcAccountInfoConfig::default()
                },
                with_context: Some(true),
                ..RpcProgramAccountsConfig::default()
            },
        )
        .expect("getProgramAccounts");
    assert_eq!(reservations.len(), 1);
    assert_eq!(
        reservations[0].0,
        pda::reservation(&pda::device(CODE), Ipv4Addr::new(100, 64, 0, 1))
    );
    // The CLI's typed reads give the same over JSON-RPC as on the file.
    let remote = Cluster::new(&server.url, CommitmentConfig::confirmed());
    let over_rpc: Vec<(Pubkey, Device)> = chain::devices(&remote).unwrap();
    let on_file = chain::devices(&env.cluster()).unwrap();
    assert_eq!(over_rpc.len(), 1);
    assert_eq!(
        borsh_bytes(&over_rpc[0].1),
        borsh_bytes(&on_file[0].1),
        "the same device either way"
    );
}

fn borsh_bytes(device: &Device) -> Vec<u8> {
    let mut bytes = Vec::new();
    device.serialize(&mut bytes).unwrap();
    bytes
}

#[test]
fn transactions_land_are_final_and_are_recorded() {
    let (env, server, client) = served();
    let authority = keypair(&env.reservation_authority);
    let transaction = reserve(&client, &authority, Ipv4Addr::new(100, 64, 0, 2));
    let slot_before = client.get_slot().unwrap();
    let signature = client
        .send_and_confirm_transaction(&transaction)
        .expect("the reservation lands");
    assert_eq!(env.device(CODE).unwrap().reserved_seats, 2);

    let status = client
        .get_signature_statuses(&[signature, Signature::from([9; 64])])
        .unwrap()
        .value;
    let landed = status[0].as_ref().expect("a status");
    let slot_after = client.get_slot().unwrap();
    assert!(
        (slot_before..=slot_after).contains(&landed.slot),
        "landed in {} (slots {slot_before}..={slot_after})",
        landed.slot
    );
    assert_eq!(landed.confirmations, None, "rooted");
    assert_eq!(
        landed.confirmation_status,
        Some(TransactionConfirmationStatus::Finalized)
    );
    assert!(landed.err.is_none());
    assert!(status[1].is_none(), "an unknown signature has no status");

    // getTransaction: the message, logs and the event they carry.
    let fetched = client
        .get_transaction_with_config(
            &signature,
            RpcTransactionConfig {
                encoding: Some(UiTransactionEncoding::Json),
                max_supported_transaction_version: Some(0),
                ..RpcTransactionConfig::default()
            },
        )
        .expect("getTransaction");
    assert_eq!(fetched.slot, landed.slot);
    assert!(fetched.block_time.is_some());
    let meta = fetched.transaction.meta.expect("meta");
    assert!(meta.err.is_none());
    assert_eq!(meta.fee, 5_000);
    assert_eq!(meta.pre_balances.len(), meta.post_balances.len());
    let logs: Vec<String> = Option::from(meta.log_messages).expect("logs");
    let created: Vec<ReservationCreated> = events::decode(&logs);
    assert_eq!(created.len(), 1, "{logs:?}");
    assert_eq!(created[0].client_ip, [100, 64, 0, 2]);
    assert_eq!(created[0].reserved_seats, 2);
    let EncodedTransaction::Json(ui) = fetched.transaction.transaction else {
        panic!("json encoding")
    };
    assert_eq!(ui.signatures, vec![signature.to_string()]);
    // base64 gives back the transaction that was sent.
    let binary = client
        .get_transaction(&signature, UiTransactionEncoding::Base64)
        .unwrap()
        .transaction
        .transaction
        .decode()
        .expect("base64 decodes");
    assert_eq!(binary.signatures, transaction.signatures);

    // Sending it again: already processed, refused in preflight.
    let again = client.send_transaction(&transaction).unwrap_err();
    let (code, message, _) = rpc_error(&again);
    assert_eq!(code, -32002, "{message}");
    assert_eq!(
        again.get_transaction_error(),
        Some(TransactionError::AlreadyProcessed)
    );

    // The history is in the ledger file: a restarted server still knows the transaction.
    drop(client);
    assert_eq!(server.stop(), 0);
    let restarted = Server::start(&env.ledger);
    let client = RpcClient::new(restarted.url.clone());
    assert!(client
        .get_signature_status(&signature)
        .unwrap()
        .expect("still known")
        .is_ok());
}

#[test]
fn failures_come_back_as_a_validator_reports_them() {
    let (env, _server, client) = served();
    let stranger = keypair(&env.stranger);
    let airdrop = client
        .request_airdrop(&stranger.pubkey(), 2_000_000_000)
        .expect("requestAirdrop");
    assert!(client.confirm_transaction(&airdrop).unwrap());

    // Preflight: -32002 with the simulation (error and logs) as data.
    let refused = reserve(&client, &stranger, Ipv4Addr::new(100, 64, 0, 3));
    let error = client.send_transaction(&refused).unwrap_err();
    let (code, message, data) = rpc_error(&error);
    assert_eq!(code, -32002);
    assert!(
        message.starts_with("Transaction simulation failed: Error processing Instruction 0"),
        "{message}"
    );
    let RpcResponseErrorData::SendTransactionPreflightFailure(simulation) = data else {
        panic!("no simulation in {data:?}")
    };
    let logs = simulation.logs.clone().expect("logs");
    assert!(
        logs.iter()
            .any(|line| line.contains("NotReservationAuthority")),
        "{logs:?}"
    );
    let failure =
        serviceability_client::errors::explain(&error.get_transaction_error().unwrap(), &logs);
    assert!(
        failure.to_string().contains("NotReservationAuthority"),
        "{failure}"
    );

    // simulateTransaction reports the same without sending; a placeholder signature is fine
    // when sigVerify is off, and replaceRecentBlockhash gives a current blockhash.
    let mut unsigned = Transaction::new_unsigned(Message::new(
        &[instructions::reserve_connection(
            stranger.pubkey(),
            pda::device(CODE),
            Ipv4Addr::new(100, 64, 0, 3),
            None,
        )],
        Some(&stranger.pubkey()),
    ));
    unsigned.signatures = vec![Signature::default()];
    let simulated = client
        .simulate_transaction_with_config(
            &unsigned,
            RpcSimulateTransactionConfig {
                replace_recent_blockhash: true,
                ..RpcSimulateTransactionConfig::default()
            },
        )
        .expect("simulateTransaction")
        .value;
    assert!(simulated.err.is_some());
    assert!(simulated.replacement_blockhash.is_some());
    let verified = client.simulate_transaction_with_config(
        &unsigned,
        RpcSimulateTransactionConfig {
            sig_verify: true,
            replace_recent_blockhash: true,
            ..RpcSimulateTransactionConfig::default()
        },
    );
    assert_eq!(rpc_error(&verified.unwrap_err()).0, -32602);

    // Preflight skipped: the failed transaction lands, with its error and logs recorded.
    let signature = client
        .send_transaction_with_config(
            &refused,
            RpcSendTransactionConfig {
                skip_preflight: true,
                ..RpcSendTransactionConfig::default()
            },
        )
        .expect("sent without preflight");
    let status = client
        .get_signature_status(&signature)
        .unwrap()
        .expect("recorded");
    assert!(matches!(
        status,
        Err(TransactionError::InstructionError(0, _))
    ));
    let recorded = client
        .get_transaction(&signature, UiTransactionEncoding::Json)
        .unwrap();
    let meta = recorded.transaction.meta.unwrap();
    assert!(meta.err.is_some());
    let logs: Vec<String> = Option::from(meta.log_messages).unwrap();
    assert!(
        logs.iter()
            .any(|line| line.contains("NotReservationAuthority")),
        "{logs:?}"
    );
    assert_eq!(
        env.device(CODE).unwrap().reserved_seats,
        1,
        "nothing reserved"
    );

    // A bad signature: -32003. An unknown blockhash: refused in preflight.
    let mut forged = reserve(
        &client,
        &keypair(&env.reservation_authority),
        Ipv4Addr::new(100, 64, 0, 4),
    );
    forged.signatures[0] = Signature::from([1; 64]);
    assert_eq!(
        rpc_error(&client.send_transaction(&forged).unwrap_err()).0,
        -32003
    );
    let authority = keypair(&env.reservation_authority);
    let stale = Transaction::new_signed_with_payer(
        &[instructions::reserve_connection(
            authority.pubkey(),
            pda::device(CODE),
            Ipv4Addr::new(100, 64, 0, 4),
            None,
        )],
        Some(&authority.pubkey()),
        &[&authority],
        Hash::new_from_array([3; 32]),
    );
    assert_eq!(
        client
            .send_transaction(&stale)
            .unwrap_err()
            .get_transaction_error(),
        Some(TransactionError::BlockhashNotFound)
    );
}

#[test]
fn malformed_requests_get_the_standard_errors() {
    let (_env, _server, client) = served();
    let call = |method: &'static str, params: Value| {
        client
            .send::<Value>(RpcRequest::Custom { method }, params)
            .unwrap_err()
    };
    let (code, message, _) = rpc_error(&call("getBlockProduction", json!([])));
    assert_eq!((code, message.as_str()), (-32601, "Method not found"));
    let (code, message, _) = rpc_error(&call("getBalance", json!(["not-a-key"])));
    assert_eq!(code, -32602, "{message}");
    let (code, message, _) = rpc_error(&call("getBalance", json!([])));
    assert_eq!(
        (code, message.as_str()),
        (-32602, "`params` should have at least 1 argument(s)")
    );
    let too_many: Vec<String> = (0..101).map(|_| Pubkey::new_unique().to_string()).collect();
    let (code, message, _) = rpc_error(&call("getMultipleAccounts", json!([too_many])));
    assert_eq!(
        (code, message.as_str()),
        (-32602, "Too many inputs provided; max 100")
    );
    let (code, _, _) = rpc_error(&call(
        "sendTransaction",
        json!(["!!", {"encoding": "base64"}]),
    ));
    assert_eq!(code, -32602);
    let (code, message, _) = rpc_error(&call(
        "getAccountInfo",
        json!([pda::global_state().to_string(), {"encoding": "base58"}]),
    ));
    assert_eq!(
        code, -32602,
        "base58 is for accounts under 129 bytes: {message}"
    );
}

#[test]
fn the_server_and_the_cli_share_the_ledger_file() {
    let (env, server, client) = served();
    // A CLI write on the file is seen by the server...
    env.ok(
        &env.reservation_authority,
        &args(&[&["reservation", "reserve"], &seat(CODE, "100.64.0.2")]),
    );
    let device: Device = anchor_lang::AccountDeserialize::try_deserialize(
        &mut &client.get_account(&pda::device(CODE)).unwrap().data[..],
    )
    .unwrap();
    assert_eq!(device.reserved_seats, 2);
    // ...and a write through the server is seen by the CLI.
    let authority = keypair(&env.reservation_authority);
    let close = instructions::close_reservation(
        authority.pubkey(),
        pda::device(CODE),
        Ipv4Addr::new(100, 64, 0, 2),
        authority.pubkey(),
    );
    let blockhash = client.get_latest_blockhash().unwrap();
    client
        .send_and_confirm_transaction(&Transaction::new_signed_with_payer(
            &[close],
            Some(&authority.pubkey()),
            &[&authority],
            blockhash,
        ))
        .expect("closed through the server");
    let shown = env.ok(&env.stranger, &["device", "show", CODE]);
    assert_eq!(shown["device"]["reserved_seats"], 1);
    drop(server);

    // Only the embedded ledger can be served, and only a ledger file.
    let run = env.raw(&["-u", "http://127.0.0.1:1", "ledger", "serve", "--port", "0"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("serves the embedded ledger"), "{run:?}");
    let foreign = env.dir.path().join("notes.txt");
    std::fs::write(&foreign, "not a ledger").unwrap();
    let run = env.raw(&[
        "--ledger",
        foreign.to_str().unwrap(),
        "ledger",
        "serve",
        "--port",
        "0",
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("not a serviceability ledger file"),
        "{run:?}"
    );
    assert_eq!(std::fs::read_to_string(&foreign).unwrap(), "not a ledger");
}

#[test]
fn epochs_block_times_a_programs_history_and_priority_fees_answer_as_a_validator() {
    let (env, _server, client) = served();
    let authority = keypair(&env.reservation_authority);
    // A reservation paying 7 micro-lamports per compute unit (the compute-budget program's
    // SetComputeUnitPrice, instruction 3).
    let price = Instruction::new_with_bytes(
        COMPUTE_BUDGET_PROGRAM,
        &[[3].as_slice(), &7u64.to_le_bytes()].concat(),
        Vec::new(),
    );
    let reserve = instructions::reserve_connection(
        authority.pubkey(),
        pda::device(CODE),
        Ipv4Addr::new(100, 64, 0, 2),
        None,
    );
    // In a slot of its own, so that its slot's lowest fee is its own.
    env.next_slot();
    let blockhash = client.get_latest_blockhash().unwrap();
    let transaction = Transaction::new_signed_with_payer(
        &[price, reserve],
        Some(&authority.pubkey()),
        &[&authority],
        blockhash,
    );
    let signature = client.send_and_confirm_transaction(&transaction).unwrap();

    let before = client.get_slot().unwrap();
    let epoch = client.get_epoch_info().expect("getEpochInfo");
    let slot = client.get_slot().unwrap();
    assert!((before..=slot).contains(&epoch.absolute_slot), "{epoch:?}");
    assert_eq!(
        epoch.block_height, epoch.absolute_slot,
        "no slot is skipped"
    );
    assert!(epoch.slot_index < epoch.slots_in_epoch, "{epoch:?}");
    assert!(epoch.epoch > 0, "{epoch:?}");

    // The program's history, newest first: this reservation, then the CLI's before it.
    let history = client
        .get_signatures_for_address(&PROGRAM_ID)
        .expect("getSignaturesForAddress");
    assert_eq!(history[0].signature, signature.to_string());
    assert!(
        history.len() >= 3,
        "device creation, the CLI's reservation, ours"
    );
    assert!(history.windows(2).all(|pair| pair[0].slot >= pair[1].slot));
    let landed = &history[0];
    assert_eq!(
        landed.confirmation_status,
        Some(TransactionConfirmationStatus::Finalized)
    );
    let older = client
        .get_signatures_for_address_with_config(
            &PROGRAM_ID,
            GetConfirmedSignaturesForAddress2Config {
                before: Some(signature),
                limit: Some(1),
                ..GetConfirmedSignaturesForAddress2Config::default()
            },
        )
        .unwrap();
    assert_eq!(older.len(), 1);
    assert_eq!(older[0].signature, history[1].signature);
    let stranger = client
        .get_signatures_for_address(&env.stranger.pubkey)
        .unwrap();
    assert!(stranger.is_empty(), "no transaction names the stranger");

    // Block times: the landed transaction's slot; a slot never produced is -32004.
    assert_eq!(
        Some(client.get_block_time(landed.slot).expect("getBlockTime")),
        landed.block_time
    );
    let missing = client.get_block_time(slot + 10).unwrap_err();
    assert_eq!(rpc_error(&missing).0, -32004, "{missing:?}");

    // Prioritization fees of the slots that write-locked the device: ours paid 7, the CLI's 0.
    let fees = client
        .get_recent_prioritization_fees(&[pda::device(CODE)])
        .expect("getRecentPrioritizationFees");
    let fee_at = |slot: u64| {
        fees.iter()
            .find(|fee| fee.slot == slot)
            .map(|fee| fee.prioritization_fee)
    };
    assert_eq!(fee_at(landed.slot), Some(7));
    assert_eq!(fee_at(history[1].slot), Some(0));
    assert!(client
        .get_recent_prioritization_fees(&[env.stranger.pubkey])
        .unwrap()
        .is_empty());
}

#[test]
fn slots_follow_a_validators_clock_whether_or_not_anything_lands() {
    let (_env, _server, client) = served();
    let first = client.get_slot().unwrap();
    let started = std::time::Instant::now();
    std::thread::sleep(std::time::Duration::from_millis(1_300));
    let later = client.get_slot().unwrap();
    // A slot every 400 ms of wall time: at least 3 in 1.3 s, at most one more than passed.
    let at_most = started.elapsed().as_millis() as u64 / 400 + 1;
    assert!(
        (first + 3..=first + at_most).contains(&later),
        "{first} → {later} in {:?}",
        started.elapsed()
    );

    // The block height, the latest blockhash's last valid height and the epoch information
    // all follow the same slots (no slot is skipped: block height is the slot).
    let height_before = client.get_block_height().unwrap();
    let (blockhash, last_valid) = client
        .get_latest_blockhash_with_commitment(CommitmentConfig::confirmed())
        .unwrap();
    let epoch = client.get_epoch_info().unwrap();
    let height_after = client.get_block_height().unwrap();
    assert!(
        (height_before + 150..=height_after + 150).contains(&last_valid),
        "last valid {last_valid}, heights {height_before}..={height_after}"
    );
    assert!((height_before..=height_after).contains(&epoch.absolute_slot));
    assert!((height_before..=height_after).contains(&epoch.block_height));
    assert!(client
        .is_blockhash_valid(&blockhash, CommitmentConfig::confirmed())
        .unwrap());
}

#[test]
fn a_thousand_transactions_signed_with_one_blockhash_all_land() {
    let env = Env::with_device(CODE, 1_000);
    let server = Server::start(&env.ledger);
    let client = RpcClient::new_with_commitment(server.url.clone(), CommitmentConfig::confirmed());
    let authority = keypair(&env.reservation_authority);
    let airdrop = client
        .request_airdrop(&authority.pubkey(), 100_000_000_000)
        .unwrap();
    assert!(client.confirm_transaction(&airdrop).unwrap());

    let blockhash = client.get_latest_blockhash().unwrap();
    let transactions: Vec<Transaction> = (0..1_000u16)
        .map(|n| {
            let [hi, lo] = n.to_be_bytes();
            let instruction = instructions::reserve_connection(
                authority.pubkey(),
                pda::device(CODE),
                Ipv4Addr::new(100, 65, hi, lo),
                None,
            );
            Transaction::new_signed_with_payer(
                &[instruction],
                Some(&authority.pubkey()),
                &[&authority],
                blockhash,
            )
        })
        .collect();
    let started = std::time::Instant::now();
    let signatures: Vec<Signature> = transactions
        .iter()
        .map(|transaction| client.send_transaction(transaction).expect("accepted"))
        .collect();
    println!(
        "1,000 transactions with one blockhash sent in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    for chunk in signatures.chunks(256) {
        let statuses = client.get_signature_statuses(chunk).unwrap().value;
        for (signature, status) in chunk.iter().zip(statuses) {
            let status = status.unwrap_or_else(|| panic!("{signature} did not land"));
            assert!(status.err.is_none(), "{signature}: {:?}", status.err);
        }
    }
    assert_eq!(env.device(CODE).unwrap().reserved_seats, 1_000);
}
