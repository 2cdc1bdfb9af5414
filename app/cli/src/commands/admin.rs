//! `init`, `authority`, `allowlist`, `reservations pause|resume`: the admin's commands.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use serviceability_client::chain;
use serviceability_client::instructions as ix;
use serviceability_client::types::AuthorityUpdate;

use crate::args::{
    AllowlistCommand, AuthorityCommand, AuthoritySetArgs, PauseCommand, ProposeAdminArgs,
};
use crate::context::Context;
use crate::error::{CliError, CliResult};
use crate::output::{
    AllowlistView, DeviceRoles, FoundationKey, GlobalStateView, Keyed, List, Output, Written,
};

/// `init`
pub fn init(context: &mut Context) -> CliResult<Output> {
    if let Some(state) = chain::global_state(context.cluster())? {
        return Err(CliError::chain(format!(
            "already initialized on {} (admin {})",
            context.cluster().describe(),
            state.admin
        )));
    }
    let admin = context.signer_pubkey()?;
    if let Ok(mut ledger) = context.embedded_ledger("init") {
        // On a local ledger whose program nobody deployed yet, the first `init` deploys it
        // with the signer as upgrade authority (kept only if the initialization lands).
        ledger.deploy_as(admin);
    }
    write_global_state(
        context,
        "init",
        vec![ix::initialize(admin)],
        format!("Initialized; admin and activator authority: {admin}"),
    )
}

/// Sends a write that changes GlobalState, then shows GlobalState as it now is.
fn write_global_state(
    context: &mut Context,
    action: &str,
    instructions: Vec<Instruction>,
    summary: String,
) -> CliResult<Output> {
    context.write(action, instructions, |context, signature| {
        let state = state_view(context)?;
        Ok(Written::new(
            signature,
            summary,
            Keyed::new("global_state", state),
        ))
    })
}

/// GlobalState with its pending admin proposal, as shown.
fn state_view(context: &Context) -> CliResult<GlobalStateView> {
    let state = context.global_state()?;
    let proposal = chain::admin_proposal(context.cluster())?;
    Ok(GlobalStateView::new(&state, proposal.as_ref()))
}

/// `authority show|set|propose-admin|accept-admin`
pub fn authority(context: &mut Context, command: &AuthorityCommand) -> CliResult<Output> {
    let (reservation, activator) = match command {
        AuthorityCommand::Show => {
            return Ok(Keyed::new("global_state", state_view(context)?).into());
        }
        AuthorityCommand::ProposeAdmin(args) => return propose_admin(context, args),
        AuthorityCommand::AcceptAdmin => return accept_admin(context),
        AuthorityCommand::Set(AuthoritySetArgs {
            reservation,
            activator,
        }) => (reservation, activator),
    };
    context.global_state()?;
    let (update, summary) = match (reservation, activator) {
        (Some(reservation), _) => (
            AuthorityUpdate::Reservation {
                new_authority: reservation.0,
            },
            match reservation.0 {
                Some(key) => format!("Reservation authority set to {key}"),
                None => "Reservation authority removed (foundation keys only)".to_string(),
            },
        ),
        (None, Some(key)) => (
            AuthorityUpdate::Activator {
                new_authority: *key,
            },
            format!("Activator authority set to {key}"),
        ),
        // clap's argument group requires one; said plainly should that ever change.
        (None, None) => {
            return Err(CliError::input(
                "authority set: pass --reservation or --activator",
            ))
        }
    };
    let admin = context.signer_pubkey()?;
    write_global_state(
        context,
        "authority set",
        vec![ix::set_authority(admin, update)],
        summary,
    )
}

/// `authority propose-admin PUBKEY|--withdraw`
fn propose_admin(context: &mut Context, args: &ProposeAdminArgs) -> CliResult<Output> {
    let state = context.global_state()?;
    let pending = chain::admin_proposal(context.cluster())?;
    let summary = match (args.new_admin, &pending) {
        (Some(key), _) if key == state.admin => {
            return Err(CliError::input(format!("{key} is already the admin")));
        }
        (Some(key), _) => format!(
            "Proposed {key} as admin; it becomes admin when it signs `authority accept-admin`"
        ),
        (None, None) => return Err(CliError::chain("no admin proposal is pending")),
        (None, Some(proposal)) => format!(
            "Withdrew the proposal of {} as admin",
            proposal.proposed_admin
        ),
    };
    let admin = context.signer_pubkey()?;
    let instruction = ix::propose_admin(admin, args.new_admin);
    write_global_state(
        context,
        "authority propose-admin",
        vec![instruction],
        summary,
    )
}

