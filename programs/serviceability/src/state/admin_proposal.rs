use anchor_lang::prelude::*;

/// A pending change of admin: PDA `["admin_proposal"]`, at most one.
///
/// The admin proposes a key (`propose_admin`), replaces the proposal by proposing again, or
/// withdraws it; the proposed key takes over by signing `accept_admin`, which closes the
/// proposal. A mistyped key therefore never becomes admin: it cannot sign. GlobalState's
/// layout is unchanged, so no migration is needed for it.
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
