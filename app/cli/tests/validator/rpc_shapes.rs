//! `ledger serve` held against the validator: one scenario calls every JSON-RPC method and
//! opens every subscription our clients and `docs/json-rpc.md` name, the same way on both (an
//! embedded ledger served by `ledger serve` with the same keys, program and accounts, and the
//! main validator), and compares the answers shape by shape: the keys of every object, the
//! JSON type of every value, and for errors the code and the message.
//!
//! Values differ by nature (slots, hashes, signatures, balances); shapes must not. The
//! differences that remain are [`KNOWN_DIFFERENCES`], each with the reason a client does not
//! notice it; they are listed in `docs/json-rpc.md`. A difference not in that list fails the
//! scenario, and so does a listed one that no longer occurs.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, TcpStream};
use std::time::{Duration, Instant};

use anchor_lang::prelude::Pubkey;
use base64::Engine;
use libtest_mimic::{Completion, Failed};
use serde_json::{json, Value};
use serviceability_client::chain::{RESERVATION_DEVICE_OFFSET, USER_DEVICE_OFFSET};
use serviceability_client::{instructions as ix, pda, PROGRAM_ID};
use solana_keypair::read_keypair_file;
use solana_rpc_client::rpc_client::RpcClient;
use solana_rpc_client_api::client_error::ErrorKind;
use solana_rpc_client_api::request::{RpcError, RpcRequest};
use solana_signer::Signer;
use solana_transaction::Transaction;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

use crate::common::{args, seat, Env, Server};
use crate::suite::{Main, Suite};

const DEVICE: &str = "rpc-1";

/// Differences between `ledger serve` and the validator that a client does not notice, by
/// the call and the path where they appear, with the reason. `docs/json-rpc.md` lists them.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[
    (
        r#"getEpochInfo: .result.transactionCount: ledger serve "null", the validator "number""#,
        "the ledger keeps the last 1,000 transactions, not a count since genesis; the field is \
         optional in agave's RpcEpochInfo and clients type it as nullable",
    ),
    (
        r#"getSignatureStatuses: .result.value[0].confirmations: ledger serve "null", the validator "number""#,
        "null means rooted: everything `ledger serve` lands is final at once (its \
         confirmationStatus says `finalized`)",
    ),
    (
        r#"getTransaction (base64): .result.meta.costUnits: only the validator has it ("number")"#,
        "no cost model runs beside litesvm; agave omits the field when it is unknown",
    ),
    (
        r#"getTransaction (json): .result.meta.costUnits: only the validator has it ("number")"#,
        "as above",
    ),
    (
        r#"simulateTransaction: .result.value.loadedAccountsDataSize: ledger serve "null", the validator "number""#,
        "litesvm does not report it; optional in agave's result, read only to set a \
         loaded-accounts-data-size limit",
    ),
    (
        r#"simulateTransaction (program error): .result.value.loadedAccountsDataSize: ledger serve "null", the validator "number""#,
        "as above",
    ),
];

/// One side of the comparison.
struct Target {
    name: &'static str,
    env: Env,
    client: RpcClient,
    websocket_url: String,
}

/// What one call answered: the result, or the error's code and message (and the shape of its
/// data).
fn call(client: &RpcClient, method: &'static str, params: Value) -> Value {
    match client.send::<Value>(RpcRequest::Custom { method }, params) {
        Ok(result) => json!({ "result": result }),
        Err(error) => match error.kind() {
            ErrorKind::RpcError(RpcError::RpcResponseError { code, message, .. }) => {
                json!({ "error": { "code": code, "message": message } })
            }
            other => json!({ "transport error": other.to_string() }),
        },
    }
}

