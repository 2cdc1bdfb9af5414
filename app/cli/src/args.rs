//! The command line: global flags as in the Solana CLI, then one subcommand per job. One file
//! on purpose (over 400 lines): it is declarations only, every flag with its help text and
//! parser, and reads in one place as `--help` shows it.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use anchor_lang::prelude::Pubkey;
use clap::{Args, Parser, Subcommand, ValueEnum};

use serviceability_client::types::TunnelNet;

use serviceability_client::rules::{parse_client_ip, parse_public_ip};

/// Reservation, device and user administration for the serviceability program, on a
/// cluster or on an embedded ledger.
#[derive(Debug, Parser)]
#[command(name = "serviceability", version, propagate_version = true)]
pub struct Cli {
    /// Cluster: `mainnet-beta`, `devnet`, `testnet`, `localhost` (or their first letter), an
    /// http(s) URL, or `embedded` (the local ledger file, see --ledger).
    #[arg(
        short = 'u',
        long = "url",
        global = true,
        value_name = "URL_OR_MONIKER"
    )]
    pub url: Option<String>,

    /// Keypair that signs and pays [default: the Solana CLI config's, else
    /// ~/.config/solana/id.json].
    #[arg(short = 'k', long = "keypair", global = true, value_name = "PATH")]
    pub keypair: Option<PathBuf>,

    /// Solana CLI config file to take the URL, keypair and commitment from [default:
    /// ~/.config/solana/cli/config.yml when it exists].
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Embedded ledger file [default: serviceability/ledger.bin in the user data directory].
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        env = "SERVICEABILITY_LEDGER"
    )]
    pub ledger: Option<PathBuf>,

    /// Run the embedded ledger's program from this compiled SBF `.so` (`cargo xtask sbf`,
    /// `anchor build`) instead of the native build; real compute units. Embedded ledger only.
    #[arg(long, global = true, value_name = "PATH", env = "SERVICEABILITY_SO")]
    pub program_so: Option<PathBuf>,

    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,

    /// Commitment for reads and confirmations [default: the config's, else confirmed].
    #[arg(long, global = true, value_enum)]
    pub commitment: Option<CommitmentArg>,

    /// Print the instructions and their simulation; send nothing.
    #[arg(long, global = true)]
    pub dry_run: bool,

    /// Pay this priority fee per compute unit on every write (the agent's too), as the
    /// Solana CLI's flag: a SetComputeUnitPrice instruction, and a SetComputeUnitLimit of
    /// the units the simulation consumed plus 10 % (at least 1,000).
    #[arg(long, global = true, value_name = "MICROLAMPORTS")]
    pub with_compute_unit_price: Option<u64>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned, human-readable tables.
    Table,
    /// One JSON document per command.
    Json,
}

/// Commitment levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CommitmentArg {
    /// Processed by the connected node.
    Processed,
    /// Voted on by a supermajority.
    Confirmed,
    /// Rooted.
    Finalized,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create GlobalState; the signer becomes its admin (and first activator authority).
    Init,
    /// Show or change the authorities; hand the admin role over in two steps.
    #[command(subcommand)]
    Authority(AuthorityCommand),
    /// Manage the foundation allowlist (admin).
    #[command(subcommand)]
    Allowlist(AllowlistCommand),
    /// Pause or resume new reservations everywhere (admin).
    #[command(subcommand)]
    Reservations(PauseCommand),
    /// Devices (foundation keys).
    #[command(subcommand)]
    Device(DeviceCommand),
    /// Seat reservations (reservation authority or foundation keys).
    #[command(subcommand)]
    Reservation(ReservationCommand),
    /// Users (activator authority or foundation keys; BGP status: the metrics publisher).
    #[command(subcommand)]
    User(UserCommand),
    /// Compare each device's seat counters with the accounts that exist; exit 1 on drift.
    Audit {
        /// Only this device (code or address).
        #[arg(long)]
        device: Option<String>,
    },
    /// Run a device's BGP telemetry agent, signing with its metrics publisher (-k).
    Agent(AgentArgs),
    /// A narrated tour on a fresh embedded ledger.
    Demo,
    /// Write a new keypair in the Solana CLI's file format (as `solana-keygen new` does).
    Keygen {
        /// Where to write it (default: the Solana CLI's default keypair path,
        /// `~/.config/solana/id.json`).
        #[arg(short = 'o', long = "outfile", value_name = "PATH")]
        outfile: Option<std::path::PathBuf>,
        /// Replace an existing file (its key is lost).
        #[arg(long)]
        force: bool,
    },
    /// The embedded ledger itself.
    #[command(subcommand)]
    Ledger(LedgerCommand),
    /// A device's address lookup tables, which its agent creates to report 60 users per
    /// transaction.
    #[command(subcommand)]
    LookupTable(LookupTableCommand),
}

