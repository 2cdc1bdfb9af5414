//! The TunnelClaims of one user's tunnel, one per /31 it covers (see
//! [`TunnelClaim`](crate::state::TunnelClaim)): checked and created with the user, claimed
//! by the migration, released with the user.

use anchor_lang::prelude::*;
use anchor_lang::system_program::{self, Transfer};

use crate::constants::TUNNEL_CLAIM_SEED;
use crate::errors::ServiceabilityError;
use crate::events::{emit_event, TunnelClaimHandedOver, TunnelNetClaimed, TunnelNetShared};
use crate::pda;
use crate::state::{TunnelClaim, TunnelNet};
use crate::vacant;

/// One /31 of a tunnel: its network, its claim's account and the claim's canonical bump.
struct Half<'info> {
    network: [u8; 4],
    account: &'info AccountInfo<'info>,
    bump: u8,
}

/// The claim accounts of a tunnel, their addresses checked.
pub struct TunnelClaims<'info> {
    halves: Vec<Half<'info>>,
}

impl<'info> TunnelClaims<'info> {
    /// The claims of `tunnel_net` on `device`: `first` for its network and, for a /30 only,
    /// `second` for its second /31 (else `TunnelClaimMismatch`), each at its canonical
    /// address (else `ConstraintSeeds`).
    pub fn at(
        device: &Pubkey,
        tunnel_net: &TunnelNet,
        first: &'info AccountInfo<'info>,
        second: Option<&'info AccountInfo<'info>>,
    ) -> Result<Self> {
        let networks = match (tunnel_net.second_claim_network(), second) {
            (None, None) => vec![(tunnel_net.network, first)],
            (Some(network), Some(second)) => {
                vec![(tunnel_net.network, first), (network, second)]
            }
            _ => return err!(ServiceabilityError::TunnelClaimMismatch),
        };
        let halves = networks
            .into_iter()
            .zip(["tunnel_claim", "second_tunnel_claim"])
            .map(|((network, account), name)| {
                let seeds = [TUNNEL_CLAIM_SEED, device.as_ref(), network.as_ref()];
                let bump = pda::canonical_bump(account, &seeds, name)?;
                Ok(Half {
                    network,
                    account,
                    bump,
                })
            })
            .collect::<Result<_>>()?;
        Ok(TunnelClaims { halves })
    }

    /// [`TunnelClaims::at`], every claim vacant (else `TunnelNetInUse`): for a new user.
    pub fn vacant(
        device: &Pubkey,
        tunnel_net: &TunnelNet,
        first: &'info AccountInfo<'info>,
        second: Option<&'info AccountInfo<'info>>,
    ) -> Result<Self> {
        let claims = Self::at(device, tunnel_net, first, second)?;
        for half in &claims.halves {
            require!(
                vacant::is_vacant(half.account),
                ServiceabilityError::TunnelNetInUse
            );
        }
        Ok(claims)
    }

    /// Creates every claim, held by `user`, at `payer`'s expense.
    pub fn create(
        &self,
        device: &Pubkey,
        user: &Pubkey,
        payer: &AccountInfo<'info>,
        system: &Program<'info, System>,
    ) -> Result<()> {
        for half in &self.halves {
            create_claim(half, device, user, payer, system)?;
        }
        Ok(())
    }

    /// The migration for a user created before claims (or before its /30's second /31 was
    /// claimed): claims each vacant /31 and records the user as a sharer of each /31 another
    /// user holds. `TunnelNetAlreadyClaimed` when there is nothing to do.
    pub fn claim(
        &self,
        device: &Pubkey,
        user: &Pubkey,
        payer: &AccountInfo<'info>,
        system: &Program<'info, System>,
    ) -> Result<()> {
        let mut changed = false;
        for half in &self.halves {
            if vacant::is_vacant(half.account) {
                create_claim(half, device, user, payer, system)?;
                emit_event(TunnelNetClaimed {
                    device: *device,
                    user: *user,
                    tunnel_network: half.network,
                });
                changed = true;
                continue;
            }
            let mut claim = Account::<TunnelClaim>::try_from(half.account)?;
            if claim.is_held_by(user) {
                continue;
            }
            claim.sharers.push(*user);
            resize(
                half.account,
                TunnelClaim::space(claim.sharers.len()),
                Some((payer, system)),
            )?;
            claim.exit(&crate::ID)?;
            emit_event(TunnelNetShared {
                device: *device,
                user: *user,
                holder: claim.user,
                tunnel_network: half.network,
            });
            changed = true;
        }
        require!(changed, ServiceabilityError::TunnelNetAlreadyClaimed);
        Ok(())
    }
}

/// Releases `user`'s hold on `claim` (the /31 at `network`) as the user is deleted: the
/// claim closes (rent to `rent_receiver`) when nobody shares it, passes to its first sharer
/// when the user held it, or forgets the user when it was a sharer. `TunnelNetNotClaimed`
/// when the user neither holds nor shares it.
pub fn release<'info>(
    claim: &mut Account<'info, TunnelClaim>,
    device: &Pubkey,
    user: &Pubkey,
    network: [u8; 4],
    rent_receiver: &AccountInfo<'info>,
) -> Result<()> {
    if claim.user == *user {
        if claim.sharers.is_empty() {
            return claim.close(rent_receiver.clone());
        }
        claim.user = claim.sharers.remove(0);
        emit_event(TunnelClaimHandedOver {
            device: *device,
            previous: *user,
            holder: claim.user,
            tunnel_network: network,
        });
    } else {
        let position = claim
            .sharers
            .iter()
            .position(|sharer| sharer == user)
            .ok_or(ServiceabilityError::TunnelNetNotClaimed)?;
        claim.sharers.remove(position);
    }
    // The surplus rent stays in the claim and goes to the last user's payer with it.
    resize(
        &claim.to_account_info(),
        TunnelClaim::space(claim.sharers.len()),
        None,
    )
}

fn create_claim<'info>(
    half: &Half<'info>,
    device: &Pubkey,
    user: &Pubkey,
    payer: &AccountInfo<'info>,
    system: &Program<'info, System>,
) -> Result<()> {
    vacant::create(
        half.account,
        payer,
        system,
        &[
            TUNNEL_CLAIM_SEED,
            device.as_ref(),
            half.network.as_ref(),
            &[half.bump],
        ],
        TunnelClaim::space(0),
        &TunnelClaim {
            user: *user,
            bump: half.bump,
            sharers: Vec::new(),
        },
    )
}

/// Resizes a claim; a larger one is first topped up to rent exemption by `funding`.
fn resize<'info>(
    account: &AccountInfo<'info>,
    len: usize,
    funding: Option<(&AccountInfo<'info>, &Program<'info, System>)>,
) -> Result<()> {
    if let Some((payer, system)) = funding {
        let top_up = Rent::get()?
            .minimum_balance(len)
            .saturating_sub(account.lamports());
        if top_up > 0 {
            let accounts = Transfer {
                from: payer.clone(),
                to: account.clone(),
            };
            system_program::transfer(CpiContext::new(system.key(), accounts), top_up)?;
        }
    }
    account.resize(len)?;
    Ok(())
}
