use anchor_lang::prelude::*;

/// One /31 of a device's tunnel address space, claimed by the user whose tunnel covers it:
/// PDA `["tunnel", device, network of the /31]`, created with the user and closed with it.
///
/// A /31 tunnel holds the claim of its network; a /30 holds the claims of both its /31s
/// (its network, and network + 2). So no two users of a device have overlapping tunnels,
/// whatever their prefix lengths (`TunnelNetInUse`): they would share an address, and the
/// device could not tell their BGP sessions apart. (The networks are arguments or the
/// user's, so the IDL describes the first claim's seeds exactly and clients derive both.)
///
/// Users created before claims existed have none: `claim_tunnel_net` gives them theirs (the
/// migration, also for a /30 created before its second /31 was claimed), and `delete_user`
/// requires them. Where such users overlap, the first to claim a /31 holds it and the
/// others are recorded as `sharers`; when its holder is deleted, the first sharer holds it,
/// so the /31 stays claimed while any user still has it.
///
/// Layout: `sharers` was appended after launch. A claim written before it (41 bytes) reads
/// as having no sharers, and grows when the first sharer is recorded.
#[account]
#[derive(Debug)]
pub struct TunnelClaim {
    /// The User PDA holding the /31.
    pub user: Pubkey,
    /// Canonical bump of this PDA.
    pub bump: u8,
    /// Users created before claims existed whose tunnels also cover this /31, in the order
    /// they were recorded.
    #[cfg_attr(
        not(feature = "idl-build"),
        borsh(deserialize_with = "crate::state::appended::read_or_default")
    )]
    pub sharers: Vec<Pubkey>,
}

impl TunnelClaim {
    /// Bytes of a claim written before `sharers` existed, discriminator included.
    pub const LEGACY_SPACE: usize = 8 + 32 + 1;

    /// Bytes of a claim with `sharers` recorded sharers, discriminator included.
    pub const fn space(sharers: usize) -> usize {
        Self::LEGACY_SPACE + 4 + 32 * sharers
    }

    /// Whether `user` holds this /31 or shares it.
    pub fn is_held_by(&self, user: &Pubkey) -> bool {
        self.user == *user || self.sharers.contains(user)
    }
}

const _: () = assert!(
    TunnelClaim::LEGACY_SPACE == crate::constants::TUNNEL_CLAIM_LEGACY_ACCOUNT_LEN as usize
);

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::{AccountDeserialize, AccountSerialize};

    #[test]
    fn a_claim_written_before_sharers_reads_as_unshared() {
        let claim = TunnelClaim {
            user: Pubkey::new_unique(),
            bump: 253,
            sharers: vec![Pubkey::new_unique()],
        };
        let mut data = Vec::new();
        claim.try_serialize(&mut data).unwrap();
        assert_eq!(data.len(), TunnelClaim::space(1));
        let decoded = TunnelClaim::try_deserialize(&mut data.as_slice()).unwrap();
        assert_eq!(decoded.sharers, claim.sharers);
        let legacy = TunnelClaim::try_deserialize(&mut &data[..TunnelClaim::LEGACY_SPACE]).unwrap();
        assert_eq!((legacy.user, legacy.bump), (claim.user, claim.bump));
        assert!(legacy.sharers.is_empty());
        assert!(legacy.is_held_by(&claim.user));
        assert!(!legacy.is_held_by(&claim.sharers[0]));
    }
}