/// `lookup-table …`
#[derive(Debug, Subcommand)]
pub enum LookupTableCommand {
    /// List a device's lookup tables: address, users held, status, rent.
    List {
        /// The device (code or address).
        device: String,
        /// Their authority [default: the device's metrics publisher].
        #[arg(long)]
        authority: Option<Pubkey>,
    },
    /// Close the device's lookup tables of the signer (-k, the metrics publisher that created
    /// them), in two steps as the lookup table program requires: an active table is
    /// deactivated; ~513 slots (~3.5 minutes) later, running this again closes it and returns
    /// its rent. Stop the agent first, or run it with `--lookup-table never`, or it creates a
    /// new one.
    Close {
        /// The device (code or address).
        device: String,
    },
}

/// `authority …`
#[derive(Debug, Subcommand)]
pub enum AuthorityCommand {
    /// Show GlobalState: admin, authorities, allowlist, pause flag.
    Show,
    /// Replace one authority.
    Set(AuthoritySetArgs),
    /// Propose a new admin (admin). Nothing changes until that key signs `accept-admin`, so
    /// a mistyped key never becomes admin; proposing again replaces the proposal.
    ProposeAdmin(ProposeAdminArgs),
    /// Become the admin: sign with the proposed key (`-k`).
    AcceptAdmin,
}

/// `authority propose-admin`: a key, or `--withdraw`.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct ProposeAdminArgs {
    /// The proposed admin.
    #[arg(value_name = "PUBKEY")]
    pub new_admin: Option<Pubkey>,
    /// Withdraw the pending proposal instead.
    #[arg(long)]
    pub withdraw: bool,
}

/// `authority set`: exactly one of the two.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct AuthoritySetArgs {
    /// The new reservation authority, or `none` to leave reservations to foundation keys.
    #[arg(long, value_name = "PUBKEY|none", value_parser = parse_optional_pubkey)]
    pub reservation: Option<OptionalPubkey>,
    /// The new activator authority.
    #[arg(long, value_name = "PUBKEY")]
    pub activator: Option<Pubkey>,
}

/// A pubkey or `none`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptionalPubkey(pub Option<Pubkey>);

fn parse_optional_pubkey(value: &str) -> Result<OptionalPubkey, String> {
    if value.eq_ignore_ascii_case("none") {
        return Ok(OptionalPubkey(None));
    }
    Pubkey::from_str(value)
        .map(|key| OptionalPubkey(Some(key)))
        .map_err(|error| format!("not a pubkey or `none`: {error}"))
}

/// `allowlist …`
#[derive(Debug, Subcommand)]
pub enum AllowlistCommand {
    /// Add a foundation key.
    Add {
        /// The key.
        key: Pubkey,
    },
    /// Remove a foundation key.
    Remove {
        /// The key.
        key: Pubkey,
    },
    /// List the foundation keys.
    List,
}

/// `reservations pause|resume`
#[derive(Debug, Subcommand)]
pub enum PauseCommand {
    /// Refuse new reservations (existing ones can still be closed or converted).
    Pause,
    /// Accept new reservations again.
    Resume,
}

/// Device statuses, as the CLI spells them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DeviceStatusArg {
    /// Created, not yet serving.
    Pending,
    /// Serving: accepts reservations and users.
    Activated,
    /// Temporarily out of service.
    Suspended,
    /// Being emptied: no new seats.
    Drained,
}

