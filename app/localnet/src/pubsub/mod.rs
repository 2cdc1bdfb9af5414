//! The validator's PubSub (websocket) API over the ledger file: `accountSubscribe`,
//! `programSubscribe`, `logsSubscribe`, `signatureSubscribe`, `slotSubscribe`,
//! `rootSubscribe` and their `…Unsubscribe`, with agave's request and notification shapes
//! ([`subscription`]).
//!
//! Notifications follow the file, not this process ([`watcher`]): a transaction sent by the
//! CLI or the agent in another process notifies exactly like one sent through `ledger serve`.
//! Websockets are `tokio-tungstenite` (the stack agave's own `PubsubClient` speaks); requests
//! and responses are `jsonrpc-core`'s types, as on the HTTP side.
//!
//! Memory is bounded per connection: its subscriptions live in its task and go with it; a
//! connection that does not keep up with the changes (its queue of [`CHANGE_QUEUE`] overflows,
//! or a write stalls for [`WRITE_TIMEOUT`]) is closed, as a validator drops slow subscribers.

pub mod subscription;
pub mod watcher;

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use jsonrpc_core::{
    Call, Error, ErrorCode, Failure, Id, MethodCall, Output, Params, Request, Value, Version,
};
use serde_json::json;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{broadcast, watch};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;

use self::subscription::{outcome_results, Subscription, UNSUBSCRIBE_METHODS};
use self::watcher::{LedgerChange, LedgerWatcher, RecentTransactions, CHANGE_QUEUE};
use crate::rpc::params::Positional;

/// How long a write to a client may stall before the connection is dropped.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// How often an idle connection is pinged, so that a client gone without closing is noticed.
const PING_INTERVAL: Duration = Duration::from_secs(30);

/// The largest request accepted (subscriptions are small; a validator's limit is similar).
const MAX_REQUEST_BYTES: usize = 1 << 20;

/// What the connections share.
struct Shared {
    /// Subscription ids, unique across connections as a validator's are.
    next_id: AtomicU64,
    connections: AtomicUsize,
    subscriptions: AtomicUsize,
    recent: Arc<RwLock<RecentTransactions>>,
    changes: broadcast::Sender<Arc<LedgerChange>>,
}

/// A running PubSub server; it stops when dropped.
pub struct PubsubServer {
    address: SocketAddr,
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
    runtime: Option<tokio::runtime::Runtime>,
    _watcher: LedgerWatcher,
}

impl PubsubServer {
    /// Serves subscriptions to the ledger file at `ledger` on `address` (port 0: any free
    /// port). Returns once listening; changes made from then on are notified.
    pub fn start(ledger: &Path, address: SocketAddr) -> io::Result<Self> {
        let listener = std::net::TcpListener::bind(address)?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("pubsub")
            .enable_all()
            .build()?;
        let (changes, _) = broadcast::channel(CHANGE_QUEUE);
        let recent = Arc::new(RwLock::new(RecentTransactions::default()));
        let watcher = LedgerWatcher::start(ledger, changes.clone(), recent.clone());
        let shared = Arc::new(Shared {
            next_id: AtomicU64::new(0),
            connections: AtomicUsize::new(0),
            subscriptions: AtomicUsize::new(0),
            recent,
            changes,
        });
        let (shutdown, stopped) = watch::channel(false);
        let listener = {
            let _entered = runtime.enter();
            TcpListener::from_std(listener)?
        };
        runtime.spawn(accept(listener, shared.clone(), stopped));
        Ok(PubsubServer {
            address,
            shared,
            shutdown,
            runtime: Some(runtime),
            _watcher: watcher,
        })
    }

    /// Where it listens.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Its URL, `ws://address:port`.
    pub fn url(&self) -> String {
        format!("ws://{}", self.address)
    }

    /// Open connections.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// Live subscriptions, over all connections.
    pub fn subscriptions(&self) -> usize {
        self.shared.subscriptions.load(Ordering::SeqCst)
    }
}

