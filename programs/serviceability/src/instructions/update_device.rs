use anchor_lang::prelude::*;

use crate::constants::{DEVICE_SEED, GLOBAL_STATE_ADDRESS};
use crate::errors::ServiceabilityError;
use crate::events::{emit_event, DeviceUpdated};
use crate::ipv4::is_valid_public_ip;
use crate::state::{Device, DeviceStatus, GlobalState};

/// Arguments of `update_device`: each `Some` field is changed, `None` fields are kept.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, Default)]
pub struct UpdateDeviceArgs {
    /// New public IPv4 address, network byte order.
    pub public_ip: Option<[u8; 4]>,
    /// New lifecycle status.
    pub status: Option<DeviceStatus>,
    /// New capacity. It may go below current use (draining): new seats are refused,
    /// nothing is evicted.
    pub max_users: Option<u16>,
    /// New metrics publisher.
    pub metrics_publisher: Option<Pubkey>,
    /// New owner: the key that receives the device's rent when it is closed (for instance
    /// when the foundation key that created it leaves the allowlist).
    pub owner: Option<Pubkey>,
}

/// Accounts of `update_device`.
#[derive(Accounts)]
pub struct UpdateDevice<'info> {
    /// A foundation key.
    pub foundation: Signer<'info>,
    /// The GlobalState PDA.
    #[account(
        address = GLOBAL_STATE_ADDRESS,
        constraint = global_state.is_foundation(foundation.key) @ ServiceabilityError::NotFoundationMember,
    )]
    pub global_state: Account<'info, GlobalState>,
    /// The Device PDA.
    #[account(mut, seeds = [DEVICE_SEED, device.code.as_bytes()], bump = device.bump)]
    pub device: Account<'info, Device>,
}

impl UpdateDevice<'_> {
    fn validate(&self, args: &UpdateDeviceArgs) -> Result<()> {
        let UpdateDeviceArgs {
            public_ip,
            status,
            max_users,
            metrics_publisher,
            owner,
        } = args;
        require!(
            public_ip.is_some()
                || status.is_some()
                || max_users.is_some()
                || metrics_publisher.is_some()
                || owner.is_some(),
            ServiceabilityError::NothingToUpdate
        );
        require!(
            public_ip.is_none_or(is_valid_public_ip),
            ServiceabilityError::InvalidPublicIp
        );
        require!(
            *metrics_publisher != Some(Pubkey::default()) && *owner != Some(Pubkey::default()),
            ServiceabilityError::InvalidAuthority
        );
        Ok(())
    }

    /// Applies the `Some` fields of `args`.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn handler(ctx: Context<Self>, args: UpdateDeviceArgs) -> Result<()> {
        let device = &mut ctx.accounts.device;
        if let Some(public_ip) = args.public_ip {
            device.public_ip = public_ip;
        }
        if let Some(status) = args.status {
            device.status = status;
        }
        if let Some(max_users) = args.max_users {
            device.max_users = max_users;
        }
        if let Some(metrics_publisher) = args.metrics_publisher {
            device.metrics_publisher = metrics_publisher;
        }
        if let Some(owner) = args.owner {
            device.owner = owner;
        }
        emit_event(DeviceUpdated {
            device: device.key(),
            public_ip: device.public_ip,
            status: device.status,
            max_users: device.max_users,
            users_count: device.users_count,
            reserved_seats: device.reserved_seats,
            metrics_publisher: device.metrics_publisher,
            owner: device.owner,
        });
        Ok(())
    }
}
