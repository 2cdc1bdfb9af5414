use anchor_lang::prelude::*;

use crate::constants::MAX_DEVICE_CODE_LEN;
use crate::errors::ServiceabilityError;

/// Lifecycle of a device. Only `Activated` devices hand out new seats.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeviceStatus {
    /// Created, not yet serving.
    Pending,
    /// Serving: accepts reservations and new users.
    Activated,
    /// Temporarily out of service: no new seats, nothing evicted.
    Suspended,
    /// Being emptied: no new seats, nothing evicted.
    Drained,
}

/// A router or switch that accepts user connections. PDA `["device", code]`.
///
/// Invariant kept by every instruction: `users_count + reserved_seats <= max_users`, except
/// that lowering `max_users` below current use (draining) is allowed and only refuses new seats.
#[account]
#[derive(InitSpace, Debug)]
pub struct Device {
    /// Unique short code, `[a-z0-9-]{1,32}`; also the PDA seed.
    #[max_len(MAX_DEVICE_CODE_LEN)]
    pub code: String,
    /// Receives the rent when the device is closed: the foundation key that created (and
    /// paid for) it, unless `update_device` changed it.
    pub owner: Pubkey,
    /// Public IPv4 address, network byte order.
    pub public_ip: [u8; 4],
    /// Lifecycle status.
    pub status: DeviceStatus,
    /// Seat capacity; 0 means no capacity at all.
    pub max_users: u16,
    /// Seats held by User accounts.
    pub users_count: u16,
    /// Seats held by Reservation accounts.
    pub reserved_seats: u16,
    /// The only key allowed to write BGP status for this device's users.
    pub metrics_publisher: Pubkey,
    /// Canonical bump of this PDA.
    pub bump: u8,
}

impl Device {
    /// Whether `code` is a valid device code: 1..=32 bytes of `[a-z0-9-]`.
    pub fn is_valid_code(code: &str) -> bool {
        (1..=MAX_DEVICE_CODE_LEN as usize).contains(&code.len())
            && code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    }

    /// Seats in use, by users and by reservations.
    pub fn seats_in_use(&self) -> u32 {
        u32::from(self.users_count) + u32::from(self.reserved_seats)
    }

    /// Fails with `MaxUsersExceeded` unless a new seat fits (`max_users == 0`: never).
    fn require_free_seat(&self) -> Result<()> {
        require!(
            self.seats_in_use() < u32::from(self.max_users),
            ServiceabilityError::MaxUsersExceeded
        );
        Ok(())
    }

    /// Takes a new seat for a reservation.
    pub fn reserve_seat(&mut self) -> Result<()> {
        self.require_free_seat()?;
        self.reserved_seats = self
            .reserved_seats
            .checked_add(1)
            .ok_or(ServiceabilityError::SeatCounterOverflow)?;
        Ok(())
    }

    /// Releases a reserved seat.
    pub fn release_reserved_seat(&mut self) -> Result<()> {
        self.reserved_seats = self
            .reserved_seats
            .checked_sub(1)
            .ok_or(ServiceabilityError::SeatCounterUnderflow)?;
        Ok(())
    }

    /// Takes a new seat for a user.
    pub fn add_user(&mut self) -> Result<()> {
        self.require_free_seat()?;
        self.users_count = self
            .users_count
            .checked_add(1)
            .ok_or(ServiceabilityError::SeatCounterOverflow)?;
        Ok(())
    }

    /// Turns a reserved seat into a user's seat; the total in use does not change.
    pub fn convert_reserved_seat_to_user(&mut self) -> Result<()> {
        self.release_reserved_seat()?;
        self.users_count = self
            .users_count
            .checked_add(1)
            .ok_or(ServiceabilityError::SeatCounterOverflow)?;
        Ok(())
    }

    /// Releases a user's seat.
    pub fn remove_user(&mut self) -> Result<()> {
        self.users_count = self
            .users_count
            .checked_sub(1)
            .ok_or(ServiceabilityError::SeatCounterUnderflow)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(max_users: u16, users_count: u16, reserved_seats: u16) -> Device {
        Device {
            code: "fra-1".into(),
            owner: Pubkey::new_unique(),
            public_ip: [203, 0, 113, 1],
            status: DeviceStatus::Activated,
            max_users,
            users_count,
            reserved_seats,
            metrics_publisher: Pubkey::new_unique(),
            bump: 255,
        }
    }

    fn code_of(result: Result<()>) -> u32 {
        match result.unwrap_err() {
            Error::AnchorError(e) => e.error_code_number,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn zero_max_users_means_no_capacity() {
        let full = code_of(device(0, 0, 0).reserve_seat());
        assert_eq!(full, ServiceabilityError::MaxUsersExceeded as u32 + 6000);
        assert!(device(0, 0, 0).add_user().is_err());
    }

    #[test]
    fn capacity_counts_users_and_reservations() {
        let mut d = device(3, 1, 1);
        d.reserve_seat().unwrap();
        assert_eq!((d.users_count, d.reserved_seats), (1, 2));
        assert!(d.reserve_seat().is_err());
        assert!(d.add_user().is_err());
        d.convert_reserved_seat_to_user().unwrap();
        assert_eq!((d.users_count, d.reserved_seats), (2, 1));
    }

    #[test]
    fn draining_refuses_new_seats_but_releases_work() {
        let mut d = device(1, 2, 1);
        assert!(d.reserve_seat().is_err());
        d.release_reserved_seat().unwrap();
        d.remove_user().unwrap();
        assert_eq!((d.users_count, d.reserved_seats), (1, 0));
    }

    #[test]
    fn counters_never_wrap() {
        let under = ServiceabilityError::SeatCounterUnderflow as u32 + 6000;
        assert_eq!(code_of(device(5, 0, 0).release_reserved_seat()), under);
        assert_eq!(code_of(device(5, 0, 0).remove_user()), under);
        assert_eq!(
            code_of(device(5, 1, 0).convert_reserved_seat_to_user()),
            under
        );
        let over = ServiceabilityError::SeatCounterOverflow as u32 + 6000;
        assert_eq!(
            code_of(device(5, u16::MAX, 1).convert_reserved_seat_to_user()),
            over
        );
    }

    #[test]
    fn device_codes() {
        assert!(Device::is_valid_code("ams-ix-01"));
        assert!(Device::is_valid_code(&"a".repeat(32)));
        for bad in ["", "AMS", "ams_1", "ams 1", "é", &"a".repeat(33)] {
            assert!(!Device::is_valid_code(bad), "{bad:?} accepted");
        }
    }
}
