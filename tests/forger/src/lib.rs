//! A test program that logs whatever bytes it is given as a `Program data:` line, exactly as
//! `emit!` logs an event: the forger of the event-spoofing test (a second program in the same
//! transaction as the serviceability program). Built for SBF by `cargo xtask sbf` into
//! `target/deploy/event_forger.so`; it is never deployed.

use anchor_lang::prelude::*;
#[cfg(target_arch = "bpf")]
use solana_compiler_builtins as _;

declare_id!("2ZEBK3vxAkCYiYT1nEQsLRQgEo4qBb8F4raBdbXvqxjZ");

/// The forger.
#[program]
pub mod event_forger {
    use super::*;

    /// Logs `data` with `sol_log_data`, as one `Program data:` line.
    pub fn log(_ctx: Context<Log>, data: Vec<u8>) -> Result<()> {
        anchor_lang::solana_program::log::sol_log_data(&[&data]);
        Ok(())
    }
}

/// Accounts of `log`: none.
#[derive(Accounts)]
pub struct Log {}
