//! The PubSub server in process, spoken to over raw websockets: what a client library hides
//! (unsubscribing really stops the server's notifications, errors by code and message, every
//! subscription freed when its client vanishes) is checked on the wire and in the server's
//! own counts. Writes go through the ledger file from this process, as any other writer's do.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use serviceability_localnet::ledger::{EmbeddedLedger, ProgramRuntime};
use serviceability_localnet::pubsub::PubsubServer;
use solana_keypair::Keypair;
use solana_signer::Signer;
use tempfile::TempDir;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Client = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How long a notification may take.
const WAIT: Duration = Duration::from_secs(10);

/// How long silence is awaited where nothing must arrive: notifications of one change are
/// written together, so one that was due would be here well within it.
const QUIET: Duration = Duration::from_millis(300);

const SOL: u64 = 1_000_000_000;

struct Served {
    _dir: TempDir,
    ledger: PathBuf,
    server: PubsubServer,
}

fn served() -> Served {
    let dir = TempDir::new().unwrap();
    let ledger = dir.path().join("ledger.bin");
    EmbeddedLedger::open(&ledger, &ProgramRuntime::Native)
        .unwrap()
        .save()
        .unwrap();
    let any_port: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let server = PubsubServer::start(&ledger, any_port).expect("listens");
    Served {
        _dir: dir,
        ledger,
        server,
    }
}

/// An airdrop written to the ledger file by this process: a writer other than the server.
fn airdrop(ledger: &Path, to: &anchor_lang::prelude::Pubkey, lamports: u64) {
    let mut open = EmbeddedLedger::open(ledger, &ProgramRuntime::Native).unwrap();
    open.airdrop(to, lamports).unwrap().result.unwrap();
    open.save().unwrap();
}

async fn connect(served: &Served) -> Client {
    let (client, _) = tokio_tungstenite::connect_async(served.server.url())
        .await
        .expect("the websocket handshake");
    client
}

/// The next JSON message, within [`WAIT`].
async fn next_message(client: &mut Client) -> Value {
    loop {
        let message = tokio::time::timeout(WAIT, client.next())
            .await
            .expect("a message within the wait")
            .expect("the connection is open")
            .expect("a websocket message");
        if let Message::Text(text) = message {
            return serde_json::from_str(text.as_str()).expect("JSON");
        }
    }
}

/// A message arriving within [`QUIET`], if any.
async fn within_quiet(client: &mut Client) -> Option<Value> {
    tokio::time::timeout(QUIET, next_message(client)).await.ok()
}

/// Sends a request and returns its response (the first message: nothing else is due).
async fn call(client: &mut Client, method: &str, params: Value) -> Value {
    let request = json!({ "jsonrpc": "2.0", "id": 7, "method": method, "params": params });
    client
        .send(Message::text(request.to_string()))
        .await
        .expect("sent");
    let response = next_message(client).await;
    assert_eq!(response["id"], 7, "{response}");
    response
}

async fn subscribe(client: &mut Client, method: &str, params: Value) -> u64 {
    let response = call(client, method, params).await;
    response["result"]
        .as_u64()
        .unwrap_or_else(|| panic!("{method}: {response}"))
}

/// Waits until `done` holds, within [`WAIT`].
async fn eventually(what: &str, done: impl Fn() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < WAIT, "{what} within {WAIT:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsubscribing_stops_the_notifications() {
    let served = served();
    let wallet = Keypair::new().pubkey();
    let mut client = connect(&served).await;
    let account = subscribe(
        &mut client,
        "accountSubscribe",
        json!([wallet.to_string(), { "encoding": "base64" }]),
    )
    .await;
    let slot = subscribe(&mut client, "slotSubscribe", json!([])).await;
    assert_ne!(account, slot);
    assert_eq!(served.server.subscriptions(), 2);

    airdrop(&served.ledger, &wallet, SOL);
    // Slots begin every 400 ms whatever lands: slot notifications come and go between.
    let notification = next_other_than(&mut client, "slotNotification").await;
    assert_eq!(
        notification["method"], "accountNotification",
        "{notification}"
    );
    assert_eq!(notification["params"]["subscription"], account);
    assert_eq!(notification["params"]["result"]["value"]["lamports"], SOL);

    let response = call(&mut client, "accountUnsubscribe", json!([account])).await;
    assert_eq!(response["result"], true);
    assert_eq!(served.server.subscriptions(), 1);
    let again = call(&mut client, "accountUnsubscribe", json!([account])).await;
    assert_eq!(again["error"]["code"], -32602);
    assert_eq!(again["error"]["message"], "Invalid subscription id.");

    airdrop(&served.ledger, &wallet, 2 * SOL);
    // For a second, only slots: nothing for the account after its unsubscribe.
    let started = Instant::now();
    let mut slots = 0;
    while started.elapsed() < Duration::from_secs(1) {
        if let Some(notification) = within_quiet(&mut client).await {
            assert_eq!(notification["method"], "slotNotification", "{notification}");
            slots += 1;
        }
    }
    assert!(slots > 0, "slots went on being notified");
}

