//! What commands print. Each command returns a view: a type that serializes to the JSON
//! document (stable field names, pubkeys in base58, IPs dotted, timestamps as RFC 3339 and
//! unix) and displays as its table, one file per view, as agave's `cli-output` does; `main`
//! prints it once with [`OutputFormat::formatted_string`].

mod agent;
mod audit;
mod demo;
mod device;
mod dry_run;
mod global_state;
mod keygen;
mod ledger;
mod listing;
mod lookup_table;
mod reservation;
mod table;
mod timestamp;
mod user;
mod written;

use std::fmt;

use crate::args::OutputFormat;

pub use self::agent::AgentStoppedView;
pub use self::audit::{AuditView, DeviceAudit};
pub use self::demo::{DemoStepView, DemoView};
pub use self::device::{ClosedDeviceView, DeviceView};
pub use self::dry_run::DryRunView;
pub use self::global_state::{AllowlistView, DeviceRoles, FoundationKey, GlobalStateView};
pub use self::keygen::KeypairView;
pub use self::ledger::{LedgerInfoView, ServingView, WarpView};
pub use self::listing::{Keyed, List};
pub use self::lookup_table::{LookupTableView, LookupTablesView};
pub use self::reservation::{PrunedView, ReservationView, SeatReservedView};
pub use self::timestamp::Timestamp;
pub use self::user::{UserCreatedView, UserView};
pub use self::written::Written;

/// What a command returns: its JSON document (`Serialize`) and its table (`Display`).
pub trait CommandOutput: erased_serde::Serialize + fmt::Display {
    /// The exit status after printing (non-zero for audit drift).
    fn exit_code(&self) -> u8 {
        0
    }
}

erased_serde::serialize_trait_object!(CommandOutput);

/// What a command leaves for `main` to print.
pub enum Output {
    /// A view, printed once.
    View(Box<dyn CommandOutput>),
    /// Nothing: the command printed as it went (`ledger serve`'s address, first thing).
    Streamed,
}

impl<V: CommandOutput + 'static> From<V> for Output {
    fn from(view: V) -> Self {
        Output::View(Box::new(view))
    }
}

impl OutputFormat {
    /// `view` as this format prints it: its table, or its JSON document (keys sorted, so a
    /// document reads the same whichever view produced it).
    pub fn formatted_string(self, view: &dyn CommandOutput) -> String {
        match self {
            OutputFormat::Table => view.to_string(),
            OutputFormat::Json => {
                let document = serde_json::to_value(view).expect("views serialize");
                serde_json::to_string_pretty(&document).expect("JSON values print")
            }
        }
    }
}
