//! One file per instruction: its arguments, its `Accounts` struct with the constraints,
//! a `validate()` for rules constraints cannot express, and a short handler.

pub mod accept_admin;
pub mod add_foundation_key;
pub mod claim_tunnel_net;
pub mod close_device;
pub mod close_reservation;
pub mod create_device;
pub mod create_user;
pub mod delete_user;
pub mod initialize;
pub mod propose_admin;
pub mod prune_expired_reservation;
pub mod remove_foundation_key;
pub mod report_bgp_sessions;
pub mod reserve_connection;
pub mod set_authority;
pub mod set_reservations_paused;
pub mod set_user_bgp_status;
pub mod update_device;

pub use accept_admin::*;
pub use add_foundation_key::*;
pub use claim_tunnel_net::*;
pub use close_device::*;
pub use close_reservation::*;
pub use create_device::*;
pub use create_user::*;
pub use delete_user::*;
pub use initialize::*;
pub use propose_admin::*;
pub use prune_expired_reservation::*;
pub use remove_foundation_key::*;
pub use report_bgp_sessions::*;
pub use reserve_connection::*;
pub use set_authority::*;
pub use set_reservations_paused::*;
pub use set_user_bgp_status::*;
pub use update_device::*;
