//! Program-derived addresses at a fifth of the runtime's price.
//!
//! Anchor's `seeds` constraint derives with the `sol_create_program_address` syscall (1,500
//! CU) and searches bumps with `sol_try_find_program_address` (1,500 CU per bump tried).
//! `solana-address` computes the very same derivation — SHA-256 of the seeds, the bump, the
//! program id and the PDA marker, then the off-curve test — through the `sol_sha256` and
//! `sol_curve_validate_point` syscalls, about 320 CU per bump. The accounts an instruction
//! creates, or requires to be vacant, are checked here (the canonical bump, as Anchor's
//! `init` requires: a non-canonical one would give the same seeds a second address). Their
//! seeds stay in the IDL through the `idl-build` attributes beside each such field.

use anchor_lang::error::ErrorCode;
use anchor_lang::prelude::*;
use anchor_lang::solana_program::pubkey::MAX_SEED_LEN;

/// The canonical address and bump of `seeds` under this program: what
/// `Pubkey::find_program_address` returns.
pub fn canonical<const N: usize>(seeds: &[&[u8]; N]) -> (Pubkey, u8) {
    // Some bump yields an off-curve address for all but a 2^-256 share of seeds; the
    // runtime's own search panics in that case too.
    Pubkey::derive_program_address(seeds, &crate::ID).expect("a bump that derives a PDA")
}

/// The bump of `account` if it is the canonical PDA of `seeds`, else Anchor's
/// `ConstraintSeeds` naming the account and both addresses, as a `seeds` constraint fails.
pub fn canonical_bump<const N: usize>(
    account: &AccountInfo,
    seeds: &[&[u8]; N],
    name: &str,
) -> Result<u8> {
    // The runtime refuses a seed over 32 bytes; the hash would not.
    if seeds.iter().any(|seed| seed.len() > MAX_SEED_LEN) {
        return Err(Error::from(ErrorCode::ConstraintSeeds).with_account_name(name));
    }
    let (address, bump) = canonical(seeds);
    if *account.key != address {
        return Err(Error::from(ErrorCode::ConstraintSeeds)
            .with_account_name(name)
            .with_pubkeys((*account.key, address)));
    }
    Ok(bump)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivations_equal_the_runtimes() {
        for client in 0u8..=40 {
            let seeds: [&[u8]; 3] = [b"user", crate::ID.as_ref(), &[10, 0, 0, client]];
            assert_eq!(
                canonical(&seeds),
                Pubkey::find_program_address(&seeds, &crate::ID),
                "client {client}"
            );
        }
    }
}
