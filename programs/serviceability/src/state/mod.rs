//! Account types, one file each.

pub mod device;
pub mod global_state;
pub mod reservation;
pub mod user;

pub use device::*;
pub use global_state::*;
pub use reservation::*;
pub use user::*;