/// The shape of a JSON value: objects keep their keys, arrays the shape of their first
/// element, everything else becomes its JSON type (error codes and messages are kept, as
/// clients match on them).
fn shape(value: &Value) -> Value {
    match value {
        Value::Null => json!("null"),
        Value::Bool(_) => json!("boolean"),
        Value::Number(_) => json!("number"),
        Value::String(_) => json!("string"),
        Value::Array(items) => match items.first() {
            Some(first) => json!([shape(first)]),
            None => json!([]),
        },
        Value::Object(map) => {
            if let (Some(code), Some(message)) = (map.get("code"), map.get("message")) {
                if map.len() <= 3 {
                    return json!({ "code": code, "message": message });
                }
            }
            Value::Object(
                map.iter()
                    .map(|(key, value)| (key.clone(), shape(value)))
                    .collect(),
            )
        }
    }
}

/// Where two shapes differ, as `path: ledger serve … / validator …` lines.
fn differences(path: &str, served: &Value, validator: &Value, out: &mut Vec<String>) {
    match (served, validator) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let here = format!("{path}.{key}");
                match (a.get(key), b.get(key)) {
                    (Some(a), Some(b)) => differences(&here, a, b, out),
                    (Some(a), None) => out.push(format!("{here}: only ledger serve has it ({a})")),
                    (None, Some(b)) => out.push(format!("{here}: only the validator has it ({b})")),
                    (None, None) => unreachable!(),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if !a.is_empty() && !b.is_empty() => {
            differences(&format!("{path}[0]"), &a[0], &b[0], out)
        }
        // One side has no element to compare (an empty list): not a shape difference.
        (Value::Array(_), Value::Array(_)) => {}
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{path}: ledger serve {a}, the validator {b}")),
    }
}

/// A raw websocket client of one PubSub endpoint, its reads bounded.
struct Socket {
    socket: WebSocket<MaybeTlsStream<TcpStream>>,
    next_id: u64,
}

impl Socket {
    fn connect(url: &str) -> Socket {
        let (socket, _) =
            tungstenite::connect(url).unwrap_or_else(|error| panic!("{url}: {error}"));
        if let MaybeTlsStream::Plain(stream) = socket.get_ref() {
            stream
                .set_read_timeout(Some(Duration::from_millis(200)))
                .expect("a read timeout");
        }
        Socket { socket, next_id: 1 }
    }

    /// Sends a request; returns its id.
    fn request(&mut self, method: &str, params: Value) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        let request = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params });
        self.socket
            .send(Message::text(request.to_string()))
            .expect("sent");
        id
    }

    /// The next message, if one arrives within the read timeout.
    fn next(&mut self) -> Option<Value> {
        match self.socket.read() {
            Ok(Message::Text(text)) => Some(serde_json::from_str(&text).expect("JSON")),
            Ok(_) => None,
            Err(tungstenite::Error::Io(error))
                if matches!(
                    error.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                None
            }
            Err(error) => panic!("websocket: {error}"),
        }
    }

    /// Collects messages until `done` holds for what was collected, for at most `timeout`.
    fn collect_until(
        &mut self,
        timeout: Duration,
        mut done: impl FnMut(&[Value]) -> bool,
    ) -> Vec<Value> {
        let started = Instant::now();
        let mut messages = Vec::new();
        while !done(&messages) && started.elapsed() < timeout {
            if let Some(message) = self.next() {
                messages.push(message);
            }
        }
        messages
    }
}

/// The subscriptions a client can open, with their parameters, and the
/// notification method each answers with.
fn subscriptions(signature: &str) -> Vec<(&'static str, Value, &'static str)> {
    let device = pda::device(DEVICE).to_string();
    vec![
        (
            "accountSubscribe",
            json!([device, { "encoding": "base64", "commitment": "confirmed" }]),
            "accountNotification",
        ),
        (
            "programSubscribe",
            json!([PROGRAM_ID.to_string(), {
                "encoding": "base64",
                "commitment": "confirmed",
                "filters": [{ "memcmp": { "offset": RESERVATION_DEVICE_OFFSET, "bytes": device } }],
            }]),
            "programNotification",
        ),
        (
            "logsSubscribe",
            json!([{ "mentions": [PROGRAM_ID.to_string()] }, { "commitment": "confirmed" }]),
            "logsNotification",
        ),
        (
            "signatureSubscribe",
            json!([signature, { "commitment": "confirmed", "enableReceivedNotification": true }]),
            "signatureNotification",
        ),
        ("slotSubscribe", json!([]), "slotNotification"),
        ("rootSubscribe", json!([]), "rootNotification"),
    ]
}

