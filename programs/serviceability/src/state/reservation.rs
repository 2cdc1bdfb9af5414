use anchor_lang::prelude::*;

/// A seat held on a device for a client IP before its User exists.
/// PDA `["reservation", device, client_ip]`: the account existing *is* the reservation;
/// closing it releases the seat. 93 bytes with the discriminator.
#[account]
#[derive(InitSpace, Debug)]
pub struct Reservation {
    /// The Device PDA the seat is held on.
    pub device: Pubkey,
    /// Client IPv4 address, network byte order.
    pub client_ip: [u8; 4],
    /// Who paid the rent and receives it when the reservation is closed.
    pub payer: Pubkey,
    /// Unix time of the reservation.
    pub reserved_at: i64,
    /// Unix time from which anyone may prune it; 0 = never expires.
    pub expires_at: i64,
    /// Canonical bump of this PDA.
    pub bump: u8,
}

impl Reservation {
    /// Whether the reservation can be pruned at unix time `now`.
    pub fn is_expired_at(&self, now: i64) -> bool {
        self.expires_at != 0 && now >= self.expires_at
    }
}
