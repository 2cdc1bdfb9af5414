//! The device's address lookup tables, kept by the agent: found on chain when first needed,
//! created when a round has more reports than one legacy transaction carries (or always, or
//! never, as configured), extended with the new users of the rounds that use them. Users a
//! table holds are reported 60 to a v0 transaction; the rest (users added this round, usable
//! from a later slot), and everything when tables are off or failing, in legacy
//! transactions. Closing a table is the operator's decision (`serviceability lookup-table
//! close`); the agent never uses a deactivated one.

use std::collections::HashSet;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use serviceability_client::errors::explain;
use serviceability_client::lookup_table::{
    create_device_table, extend_device_table, DeviceTable, TableStatus, ADDRESSES_PER_EXTEND,
    USERS_PER_TABLE,
};
use solana_keypair::Keypair;
use solana_message::AddressLookupTableAccount;
use solana_signer::Signer;

use crate::chain::Chain;

/// When the agent uses lookup tables.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TableMode {
    /// For a round with more reports than one legacy transaction carries (a mass change, a
    /// refresh): a device of a few users never pays for a table, and a round that one legacy
    /// transaction carries goes out as one.
    #[default]
    Auto,
    /// For every round.
    Always,
    /// Never: legacy transactions only.
    Never,
}

/// What the keeper did to the device's tables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableChange {
    /// A table was created holding the device, the system program and `users` users.
    Created {
        /// The table.
        address: Pubkey,
        /// Users it was created with.
        users: usize,
    },
    /// `added` users were added to a table.
    Extended {
        /// The table.
        address: Pubkey,
        /// Users added.
        added: usize,
    },
    /// The tables could not be read, created or extended; this round goes out in legacy
    /// transactions and the next one tries again.
    Failed {
        /// Why.
        error: String,
    },
}

/// A round's plan: the tables to send through and the users they hold now.
#[derive(Debug, Default)]
pub struct Usable {
    /// The tables, with the addresses a transaction may look up now.
    pub tables: Vec<AddressLookupTableAccount>,
    /// Every user address those hold.
    pub users: HashSet<Pubkey>,
}

/// The device's tables, as far as the agent knows them.
pub struct TableKeeper {
    mode: TableMode,
    device: Pubkey,
    /// The device's active tables; none until read (and again after a failure).
    known: Option<Vec<DeviceTable>>,
}

impl TableKeeper {
    /// The keeper of `device`'s tables.
    pub fn new(mode: TableMode, device: Pubkey) -> Self {
        TableKeeper {
            mode,
            device,
            known: None,
        }
    }

    /// Forgets what it knows, so the next round reads the tables again (after a v0
    /// transaction failed: a table may have been deactivated or closed meanwhile).
    pub fn forget(&mut self) {
        self.known = None;
    }

    /// Makes sure the `users` of a round are in the device's tables when the round uses
    /// tables (`legacy_capacity`: the reports one legacy transaction carries, for
    /// [`TableMode::Auto`]), and returns what is usable now. What it did is appended to
    /// `changes`.
    pub fn prepare(
        &mut self,
        chain: &mut dyn Chain,
        publisher: &Keypair,
        users: &[Pubkey],
        legacy_capacity: usize,
        changes: &mut Vec<TableChange>,
    ) -> Usable {
        match self.try_prepare(chain, publisher, users, legacy_capacity, changes) {
            Ok(usable) => usable,
            Err(error) => {
                self.known = None;
                changes.push(TableChange::Failed { error });
                Usable::default()
            }
        }
    }