/// Every call and subscription on `target`; the answers by name.
fn scenario(target: &Target) -> BTreeMap<String, Value> {
    let mut answers = BTreeMap::new();
    let client = &target.client;
    let env = &target.env;
    let authority = read_keypair_file(&env.reservation_authority.path).expect("a keypair");
    let device = pda::device(DEVICE);
    let missing = Pubkey::new_from_array([0xee; 32]);

    // The chain and the cluster.
    for (method, params) in [
        ("getHealth", json!([])),
        ("getVersion", json!([])),
        ("getGenesisHash", json!([])),
        ("getSlot", json!([{ "commitment": "confirmed" }])),
        ("getBlockHeight", json!([{ "commitment": "confirmed" }])),
        ("getEpochInfo", json!([{ "commitment": "confirmed" }])),
        ("getLatestBlockhash", json!([{ "commitment": "confirmed" }])),
        ("getMinimumBalanceForRentExemption", json!([120])),
        ("getRecentPrioritizationFees", json!([[device.to_string()]])),
    ] {
        record(&mut answers, method, call(client, method, params));
    }
    let blockhash = client.get_latest_blockhash().expect("a blockhash");
    record(
        &mut answers,
        "isBlockhashValid",
        call(
            client,
            "isBlockhashValid",
            json!([blockhash.to_string(), { "commitment": "confirmed" }]),
        ),
    );

    // Accounts.
    // Read at `confirmed`, as the clients do (a validator's default, `finalized`, lags the
    // accounts just written by ~13 s; `ledger serve` finalizes at once).
    record(
        &mut answers,
        "getBalance",
        call(
            client,
            "getBalance",
            json!([env.admin.pubkey.to_string(), { "commitment": "confirmed" }]),
        ),
    );
    for encoding in ["base64", "base58", "base64+zstd", "jsonParsed"] {
        record(
            &mut answers,
            &format!("getAccountInfo ({encoding})"),
            call(
                client,
                "getAccountInfo",
                json!([device.to_string(), { "encoding": encoding, "commitment": "confirmed" }]),
            ),
        );
    }
    record(
        &mut answers,
        "getAccountInfo (dataSlice)",
        call(
            client,
            "getAccountInfo",
            json!([device.to_string(), { "encoding": "base64", "dataSlice": { "offset": 8, "length": 4 }, "commitment": "confirmed" }]),
        ),
    );
    record(
        &mut answers,
        "getAccountInfo (missing)",
        call(
            client,
            "getAccountInfo",
            json!([missing.to_string(), { "encoding": "base64" }]),
        ),
    );
    record(
        &mut answers,
        "getMultipleAccounts",
        call(
            client,
            "getMultipleAccounts",
            json!([[device.to_string(), missing.to_string()], { "encoding": "base64", "commitment": "confirmed" }]),
        ),
    );
    let user_filter =
        json!([{ "memcmp": { "offset": USER_DEVICE_OFFSET, "bytes": device.to_string() } }]);
    record(
        &mut answers,
        "getProgramAccounts (memcmp)",
        call(
            client,
            "getProgramAccounts",
            json!([PROGRAM_ID.to_string(), { "encoding": "base64", "filters": user_filter, "commitment": "confirmed" }]),
        ),
    );
    record(
        &mut answers,
        "getProgramAccounts (dataSize, withContext)",
        call(
            client,
            "getProgramAccounts",
            json!([PROGRAM_ID.to_string(), { "encoding": "base64", "filters": [{ "dataSize": 93 }], "withContext": true, "commitment": "confirmed" }]),
        ),
    );

    // A transaction: simulated, sent, then looked up every way.
    let reserve = |ip: Ipv4Addr| {
        let blockhash = client.get_latest_blockhash().expect("a blockhash");
        Transaction::new_signed_with_payer(
            &[ix::reserve_connection(authority.pubkey(), device, ip, None)],
            Some(&authority.pubkey()),
            &[&authority],
            blockhash,
        )
    };
    let wire = |transaction: &Transaction| {
        base64::engine::general_purpose::STANDARD.encode(wire_bytes(transaction))
    };
    let first = reserve(Ipv4Addr::new(100, 64, 9, 1));
    record(
        &mut answers,
        "simulateTransaction",
        call(
            client,
            "simulateTransaction",
            json!([wire(&first), { "encoding": "base64", "commitment": "confirmed" }]),
        ),
    );
    let fee_message = base64::engine::general_purpose::STANDARD.encode(first.message.serialize());
    record(
        &mut answers,
        "getFeeForMessage",
        call(
            client,
            "getFeeForMessage",
            json!([fee_message, { "commitment": "confirmed" }]),
        ),
    );

    // Subscriptions, opened before the transaction they are notified of is sent.
    let mut socket = Socket::connect(&target.websocket_url);
    let signature = first.signatures[0].to_string();
    let opened: Vec<(&str, u64, &str)> = subscriptions(&signature)
        .into_iter()
        .map(|(method, params, notification)| {
            (method, socket.request(method, params), notification)
        })
        .collect();
    let confirmations = socket.collect_until(Duration::from_secs(10), |messages| {
        messages
            .iter()
            .filter(|message| message.get("id").is_some())
            .count()
            == opened.len()
    });
    for (method, id, _) in &opened {
        let answer = confirmations
            .iter()
            .find(|message| message["id"] == *id)
            .cloned()
            .unwrap_or(Value::Null);
        record(&mut answers, method, answer);
    }
    let subscription_of = |id: u64| {
        confirmations
            .iter()
            .find(|message| message["id"] == id)
            .map(|message| message["result"].clone())
            .unwrap_or(Value::Null)
    };

    record(
        &mut answers,
        "sendTransaction",
        call(
            client,
            "sendTransaction",
            json!([wire(&first), { "encoding": "base64", "preflightCommitment": "confirmed" }]),
        ),
    );
    let wanted: Vec<&str> = opened
        .iter()
        .map(|(_, _, notification)| *notification)
        .collect();
    let notifications = socket.collect_until(Duration::from_secs(20), |messages| {
        wanted.iter().all(|notification| {
            messages.iter().any(|message| {
                message["method"] == *notification
                    // The signature's final notification, not only "receivedSignature".
                    && (*notification != "signatureNotification"
                        || message["params"]["result"]["value"].get("err").is_some())
            })
        })
    });
    for (method, _, notification) in &opened {
        let first = notifications
            .iter()
            .find(|message| {
                message["method"] == *notification
                    && (*notification != "signatureNotification"
                        || message["params"]["result"]["value"].get("err").is_some())
            })
            .cloned()
            .unwrap_or(Value::Null);
        record(&mut answers, &format!("{method} → {notification}"), first);
    }
    for (method, id, _) in &opened {
        if *method == "signatureSubscribe" {
            continue; // Ends with its notification.
        }
        let unsubscribe = method.replace("Subscribe", "Unsubscribe");
        let request = socket.request(&unsubscribe, json!([subscription_of(*id)]));
        let answer = socket.collect_until(Duration::from_secs(10), |messages| {
            messages.iter().any(|message| message["id"] == request)
        });
        record(
            &mut answers,
            &unsubscribe,
            answer
                .into_iter()
                .find(|message| message["id"] == request)
                .unwrap_or(Value::Null),
        );
    }
    let request = socket.request("accountUnsubscribe", json!([987_654_321u64]));
    let answer = socket.collect_until(Duration::from_secs(10), |messages| {
        messages.iter().any(|message| message["id"] == request)
    });
    record(
        &mut answers,
        "accountUnsubscribe (unknown id)",
        answer
            .into_iter()
            .find(|message| message["id"] == request)
            .unwrap_or(Value::Null),
    );
    let request = socket.request("blockSubscribe", json!(["all"]));
    let answer = socket.collect_until(Duration::from_secs(10), |messages| {
        messages.iter().any(|message| message["id"] == request)
    });
    record(
        &mut answers,
        "blockSubscribe (not offered)",
        answer
            .into_iter()
            .find(|message| message["id"] == request)
            .unwrap_or(Value::Null),
    );
    drop(socket);

    // The landed transaction, looked up.
    let started = Instant::now();
    while client
        .get_signature_statuses(&[first.signatures[0]])
        .ok()
        .and_then(|statuses| statuses.value[0].clone())
        .is_none_or(|status| status.confirmation_status.is_none())
    {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{signature} did not land"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    record(
        &mut answers,
        "getSignatureStatuses",
        call(
            client,
            "getSignatureStatuses",
            json!([[signature], { "searchTransactionHistory": true }]),
        ),
    );
    for encoding in ["json", "base64"] {
        record(
            &mut answers,
            &format!("getTransaction ({encoding})"),
            call(
                client,
                "getTransaction",
                json!([signature, { "encoding": encoding, "commitment": "confirmed", "maxSupportedTransactionVersion": 0 }]),
            ),
        );
    }
    let landed_slot = answers["getTransaction (json)"]["result"]["slot"].clone();
    record(
        &mut answers,
        "getBlockTime",
        call(client, "getBlockTime", json!([landed_slot])),
    );
    record(
        &mut answers,
        "getSignaturesForAddress",
        call(
            client,
            "getSignaturesForAddress",
            json!([device.to_string(), { "limit": 3, "commitment": "confirmed" }]),
        ),
    );

    // Refusals.
    let duplicate = reserve(Ipv4Addr::new(100, 64, 9, 1));
    record(
        &mut answers,
        "sendTransaction (preflight failure)",
        call(
            client,
            "sendTransaction",
            json!([wire(&duplicate), { "encoding": "base64", "preflightCommitment": "confirmed" }]),
        ),
    );
    record(
        &mut answers,
        "simulateTransaction (program error)",
        call(
            client,
            "simulateTransaction",
            json!([wire(&duplicate), { "encoding": "base64", "commitment": "confirmed" }]),
        ),
    );
    let mut stale = reserve(Ipv4Addr::new(100, 64, 9, 2));
    stale.message.recent_blockhash = solana_hash::Hash::new_from_array([7; 32]);
    stale.signatures = vec![authority.sign_message(&stale.message_data())];
    record(
        &mut answers,
        "sendTransaction (unknown blockhash)",
        call(
            client,
            "sendTransaction",
            json!([wire(&stale), { "encoding": "base64", "preflightCommitment": "confirmed" }]),
        ),
    );
    record(
        &mut answers,
        "getTransaction (unknown signature)",
        call(
            client,
            "getTransaction",
            json!([stale.signatures[0].to_string(), { "encoding": "json" }]),
        ),
    );
    record(
        &mut answers,
        "getBlockTime (no such block)",
        call(client, "getBlockTime", json!([10_000_000u64])),
    );
    record(
        &mut answers,
        "noSuchMethod",
        call(client, "noSuchMethod", json!([])),
    );
    record(
        &mut answers,
        "getAccountInfo (invalid pubkey)",
        call(client, "getAccountInfo", json!(["not-a-pubkey"])),
    );
    let airdrop = call(
        client,
        "requestAirdrop",
        json!([
            Pubkey::new_from_array([0x42; 32]).to_string(),
            1_000_000_000u64
        ]),
    );
    record(&mut answers, "requestAirdrop", airdrop);
    answers
}

