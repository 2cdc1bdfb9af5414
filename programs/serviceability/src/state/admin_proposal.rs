use anchor_lang::prelude::*;

/// A pending change of admin: PDA `["admin_proposal"]`, at most one.
///
/// The admin proposes a key (`propose_admin`), replaces the proposal by proposing again, or
/// withdraws it; the proposed key takes over by signing `accept_admin`, which closes the
/// proposal. A mistyped key therefore never becomes admin: it cannot sign. A proposal
/// expires [`ADMIN_PROPOSAL_TTL_SECS`](crate::constants::ADMIN_PROPOSAL_TTL_SECS) after
/// `proposed_at` (its expiry follows from the stored time, so proposals written before
/// expiry existed need no migration); proposing again renews it.
#[account]
#[derive(InitSpace, Debug)]
pub struct AdminProposal {
    /// The key that becomes admin when it signs `accept_admin`.
    pub proposed_admin: Pubkey,
    /// Unix time of the (latest) proposal.
    pub proposed_at: i64,
    /// Canonical bump of this PDA.
    pub bump: u8,
}

impl AdminProposal {
    /// Unix time after which the proposal can no longer be accepted.
    pub fn expires_at(&self) -> i64 {
        self.proposed_at
            .saturating_add(crate::constants::ADMIN_PROPOSAL_TTL_SECS)
    }
}