    fn try_prepare(
        &mut self,
        chain: &mut dyn Chain,
        publisher: &Keypair,
        users: &[Pubkey],
        legacy_capacity: usize,
        changes: &mut Vec<TableChange>,
    ) -> Result<Usable, String> {
        let wanted = match self.mode {
            TableMode::Always => true,
            // A round that fits one legacy transaction gains nothing from a table: it is not
            // even read (a cluster that refuses the lookup-table query costs a small device
            // nothing).
            TableMode::Auto => users.len() > legacy_capacity,
            TableMode::Never => false,
        };
        if !wanted {
            return Ok(Usable::default());
        }
        let slot = chain.slot().map_err(|error| error.to_string())?;
        let tables = match self.known.take() {
            Some(tables) => tables,
            None => self.read(chain, &publisher.pubkey(), slot)?,
        };
        let held: HashSet<Pubkey> = tables
            .iter()
            .flat_map(|table| table.users().iter().copied())
            .collect();
        let missing: Vec<Pubkey> = users
            .iter()
            .filter(|user| !held.contains(user))
            .copied()
            .collect();
        let usable = Usable {
            tables: tables
                .iter()
                .map(|table| table.lookup_account(slot))
                .collect(),
            users: tables
                .iter()
                .flat_map(|table| table.usable_addresses(slot).iter().copied())
                .collect(),
        };
        if missing.is_empty() {
            self.known = Some(tables);
        } else {
            // Users added now are usable from a later slot: this round reports them in legacy
            // transactions, the next reads the tables again and finds them.
            self.add(chain, publisher, &tables, &missing, slot, changes)?;
        }
        Ok(usable)
    }

    /// The device's tables on chain that are active at `slot`.
    fn read(
        &self,
        chain: &mut dyn Chain,
        authority: &Pubkey,
        slot: u64,
    ) -> Result<Vec<DeviceTable>, String> {
        let tables = chain
            .device_tables(authority, &self.device)
            .map_err(|error| error.to_string())?;
        Ok(tables
            .into_iter()
            .filter(|table| table.status(slot) == TableStatus::Active)
            .collect())
    }

    /// Puts `missing` users in the tables with room, then in new tables.
    fn add(
        &self,
        chain: &mut dyn Chain,
        publisher: &Keypair,
        tables: &[DeviceTable],
        missing: &[Pubkey],
        slot: u64,
        changes: &mut Vec<TableChange>,
    ) -> Result<(), String> {
        let mut rest = missing;
        for table in tables {
            rest = extend(
                chain,
                publisher,
                &table.address,
                table.room(),
                rest,
                changes,
            )?;
        }
        // A new table's address derives from a slot the cluster still has in `SlotHashes`;
        // several in one round each take an earlier one.
        let mut recent_slot = slot.saturating_sub(1);
        while !rest.is_empty() {
            let new_table =
                create_device_table(&publisher.pubkey(), &self.device, recent_slot, rest);
            send(chain, publisher, &new_table.instructions)?;
            changes.push(TableChange::Created {
                address: new_table.address,
                users: new_table.users,
            });
            rest = &rest[new_table.users..];
            let room = USERS_PER_TABLE - new_table.users;
            rest = extend(chain, publisher, &new_table.address, room, rest, changes)?;
            recent_slot = recent_slot.saturating_sub(1);
        }
        Ok(())
    }
}

/// Adds as many of `users` to `table` as its `room` takes; returns the users left over.
fn extend<'a>(
    chain: &mut dyn Chain,
    publisher: &Keypair,
    table: &Pubkey,
    mut room: usize,
    mut users: &'a [Pubkey],
    changes: &mut Vec<TableChange>,
) -> Result<&'a [Pubkey], String> {
    while room > 0 && !users.is_empty() {
        let count = room.min(ADDRESSES_PER_EXTEND).min(users.len());
        let (batch, rest) = users.split_at(count);
        let instruction = extend_device_table(table, &publisher.pubkey(), batch);
        send(chain, publisher, &[instruction])?;
        changes.push(TableChange::Extended {
            address: *table,
            added: count,
        });
        room -= count;
        users = rest;
    }
    Ok(users)
}

/// Sends one table transaction; a refusal or a transport failure is this round's failure.
fn send(
    chain: &mut dyn Chain,
    publisher: &Keypair,
    instructions: &[Instruction],
) -> Result<(), String> {
    let execution = chain
        .send(instructions, publisher, &[])
        .map_err(|error| error.to_string())?;
    execution
        .result
        .map_err(|error| explain(&error, &execution.logs).to_string())
}