/// `device …`
#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// Create a device (status pending); the signer pays and owns it.
    Create {
        /// Its code: 1 to 32 characters of [a-z0-9-].
        #[arg(long)]
        code: String,
        /// Its public IPv4 address.
        #[arg(long, value_name = "IP", value_parser = parse_public_ip)]
        public_ip: Ipv4Addr,
        /// Its connection capacity (users + reservations).
        #[arg(long)]
        max_users: u16,
        /// The key its telemetry agent signs BGP reports with.
        #[arg(long, value_name = "PUBKEY")]
        metrics_publisher: Pubkey,
    },
    /// Change a device's capacity, status, metrics publisher, public IP or owner.
    Update {
        /// The device (code or address).
        device: String,
        /// New capacity.
        #[arg(long)]
        max_users: Option<u16>,
        /// New status.
        #[arg(long, value_enum)]
        status: Option<DeviceStatusArg>,
        /// New metrics publisher.
        #[arg(long, value_name = "PUBKEY")]
        metrics_publisher: Option<Pubkey>,
        /// New public IPv4 address.
        #[arg(long, value_name = "IP", value_parser = parse_public_ip)]
        public_ip: Option<Ipv4Addr>,
        /// New owner: receives the rent when the device is closed.
        #[arg(long, value_name = "PUBKEY")]
        owner: Option<Pubkey>,
    },
    /// List every device with its seats.
    List,
    /// Show one device.
    Show {
        /// The device (code or address).
        device: String,
    },
    /// Close an empty device; its owner gets the rent back.
    Close {
        /// The device (code or address).
        device: String,
    },
}

/// A `(device, client IP)` pair.
#[derive(Debug, Args)]
pub struct SeatArgs {
    /// The device (code or address).
    #[arg(long)]
    pub device: String,
    /// The client's IPv4 address.
    #[arg(long, value_name = "IP", value_parser = parse_client_ip)]
    pub client_ip: Ipv4Addr,
}

/// `reservation …`
#[derive(Debug, Subcommand)]
pub enum ReservationCommand {
    /// Reserve a seat for a client on a device.
    Reserve {
        /// The seat.
        #[command(flatten)]
        seat: SeatArgs,
        /// Expire after this long (e.g. `90s`, `15m`, `1h`); without it the seat is held until
        /// closed.
        #[arg(long, value_parser = humantime::parse_duration)]
        ttl: Option<Duration>,
    },
    /// Release a reservation; its payer gets the rent back.
    Close {
        /// The seat.
        #[command(flatten)]
        seat: SeatArgs,
    },
    /// Close every expired reservation (of one device, or all).
    Prune {
        /// Only this device (code or address).
        #[arg(long)]
        device: Option<String>,
    },
    /// List reservations (of one device, or all).
    List {
        /// Only this device (code or address).
        #[arg(long)]
        device: Option<String>,
    },
    /// Show one reservation.
    Show {
        /// The seat.
        #[command(flatten)]
        seat: SeatArgs,
    },
}

/// BGP session statuses, as the CLI spells them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BgpStatusArg {
    /// Not reported yet.
    Unknown,
    /// Session established.
    Up,
    /// Session down.
    Down,
}

/// `user …`
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user, consuming the pair's reservation when there is one.
    Create {
        /// The seat.
        #[command(flatten)]
        seat: SeatArgs,
        /// The user's tunnel network, a /30 or /31 (e.g. `169.254.0.0/31`).
        #[arg(long, value_name = "CIDR", value_parser = TunnelNet::from_str)]
        tunnel_net: TunnelNet,
        /// The user's owner [default: the signer].
        #[arg(long, value_name = "PUBKEY")]
        owner: Option<Pubkey>,
    },
    /// Delete a user; its payer gets the rent back.
    Delete {
        /// The seat.
        #[command(flatten)]
        seat: SeatArgs,
    },
    /// List users (of one device, or all).
    List {
        /// Only this device (code or address).
        #[arg(long)]
        device: Option<String>,
    },
    /// Show one user.
    Show {
        /// The seat.
        #[command(flatten)]
        seat: SeatArgs,
    },
    /// Record a user's BGP session status (signed by the device's metrics publisher).
    SetBgpStatus {
        /// The seat.
        #[command(flatten)]
        seat: SeatArgs,
        /// The status.
        #[arg(long, value_enum)]
        status: BgpStatusArg,
    },
}

