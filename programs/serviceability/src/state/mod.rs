//! Account types, one file each.

pub mod admin_proposal;
pub(crate) mod appended;
pub mod device;
pub mod global_state;
pub mod reservation;
pub mod tunnel_claim;
pub mod user;

pub use admin_proposal::*;
pub use device::*;
pub use global_state::*;
pub use reservation::*;
pub use tunnel_claim::*;
pub use user::*;
