//! Client library for the serviceability program.
//!
//! Every type comes from the committed IDL (`idl/serviceability.json`, seen here through
//! the `idls` symlink) by `declare_program!`: instruction accounts and arguments, account
//! and event types, constants, errors. On top of it this crate adds the one place that
//! derives PDAs ([`pda`]), instruction builders that use it ([`instructions`]), the error
//! table ([`errors`]), event decoding from transaction logs ([`events`]), decoding
//! of accounts still in an older layout ([`legacy`]), the program's rules for what people
//! type ([`rules`], [`tunnel`]), and the device's address lookup tables ([`lookup_table`]).

use anchor_lang::prelude::*;

declare_program!(serviceability);

pub mod chain;
pub mod compute_budget;
pub mod errors;
pub mod events;
pub mod idl;
pub mod instructions;
pub mod legacy;
pub mod lookup_table;
pub mod names;
pub mod pda;
pub mod rules;
pub mod transport;
pub mod tunnel;

pub use serviceability::{accounts, types, ID as PROGRAM_ID};

/// The IDL this crate was generated from, as committed.
pub const IDL_JSON: &str = include_str!("../idls/serviceability.json");
