//! Accounts the program creates at its PDAs, without Anchor's `init`.
//!
//! Anchor evaluates `init` fields before every other constraint of an instruction, so with
//! `init` a refused signer still reaches the system program's CreateAccount, an argument
//! that breaks the PDA derivation panics, and a duplicate fails there as the system
//! program's anonymous `Custom(0)`. Instead the new account is an `UncheckedAccount` at its
//! seeds, its constraint requires [`is_vacant`] with the instruction's own error, and the
//! handler — which runs only after every constraint and `validate()` passed — checks the
//! address with [`canonical_vacant`] and calls [`create`].

use anchor_lang::prelude::*;
use anchor_lang::system_program::{self, Allocate, Assign, CreateAccount, Transfer};

use crate::errors::ServiceabilityError;
use crate::pda;

/// Whether nothing lives at this address yet: owned by the system program with no data.
/// It may hold lamports (anyone can send lamports to an address); [`create`] keeps them.
pub fn is_vacant(account: &AccountInfo) -> bool {
    account.owner == &system_program::ID && account.data_is_empty()
}

/// The canonical bump of `account` after checking that it is the canonical PDA of `seeds`
/// (else Anchor's `ConstraintSeeds`, see [`pda::canonical_bump`]) and [`is_vacant`] (else
/// `occupied`, the instruction's own error).
pub fn canonical_vacant<const N: usize>(
    account: &AccountInfo,
    seeds: &[&[u8]; N],
    name: &str,
    occupied: ServiceabilityError,
) -> Result<u8> {
    let bump = pda::canonical_bump(account, seeds, name)?;
    if !is_vacant(account) {
        return Err(occupied.into());
    }
    Ok(bump)
}

/// Creates the program-owned account `new_account` at the PDA signed by `signer_seeds`,
/// `space` bytes, rent-exempt at the payer's expense, holding `contents` (discriminator
/// included).
pub fn create<'info, T: AccountSerialize>(
    new_account: &AccountInfo<'info>,
    payer: &AccountInfo<'info>,
    system: &Program<'info, System>,
    signer_seeds: &[&[u8]],
    space: usize,
    contents: &T,
) -> Result<()> {
    let rent = Rent::get()?.minimum_balance(space);
    let signer = &[signer_seeds];
    let present = new_account.lamports();
    if present == 0 {
        let accounts = CreateAccount {
            from: payer.clone(),
            to: new_account.clone(),
        };
        system_program::create_account(
            CpiContext::new_with_signer(system.key(), accounts, signer),
            rent,
            space as u64,
            &crate::ID,
        )?;
    } else {
        // CreateAccount refuses an address that holds lamports, so a pre-funded address is
        // topped up, allocated and assigned: three instructions every cluster has.
        let top_up = rent.saturating_sub(present);
        if top_up > 0 {
            let accounts = Transfer {
                from: payer.clone(),
                to: new_account.clone(),
            };
            system_program::transfer(CpiContext::new(system.key(), accounts), top_up)?;
        }
        let accounts = Allocate {
            account_to_allocate: new_account.clone(),
        };
        system_program::allocate(
            CpiContext::new_with_signer(system.key(), accounts, signer),
            space as u64,
        )?;
        let accounts = Assign {
            account_to_assign: new_account.clone(),
        };
        system_program::assign(
            CpiContext::new_with_signer(system.key(), accounts, signer),
            &crate::ID,
        )?;
    }
    contents.try_serialize(&mut &mut new_account.try_borrow_mut_data()?[..])
}
