//! What commands print. Each view is a type that serializes to the JSON document (stable
//! field names, pubkeys in base58, IPs dotted, timestamps as RFC 3339 and unix) and renders
//! its table, one file per view, as agave's `cli-output` does.

mod device;
mod dry_run;
mod global_state;
mod lookup_table;
mod outcome;
mod reservation;
mod table;
mod timestamp;
mod user;

pub use self::device::DeviceView;
pub use self::dry_run::dry_run_outcome;
pub use self::global_state::GlobalStateView;
pub use self::lookup_table::{LookupTableView, LookupTablesView};
pub use self::outcome::{written, Outcome};
pub use self::reservation::ReservationView;
pub use self::table::{key_values, list};
pub use self::timestamp::Timestamp;
pub use self::user::UserView;
