use anchor_lang::prelude::*;

use crate::constants::{DEVICE_SEED, GLOBAL_STATE_ADDRESS};
use crate::errors::ServiceabilityError;
use crate::events::{emit_event, DeviceCreated};
use crate::ipv4::is_valid_public_ip;
use crate::state::{Device, DeviceStatus, GlobalState};
use crate::vacant;

/// Arguments of `create_device`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct CreateDeviceArgs {
    /// Unique code, `[a-z0-9-]{1,32}`; the device PDA is `["device", code]`.
    pub code: String,
    /// Public IPv4 address, network byte order.
    pub public_ip: [u8; 4],
    /// Seat capacity; 0 means no capacity.
    pub max_users: u16,
    /// Key allowed to write BGP status for the device's users.
    pub metrics_publisher: Pubkey,
}

/// Accounts of `create_device`.
#[derive(Accounts)]
#[instruction(args: CreateDeviceArgs)]
pub struct CreateDevice<'info> {
    /// A foundation key; pays the rent and becomes the device owner.
    #[account(mut)]
    pub foundation: Signer<'info>,
    /// The GlobalState PDA.
    #[account(
        address = GLOBAL_STATE_ADDRESS,
        constraint = global_state.is_foundation(foundation.key) @ ServiceabilityError::NotFoundationMember,
        // Before anything else: the device's address is derived from the code, and a seed
        // over 32 bytes is no PDA seed at all.
        constraint = Device::is_valid_code(&args.code) @ ServiceabilityError::InvalidDeviceCode,
    )]
    pub global_state: Account<'info, GlobalState>,
    /// The Device PDA, created here (in status `Pending`).
    /// CHECK: the handler checks the canonical address; it must be vacant, else
    /// `DeviceAlreadyExists`. (The seeds are for the IDL; see `pda`.)
    #[cfg_attr(
        feature = "idl-build",
        account(mut, seeds = [DEVICE_SEED, args.code.as_bytes()], bump)
    )]
    #[cfg_attr(not(feature = "idl-build"), account(mut))]
    pub device: UncheckedAccount<'info>,
    /// The system program, which creates the account.
    pub system_program: Program<'info, System>,
}

impl CreateDevice<'_> {
    fn validate(&self, args: &CreateDeviceArgs) -> Result<()> {
        require!(
            is_valid_public_ip(args.public_ip),
            ServiceabilityError::InvalidPublicIp
        );
        require!(
            args.metrics_publisher != Pubkey::default(),
            ServiceabilityError::InvalidAuthority
        );
        Ok(())
    }

    /// Creates a `Pending` device with no seats in use.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn handler(ctx: Context<Self>, args: CreateDeviceArgs) -> Result<()> {
        let accounts = ctx.accounts;
        let owner = accounts.foundation.key();
        let bump = vacant::canonical_vacant(
            &accounts.device,
            &[DEVICE_SEED, args.code.as_bytes()],
            "device",
            ServiceabilityError::DeviceAlreadyExists,
        )?;
        vacant::create(
            &accounts.device,
            &accounts.foundation,
            &accounts.system_program,
            &[DEVICE_SEED, args.code.as_bytes(), &[bump]],
            8 + Device::INIT_SPACE,
            &Device {
                code: args.code.clone(),
                owner,
                public_ip: args.public_ip,
                status: DeviceStatus::Pending,
                max_users: args.max_users,
                users_count: 0,
                reserved_seats: 0,
                metrics_publisher: args.metrics_publisher,
                bump,
            },
        )?;
        emit_event(DeviceCreated {
            device: accounts.device.key(),
            code: args.code,
            owner,
            public_ip: args.public_ip,
            max_users: args.max_users,
            metrics_publisher: args.metrics_publisher,
        });
        Ok(())
    }
}