/// `authority accept-admin`, signed by the proposed admin.
fn accept_admin(context: &mut Context) -> CliResult<Output> {
    let state = context.global_state()?;
    let signer = context.signer_pubkey()?;
    match chain::admin_proposal(context.cluster())? {
        None => return Err(CliError::chain("no admin proposal is pending")),
        Some(proposal) if proposal.proposed_admin != signer => {
            return Err(CliError::input(format!(
                "the proposed admin is {}, not the signer {signer} (pass its keypair with -k)",
                proposal.proposed_admin
            )));
        }
        Some(_) => {}
    }
    let instruction = ix::accept_admin(signer, state.admin);
    write_global_state(
        context,
        "authority accept-admin",
        vec![instruction],
        format!("{signer} is now the admin"),
    )
}

/// `allowlist add|remove|list`
pub fn allowlist(context: &mut Context, command: &AllowlistCommand) -> CliResult<Output> {
    let allowlist = |state: GlobalStateView| {
        let keys = state.foundation_allowlist.into_iter().map(FoundationKey);
        Keyed::new("foundation_allowlist", List(keys.collect()))
    };
    match command {
        AllowlistCommand::List => Ok(allowlist(state_view(context)?).into()),
        AllowlistCommand::Add { key } => {
            context.global_state()?;
            let admin = context.signer_pubkey()?;
            let instruction = ix::add_foundation_key(admin, *key);
            context.write("allowlist", vec![instruction], |context, signature| {
                Ok(Written::summary_only(
                    signature,
                    format!("Added {key} to the foundation allowlist"),
                    allowlist(state_view(context)?),
                ))
            })
        }
        AllowlistCommand::Remove { key } => {
            context.global_state()?;
            let admin = context.signer_pubkey()?;
            let instruction = ix::remove_foundation_key(admin, *key);
            context.write("allowlist", vec![instruction], |context, signature| {
                let state = state_view(context)?;
                Ok(Written::new(
                    signature,
                    format!("Removed {key} from the foundation allowlist"),
                    AllowlistView {
                        foundation_allowlist: state.foundation_allowlist,
                        devices_with_roles: roles_held(context, key)?,
                        removed: key.to_string(),
                    },
                ))
            })
        }
    }
}

/// The devices on which `key` holds a role.
fn roles_held(context: &Context, key: &Pubkey) -> CliResult<Vec<DeviceRoles>> {
    let mut held = Vec::new();
    for (address, device) in chain::devices(context.cluster())? {
        let roles: Vec<_> = [
            (device.metrics_publisher == *key, "metrics_publisher"),
            (device.owner == *key, "owner"),
        ]
        .into_iter()
        .filter_map(|(holds, role)| holds.then_some(role))
        .collect();
        if !roles.is_empty() {
            held.push(DeviceRoles {
                code: device.code,
                address: address.to_string(),
                roles,
            });
        }
    }
    Ok(held)
}

/// `reservations pause|resume`
pub fn pause(context: &mut Context, command: &PauseCommand) -> CliResult<Output> {
    let paused = matches!(command, PauseCommand::Pause);
    context.global_state()?;
    let admin = context.signer_pubkey()?;
    let action = if paused {
        "reservations pause"
    } else {
        "reservations resume"
    };
    let instruction = ix::set_reservations_paused(admin, paused);
    context.write(action, vec![instruction], |context, signature| {
        let paused = context.global_state()?.reservations_paused;
        let summary = if paused {
            "New reservations are paused"
        } else {
            "New reservations are accepted"
        };
        Ok(Written::summary_only(
            signature,
            summary,
            Keyed::new("reservations_paused", paused),
        ))
    })
}
