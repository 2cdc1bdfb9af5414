use anchor_lang::prelude::*;
use anchor_lang::system_program::{self, Transfer};
use anchor_lang::Discriminator;

use crate::constants::DEVICE_SEED;
use crate::errors::ServiceabilityError;
use crate::events::{emit_event, BgpStatusChanged};
use crate::state::{BgpSession, BgpStatus, Device, User};

/// One user's BGP session as its device's metrics publisher sees it.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct BgpReport {
    /// The session's state.
    pub status: BgpStatus,
    /// Smoothed round-trip time of the session's TCP connection in nanoseconds
    /// (`tcpi_rtt` × 1,000); 0 = no sample.
    pub rtt_ns: u64,
}

/// Accounts of `report_bgp_sessions`; the users follow as remaining accounts, writable, one
/// per report and in the same order.
#[derive(Accounts)]
pub struct ReportBgpSessions<'info> {
    /// The device's metrics publisher; pays the rent when an older-layout user grows.
    #[account(mut)]
    pub metrics_publisher: Signer<'info>,
    /// The Device PDA all the users are connected to.
    #[account(
        seeds = [DEVICE_SEED, device.code.as_bytes()],
        bump = device.bump,
        has_one = metrics_publisher @ ServiceabilityError::NotMetricsPublisher,
    )]
    pub device: Account<'info, Device>,
    /// The system program, which moves rent top-ups.
    pub system_program: Program<'info, System>,
}

impl<'info> ReportBgpSessions<'info> {
    fn validate(&self, reports: &[BgpReport], users: usize) -> Result<()> {
        require!(
            !reports.is_empty() && reports.len() == users,
            ServiceabilityError::BgpReportCountMismatch
        );
        Ok(())
    }

    /// Records each report on its user as `set_user_bgp_status` does (status, RTT, flaps,
    /// up-time), growing older-layout accounts; one `BgpStatusChanged` per user whose status
    /// changed. Any user that is not a writable User of this program
    /// (`InvalidUserAccount`) or is another device's (`UserDeviceMismatch`) fails the whole
    /// instruction, its index in the log.
    #[access_control(ctx.accounts.validate(&reports, ctx.remaining_accounts.len()))]
    pub fn handler(ctx: Context<'info, Self>, reports: Vec<BgpReport>) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let device = ctx.accounts.device.key();
        for (index, (info, report)) in ctx.remaining_accounts.iter().zip(&reports).enumerate() {
            record(ctx.accounts, &device, info, report, now).inspect_err(|_| {
                msg!("report {}: user {}", index, info.key);
            })?;
        }
        Ok(())
    }
}

fn record<'info>(
    accounts: &ReportBgpSessions<'info>,
    device: &Pubkey,
    info: &'info AccountInfo<'info>,
    report: &BgpReport,
    now: i64,
) -> Result<()> {
    // The owner and the discriminator make it a User: the program creates Users only at
    // their PDAs, so the address needs no derivation. Only the BGP fields are decoded.
    let is_user = info.owner == &crate::ID
        && info.is_writable
        && info.try_borrow_data()?.get(..8) == Some(User::DISCRIMINATOR);
    require!(is_user, ServiceabilityError::InvalidUserAccount);
    if info.data_len() < User::SPACE {
        grow(accounts, info)?;
    }
    let mut data = info.try_borrow_mut_data()?;
    let users_device = data.get(User::DEVICE_OFFSET..User::DEVICE_OFFSET + 32);
    require!(
        users_device == Some(device.as_ref()),
        ServiceabilityError::UserDeviceMismatch
    );
    let mut session = BgpSession::read(&data)?;
    let previous = session.record(report.status, report.rtt_ns, now);
    session.write(&mut data);
    if previous != report.status {
        emit_event(BgpStatusChanged::of(
            *device, *info.key, previous, &session, now,
        ));
    }
    Ok(())
}

/// Grows an older-layout user to the current layout, the rent top-up from the publisher.
fn grow<'info>(accounts: &ReportBgpSessions<'info>, info: &AccountInfo<'info>) -> Result<()> {
    let top_up = Rent::get()?
        .minimum_balance(User::SPACE)
        .saturating_sub(info.lamports());
    if top_up > 0 {
        let transfer = Transfer {
            from: accounts.metrics_publisher.to_account_info(),
            to: info.clone(),
        };
        let program = accounts.system_program.key();
        system_program::transfer(CpiContext::new(program, transfer), top_up)?;
    }
    info.resize(User::SPACE)?;
    Ok(())
}