fn record(answers: &mut BTreeMap<String, Value>, name: &str, answer: Value) {
    answers.insert(name.to_string(), answer);
}

/// A transaction's wire bytes.
fn wire_bytes(transaction: &Transaction) -> Vec<u8> {
    bincode::serialize(transaction).expect("serializes")
}

/// The same roles, device, reservation and user on `env`'s chain (the CLI), for both
/// targets: GlobalState as the CLI's script leaves it, whatever ran before.
fn prepare(main: &Main, env: &Env) {
    main.device(env, DEVICE, 8);
    env.ok(
        &env.reservation_authority,
        &args(&[&["reservation", "reserve"], &seat(DEVICE, "100.64.8.1")]),
    );
    env.ok(
        &env.activator,
        &args(&[
            &["user", "create"],
            &seat(DEVICE, "100.64.8.1"),
            &["--tunnel-net", "169.254.8.0/31"],
        ]),
    );
    env.ok(
        &env.reservation_authority,
        &args(&[
            &["reservation", "reserve"],
            &seat(DEVICE, "100.64.8.2"),
            &["--ttl", "1h"],
        ]),
    );
}

pub fn ledger_serve_answers_as_the_validator_does(suite: &Suite) -> Result<Completion, Failed> {
    let main = suite.main()?;
    // The validator's side: the suite's roles.
    let on_validator = main.env.twin(main.env.url.clone());
    prepare(&main, &on_validator);
    // ledger serve's side: the same keys on an embedded ledger with the same program (the
    // binary inherits SERVICEABILITY_SO), initialized and funded as the validator's were.
    let served = main.env.twin(None);
    served.ok(&served.admin, &["init"]);
    prepare(&main, &served);
    let server = Server::start(&served.ledger);

    let targets = [
        Target {
            name: "ledger serve",
            env: served.twin(Some(server.url.clone())),
            client: RpcClient::new_with_timeout(server.url.clone(), Duration::from_secs(10)),
            websocket_url: server.websocket_url.clone(),
        },
        Target {
            name: "the validator",
            env: on_validator,
            client: main.validator.client(),
            websocket_url: main.validator.websocket_url.clone(),
        },
    ];
    let answers: Vec<BTreeMap<String, Value>> = targets.iter().map(scenario).collect();
    // Every call answered and every subscription notified, on both.
    for (target, answers) in targets.iter().zip(&answers) {
        let unanswered: Vec<&String> = answers
            .iter()
            .filter(|(_, answer)| answer.is_null())
            .map(|(name, _)| name)
            .collect();
        assert!(
            unanswered.is_empty(),
            "{}: no answer to {unanswered:?}",
            target.name
        );
    }
    let mut found = Vec::new();
    for (name, served) in &answers[0] {
        let validator = answers[1].get(name).cloned().unwrap_or(Value::Null);
        let mut lines = Vec::new();
        differences("", &shape(served), &shape(&validator), &mut lines);
        for line in lines {
            found.push(format!("{name}: {line}"));
        }
    }
    println!(
        "{} calls and subscriptions compared between {} and {}",
        answers[0].len(),
        targets[0].name,
        targets[1].name
    );
    for line in &found {
        println!("  {line}");
    }
    // Values that must be equal too: the same agave line answers `getVersion`.
    assert_eq!(
        answers[0]["getVersion"], answers[1]["getVersion"],
        "the version and feature set"
    );
    let known: Vec<&str> = KNOWN_DIFFERENCES.iter().map(|(line, _)| *line).collect();
    let unexpected: Vec<&String> = found
        .iter()
        .filter(|line| !known.contains(&line.as_str()))
        .collect();
    let gone: Vec<&&str> = known
        .iter()
        .filter(|line| !found.iter().any(|found| found == *line))
        .collect();
    assert!(
        unexpected.is_empty() && gone.is_empty(),
        "differences not listed: {unexpected:#?}\nlisted but gone: {gone:#?}"
    );
    Ok(Completion::Completed)
}