/// The next message whose method is not `skipped`, within [`WAIT`].
async fn next_other_than(client: &mut Client, skipped: &str) -> Value {
    let started = Instant::now();
    loop {
        assert!(started.elapsed() < WAIT, "only {skipped} within {WAIT:?}");
        let message = next_message(client).await;
        if message["method"] != skipped {
            return message;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_ledger_begins_a_slot_every_400_ms_and_notifies_each() {
    let served = served();
    let mut client = connect(&served).await;
    let slots = subscribe(&mut client, "slotSubscribe", json!([])).await;
    let roots = subscribe(&mut client, "rootSubscribe", json!([])).await;
    let started = Instant::now();
    let mut notified = Vec::new();
    while notified.len() < 4 {
        let notification = next_message(&mut client).await;
        if notification["params"]["subscription"] == slots {
            let info = &notification["params"]["result"];
            notified.push((
                info["slot"].as_u64().unwrap(),
                info["parent"].as_u64().unwrap(),
            ));
        } else {
            assert_eq!(
                notification["params"]["subscription"], roots,
                "{notification}"
            );
        }
    }
    let elapsed = started.elapsed();
    // Consecutive slots, each the next one's parent, nothing having landed.
    for pair in notified.windows(2) {
        assert_eq!(pair[1].0, pair[0].0 + 1, "{notified:?}");
        assert_eq!(pair[1].1, pair[0].0, "{notified:?}");
    }
    println!("4 slots notified in {elapsed:?} on an idle ledger: {notified:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_subscribers_are_all_notified_and_freed_when_they_vanish() {
    const SUBSCRIBERS: usize = 100;
    let served = served();
    let wallet = Keypair::new().pubkey();
    let mut balance = 0;
    for round in 1..=3 {
        let mut clients = Vec::with_capacity(SUBSCRIBERS);
        for _ in 0..SUBSCRIBERS {
            let mut client = connect(&served).await;
            let id = subscribe(
                &mut client,
                "accountSubscribe",
                json!([wallet.to_string(), { "encoding": "base64" }]),
            )
            .await;
            clients.push((client, id));
        }
        assert_eq!(served.server.connections(), SUBSCRIBERS);
        assert_eq!(served.server.subscriptions(), SUBSCRIBERS);

        // A different amount each round: the same transfer within one slot would be the same
        // transaction, landing once.
        let lamports = SOL * round;
        airdrop(&served.ledger, &wallet, lamports);
        balance += lamports;
        for (client, id) in &mut clients {
            let notification = next_message(client).await;
            assert_eq!(notification["method"], "accountNotification");
            assert_eq!(notification["params"]["subscription"], *id);
            assert_eq!(
                notification["params"]["result"]["value"]["lamports"],
                balance
            );
        }

        // Gone without a close handshake: half of them reset the connection outright.
        for (index, (client, _)) in clients.into_iter().enumerate() {
            if index % 2 == 0 {
                if let MaybeTlsStream::Plain(stream) = client.get_ref() {
                    stream
                        .set_zero_linger()
                        .expect("SO_LINGER 0: a reset on close");
                }
            }
            drop(client);
        }
        eventually("every connection and subscription freed", || {
            served.server.connections() == 0 && served.server.subscriptions() == 0
        })
        .await;
        println!(
            "round {round}: {SUBSCRIBERS} subscribers notified, then freed (connections 0, \
             subscriptions 0); this process (server and clients): {}",
            resident_memory()
        );
    }
}

/// This process's resident memory, as the kernel reports it (figures for the log only).
fn resident_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmRSS:"))
                .map(|line| line.trim_start_matches("VmRSS:").trim().to_string())
        })
        .unwrap_or_else(|| "unknown (no /proc)".into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_are_checked_as_a_validator_checks_them() {
    let served = served();
    let mut client = connect(&served).await;
    let error = |response: &Value| {
        (
            response["error"]["code"].as_i64().unwrap(),
            response["error"]["message"].as_str().unwrap().to_string(),
        )
    };
    let invalid = |message: &str| (-32602, message.to_string());

    let response = call(&mut client, "accountSubscribe", json!(["not-a-key"])).await;
    assert_eq!(
        error(&response),
        invalid("Invalid Request: Invalid pubkey provided")
    );
    let two = [
        Keypair::new().pubkey().to_string(),
        Keypair::new().pubkey().to_string(),
    ];
    let response = call(&mut client, "logsSubscribe", json!([{ "mentions": two }])).await;
    assert_eq!(
        error(&response),
        invalid("Invalid Request: Only 1 address supported")
    );
    let response = call(&mut client, "signatureSubscribe", json!(["1111"])).await;
    assert_eq!(
        error(&response),
        invalid("Invalid Request: Invalid signature provided")
    );
    let filters = vec![json!({ "dataSize": 93 }); 5];
    let program = Keypair::new().pubkey().to_string();
    let response = call(
        &mut client,
        "programSubscribe",
        json!([program, { "filters": filters }]),
    )
    .await;
    assert_eq!(
        error(&response),
        invalid("Too many filters provided; max 4")
    );
    let response = call(&mut client, "blockSubscribe", json!(["all"])).await;
    assert_eq!(error(&response).0, -32601, "not offered: method not found");
    assert_eq!(served.server.subscriptions(), 0, "nothing was subscribed");

    // Not JSON: the parse error, and the connection stays usable.
    client.send(Message::text("{")).await.unwrap();
    let response = next_message(&mut client).await;
    assert_eq!(response["error"]["code"], -32700);
    assert_eq!(response["id"], Value::Null);
    // A batch is answered as one.
    let batch = json!([
        { "jsonrpc": "2.0", "id": 1, "method": "slotSubscribe" },
        { "jsonrpc": "2.0", "id": 2, "method": "rootSubscribe" },
    ]);
    client.send(Message::text(batch.to_string())).await.unwrap();
    let response = next_message(&mut client).await;
    let answers = response.as_array().expect("a batch answer");
    assert_eq!(answers.len(), 2);
    assert!(answers.iter().all(|answer| answer["result"].is_u64()));
    assert_eq!(served.server.subscriptions(), 2);
}
