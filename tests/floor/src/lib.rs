//! The benchmark's reference floor: one Anchor instruction that creates a PDA account of a
//! Reservation's size (93 bytes) with `init` and does nothing else. Anchor's `init` always
//! finds the bump (`find_program_address`; it refuses a given one), so the figure depends on
//! how many tries the seeds need: the benchmark uses a fixed payer. Every compute-unit figure
//! of the serviceability program is also reported as a ratio to this one
//! (`tests/benches/performance.rs`).
//!
//! Built for SBF by `cargo xtask sbf` into `target/deploy/anchor_init_floor.so`; it is never
//! deployed.

use anchor_lang::prelude::*;
#[cfg(target_arch = "bpf")]
use solana_compiler_builtins as _;

declare_id!("Abu79JaSBxSLBGmdAaXnY3bULo9Z8eQHA5jDnVYqUV9j");

/// Seed prefix of the created account: `["floor", payer]`.
pub const FLOOR_SEED: &[u8] = b"floor";

/// The reference program.
#[program]
pub mod anchor_init_floor {
    use super::*;

    /// Creates the payer's `["floor", payer]` account.
    pub fn init(_ctx: Context<Init>) -> Result<()> {
        Ok(())
    }
}

/// Accounts of `init`.
#[derive(Accounts)]
pub struct Init<'info> {
    /// Pays the rent.
    #[account(mut)]
    pub payer: Signer<'info>,
    /// The account created, of a Reservation's size.
    #[account(
        init,
        payer = payer,
        space = 8 + Seat::INIT_SPACE,
        seeds = [FLOOR_SEED, payer.key().as_ref()],
        bump,
    )]
    pub seat: Account<'info, Seat>,
    /// The system program, which creates the account.
    pub system_program: Program<'info, System>,
}

/// 85 bytes of fields: with the discriminator, a Reservation's 93.
#[account]
#[derive(InitSpace)]
pub struct Seat {
    /// Zeroed payload.
    pub payload: [u8; 85],
}