impl Drop for PubsubServer {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(runtime) = self.runtime.take() {
            // Without waiting: it may be dropped from within another runtime (an async caller).
            runtime.shutdown_background();
        }
    }
}

/// Accepts connections until shutdown.
async fn accept(listener: TcpListener, shared: Arc<Shared>, mut stopped: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    tokio::spawn(serve(stream, shared.clone(), stopped.clone()));
                }
                // Out of file descriptors and the like: the next accept may succeed.
                Err(error) => {
                    eprintln!("pubsub: accept failed: {error}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            _ = stopped.changed() => return,
        }
    }
}

/// One connection, from the websocket handshake to its end.
async fn serve(stream: TcpStream, shared: Arc<Shared>, mut stopped: watch::Receiver<bool>) {
    let config = WebSocketConfig::default()
        .max_message_size(Some(MAX_REQUEST_BYTES))
        .max_frame_size(Some(MAX_REQUEST_BYTES));
    let Ok(websocket) = tokio_tungstenite::accept_async_with_config(stream, Some(config)).await
    else {
        return;
    };
    // Subscribe to changes before the first request is read: nothing that lands after a
    // subscription is confirmed can be missed.
    let mut changes = shared.changes.subscribe();
    shared.connections.fetch_add(1, Ordering::SeqCst);
    let (mut sink, mut source) = websocket.split();
    let mut connection = Connection {
        shared: &shared,
        subscriptions: HashMap::new(),
    };
    let mut ping = tokio::time::interval(PING_INTERVAL);
    ping.reset();
    loop {
        let outgoing = tokio::select! {
            message = source.next() => match message {
                Some(Ok(Message::Text(text))) => connection.handle(text.as_str()),
                Some(Ok(Message::Binary(bytes))) => match std::str::from_utf8(&bytes) {
                    Ok(text) => connection.handle(text),
                    Err(_) => vec![failure(Error::parse_error(), Id::Null)],
                },
                // Pings are answered by tungstenite; pongs and frames need nothing.
                Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => Vec::new(),
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
            },
            change = changes.recv() => match change {
                Ok(change) => connection.notifications(&change),
                // Too slow to keep up: dropped, as a validator drops a subscriber whose
                // queue overflows.
                Err(broadcast::error::RecvError::Lagged(_)) => break,
                Err(broadcast::error::RecvError::Closed) => break,
            },
            _ = ping.tick() => vec![Message::Ping(Vec::new().into())],
            _ = stopped.changed() => break,
        };
        if !outgoing.is_empty() && !send_all(&mut sink, outgoing).await {
            break;
        }
    }
    let _ = tokio::time::timeout(Duration::from_secs(1), sink.close()).await;
    shared
        .subscriptions
        .fetch_sub(connection.subscriptions.len(), Ordering::SeqCst);
    shared.connections.fetch_sub(1, Ordering::SeqCst);
}

/// Sends `messages`, flushing once; `false` when the client is gone or stalled.
async fn send_all<S>(sink: &mut S, messages: Vec<Message>) -> bool
where
    S: futures_util::Sink<Message> + Unpin,
{
    let write = async {
        for message in messages {
            sink.feed(message).await?;
        }
        sink.flush().await
    };
    matches!(tokio::time::timeout(WRITE_TIMEOUT, write).await, Ok(Ok(())))
}

/// A connection's subscriptions.
struct Connection<'a> {
    shared: &'a Shared,
    subscriptions: HashMap<u64, Subscription>,
}