/// `ledger …`
#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Show the embedded ledger: file, clock, program runtime, account counts.
    Info,
    /// Move the embedded ledger's clock forward (to expire reservations without waiting).
    Warp {
        /// How far, e.g. `2h`.
        #[arg(long, value_parser = humantime::parse_duration)]
        by: Duration,
    },
    /// Serve the embedded ledger with the Solana JSON-RPC methods that clients use over HTTP
    /// (a local endpoint for SDKs and for `-u http://…`) and the PubSub subscriptions over
    /// websockets (on the next port, as a validator), until SIGINT or SIGTERM.
    Serve {
        /// The HTTP port; 0 picks a free one (the URLs are printed once listening).
        #[arg(long, default_value_t = serviceability_localnet::server::DEFAULT_PORT)]
        port: u16,
        /// The websocket (PubSub) port [default: --port + 1, as a validator; with --port 0,
        /// a free one].
        #[arg(long)]
        ws_port: Option<u16>,
        /// The address to listen on. Loopback by default: whoever reaches the server can
        /// write to the ledger.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Record this key as the program's upgrade authority (the key that deployed it,
        /// the only one that may `init`), when the ledger has none yet. Without it, the
        /// first `init` on the embedded ledger records its signer.
        #[arg(long, value_name = "PUBKEY")]
        upgrade_authority: Option<Pubkey>,
    },
}

/// Where the agent reads sessions by default: the kernel, where it can.
#[cfg(target_os = "linux")]
const DEFAULT_SOCKETS: &str = "netlink";
#[cfg(not(target_os = "linux"))]
const DEFAULT_SOCKETS: &str = "proc";

/// `agent`
#[derive(Debug, Args)]
pub struct AgentArgs {
    /// The device (code or address).
    #[arg(long)]
    pub device: String,
    /// Time between ticks.
    #[arg(long, default_value = "30s", value_parser = humantime::parse_duration)]
    pub interval: Duration,
    /// Re-report an unchanged status when the last report is this old.
    #[arg(long, default_value = "6h", value_parser = humantime::parse_duration)]
    pub refresh_interval: Duration,
    /// Report Down only after the session has been down this long (Up is reported at once).
    #[arg(long, default_value = "5m", value_parser = humantime::parse_duration)]
    pub down_grace: Duration,
    /// Report an Up session's RTT on its own (between status reports) when it moved from the
    /// chain's by more than this percentage…
    #[arg(long, default_value_t = 20)]
    pub rtt_change_percent: u64,
    /// …and by more than this much.
    #[arg(long, default_value = "1ms", value_parser = humantime::parse_duration)]
    pub rtt_change_min: Duration,
    /// The BGP port (sessions with it at either end count).
    #[arg(long, default_value_t = 179)]
    pub bgp_port: u16,
    /// Where the BGP sessions are read: `netlink` (the kernel's sock_diag; see --netns),
    /// `proc` (/proc/net/tcp and tcp6, the agent's own namespace only) or a file in that
    /// format.
    #[arg(long, default_value = DEFAULT_SOCKETS, value_name = "netlink|proc|FILE")]
    pub sockets: String,
    /// With `--sockets netlink`: read this network namespace (a name under /var/run/netns,
    /// as `ip netns` makes them; a router's VRF) instead of the agent's own. Repeatable. A
    /// namespace that disappears is logged and skipped.
    #[arg(long = "netns", value_name = "NAME", conflicts_with = "all_netns")]
    pub netns: Vec<String>,
    /// With `--sockets netlink`: read the agent's own namespace and every named one, listed
    /// afresh each tick.
    #[arg(long)]
    pub all_netns: bool,
    /// Stop after this many ticks, once every submission is done [default: run until
    /// SIGINT or SIGTERM].
    #[arg(long)]
    pub ticks: Option<u64>,
    /// Serve Prometheus metrics on `http://HOST:PORT/metrics` (port 0: any free port; the
    /// address is logged): ticks and their duration, sessions up and down, updates by
    /// reason, transactions landed, failed and retried, updates in flight, the last landing.
    #[arg(long, value_name = "HOST:PORT")]
    pub metrics_addr: Option<std::net::SocketAddr>,
    /// On SIGINT or SIGTERM, go on sending what is queued for at most this long, then
    /// abandon the rest (logged) and exit.
    #[arg(long, default_value = "10s", value_parser = humantime::parse_duration)]
    pub shutdown_timeout: Duration,
    /// When to report through the device's address lookup tables (v0 transactions of 60
    /// reports instead of legacy ones of ~22): `auto` for a round with more reports than one
    /// legacy transaction carries, `always`, or `never`. The metrics publisher pays their
    /// rent; `lookup-table close` gives it back.
    #[arg(long, value_enum, default_value_t = LookupTableArg::Auto)]
    pub lookup_table: LookupTableArg,
}

/// `agent --lookup-table`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LookupTableArg {
    /// For a round with more reports than one legacy transaction carries.
    Auto,
    /// For every round.
    Always,
    /// Legacy transactions only.
    Never,
}