impl Connection<'_> {
    /// Answers a text message: a request or a batch. Returns the responses, then any
    /// notification a new subscription brings at once.
    fn handle(&mut self, text: &str) -> Vec<Message> {
        let request: Request = match serde_json::from_str(text) {
            Ok(request) => request,
            Err(_) => return vec![failure(Error::parse_error(), Id::Null)],
        };
        let mut follow_ups = Vec::new();
        let response = match request {
            Request::Single(call) => self
                .call(call, &mut follow_ups)
                .map(jsonrpc_core::Response::Single),
            Request::Batch(calls) => {
                let outputs: Vec<Output> = calls
                    .into_iter()
                    .filter_map(|call| self.call(call, &mut follow_ups))
                    .collect();
                (!outputs.is_empty()).then_some(jsonrpc_core::Response::Batch(outputs))
            }
        };
        let mut messages: Vec<Message> = response
            .map(|response| text_message(&response))
            .into_iter()
            .collect();
        messages.append(&mut follow_ups);
        messages
    }

    /// One call; a notification (no id) gets no answer, as JSON-RPC says.
    fn call(&mut self, call: Call, follow_ups: &mut Vec<Message>) -> Option<Output> {
        match call {
            Call::MethodCall(MethodCall {
                jsonrpc,
                method,
                params,
                id,
            }) => {
                let result = self.method(&method, params, follow_ups);
                Some(Output::from(result, id, jsonrpc))
            }
            Call::Notification(_) => None,
            Call::Invalid { id } => Some(Output::from(
                Err(Error::invalid_request()),
                id,
                Some(Version::V2),
            )),
        }
    }

    fn method(
        &mut self,
        method: &str,
        params: Params,
        follow_ups: &mut Vec<Message>,
    ) -> jsonrpc_core::Result<Value> {
        let params = Positional::new(params)?;
        if let Some(subscription) = Subscription::parse(method, &params) {
            let subscription = subscription?;
            let id = self.shared.next_id.fetch_add(1, Ordering::SeqCst);
            // A signature that has already landed gets its outcome at once: no later change
            // will bring it.
            if let Subscription::Signature {
                signature,
                received_notification,
            } = &subscription
            {
                let landed = self
                    .shared
                    .recent
                    .read()
                    .expect("the watcher never panics holding it")
                    .outcome(signature);
                if let Some((slot, result)) = landed {
                    follow_ups.extend(
                        outcome_results(slot, result, *received_notification)
                            .into_iter()
                            .map(|result| notification(&subscription, id, result)),
                    );
                    return Ok(json!(id));
                }
            }
            self.subscriptions.insert(id, subscription);
            self.shared.subscriptions.fetch_add(1, Ordering::SeqCst);
            return Ok(json!(id));
        }
        if UNSUBSCRIBE_METHODS.contains(&method) {
            let id: u64 = params.required(0)?;
            return match self.subscriptions.remove(&id) {
                Some(_) => {
                    self.shared.subscriptions.fetch_sub(1, Ordering::SeqCst);
                    Ok(Value::Bool(true))
                }
                None => Err(Error {
                    code: ErrorCode::InvalidParams,
                    message: "Invalid subscription id.".into(),
                    data: None,
                }),
            };
        }
        Err(Error::method_not_found())
    }

    /// The notifications `change` brings to this connection's subscriptions; a signature
    /// subscription that fired ends.
    fn notifications(&mut self, change: &LedgerChange) -> Vec<Message> {
        let mut messages = Vec::new();
        let mut fired = Vec::new();
        for (id, subscription) in &self.subscriptions {
            let results = subscription.notifications(change);
            if subscription.is_one_shot() && !results.is_empty() {
                fired.push(*id);
            }
            messages.extend(
                results
                    .into_iter()
                    .map(|result| notification(subscription, *id, result)),
            );
        }
        for id in fired {
            self.subscriptions.remove(&id);
            self.shared.subscriptions.fetch_sub(1, Ordering::SeqCst);
        }
        messages
    }
}

/// A notification message, as a validator sends it.
fn notification(subscription: &Subscription, id: u64, result: Value) -> Message {
    text_message(&json!({
        "jsonrpc": "2.0",
        "method": subscription.notification_method(),
        "params": { "result": result, "subscription": id },
    }))
}

fn failure(error: Error, id: Id) -> Message {
    text_message(&Output::Failure(Failure {
        jsonrpc: Some(Version::V2),
        error,
        id,
    }))
}

fn text_message<T: serde::Serialize>(value: &T) -> Message {
    Message::text(serde_json::to_string(value).expect("JSON values serialize"))
}
