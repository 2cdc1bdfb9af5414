//! A device's address lookup tables: the tables a metrics publisher keeps so that one v0
//! transaction reports for up to 60 users ([`reports_per_v0_transaction`]) instead of the ~22 a
//! legacy one can address.
//!
//! A device table is an ordinary table of the address lookup table program whose authority
//! is the publisher and whose first address is the device; the system program (which
//! `report_bgp_sessions` takes to grow old accounts) comes second, the device's users after. That is how the tables are found again (`getProgramAccounts` on the
//! lookup table program, filtered by authority and first address) by any process of the
//! publisher, with nothing kept off-chain. A table holds 256 addresses, so a device of more
//! than 254 users has several.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::system_program;
use solana_account::Account;
use solana_address_lookup_table_interface::instruction as alt;
use solana_address_lookup_table_interface::state::{
    estimate_last_valid_slot, AddressLookupTable, LOOKUP_TABLE_MAX_ADDRESSES,
    LOOKUP_TABLE_META_SIZE,
};
use solana_message::AddressLookupTableAccount;
use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};

use crate::transport::Cluster;
use crate::transport::{TransportError, MAX_TX_ACCOUNT_LOCKS};

/// The address lookup table program.
pub use solana_address_lookup_table_interface::program::ID as LOOKUP_TABLE_PROGRAM_ID;

/// Addresses at the head of every device table: the device and the system program.
const TABLE_HEAD: usize = 2;

/// Reports one v0 transaction carries when every user is in a device table: the
/// [`MAX_TX_ACCOUNT_LOCKS`] accounts a transaction may reference, less the publisher, our
/// program, the device and the system program, and the compute-budget program when a
/// priority fee is paid (program ids cannot be looked up): 60, or 59 with a fee.
pub fn reports_per_v0_transaction(priority_fee: bool) -> usize {
    MAX_TX_ACCOUNT_LOCKS - 2 - TABLE_HEAD - usize::from(priority_fee)
}

/// Users one table holds: 256 addresses, less the device and the system program.
pub const USERS_PER_TABLE: usize = LOOKUP_TABLE_MAX_ADDRESSES - TABLE_HEAD;

/// Addresses one `extend_lookup_table` adds in a legacy transaction of the publisher, beside a
/// `create_lookup_table` and the compute-budget instructions (measured by the test below).
pub const ADDRESSES_PER_EXTEND: usize = 28;

/// Where the optional authority sits in a table account: after the program state's tag (4),
/// the deactivation slot (8), the last extended slot (8) and its start index (1).
const AUTHORITY_OFFSET: usize = 21;

/// Where a table is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum TableStatus {
    /// Usable, and extendable by its authority.
    Active,
    /// Deactivated at `deactivated_at`: still usable until slot `closable_after`, closable after.
    Deactivating {
        /// The slot it was deactivated in.
        deactivated_at: u64,
        /// The last slot it may still be used in (the deactivation slot leaves the
        /// `SlotHashes` sysvar after it).
        closable_after: u64,
    },
    /// Past its cool-down: its authority may close it and take its rent back.
    Closable {
        /// The slot it was deactivated in.
        deactivated_at: u64,
    },
}

/// One of a device's lookup tables, as the cluster holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceTable {
    /// The table's address.
    pub address: Pubkey,
    /// Its addresses: the device first, then users.
    pub addresses: Vec<Pubkey>,
    /// The slot it was last extended in (its newest addresses are usable only after it).
    pub last_extended_slot: u64,
    /// How many addresses it held before that slot's extensions.
    pub last_extended_slot_start_index: usize,
    /// The slot it was deactivated in; `u64::MAX` while active.
    pub deactivation_slot: u64,
    /// Its balance, returned to the authority when it is closed.
    pub lamports: u64,
}

impl DeviceTable {
    /// The table in `account` at `address`, if it is a lookup table.
    pub fn decode(address: Pubkey, account: &Account) -> Option<DeviceTable> {
        if account.owner != LOOKUP_TABLE_PROGRAM_ID {
            return None;
        }
        let table = AddressLookupTable::deserialize(&account.data).ok()?;
        Some(DeviceTable {
            address,
            addresses: table.addresses.to_vec(),
            last_extended_slot: table.meta.last_extended_slot,
            last_extended_slot_start_index: usize::from(table.meta.last_extended_slot_start_index),
            deactivation_slot: table.meta.deactivation_slot,
            lamports: account.lamports,
        })
    }

    /// The users it holds (every address after the device and the system program).
    pub fn users(&self) -> &[Pubkey] {
        self.addresses.get(TABLE_HEAD..).unwrap_or_default()
    }

    /// Room for more users.
    pub fn room(&self) -> usize {
        LOOKUP_TABLE_MAX_ADDRESSES.saturating_sub(self.addresses.len())
    }

    /// Where it is in its life at `slot`. The cool-down is estimated as the cluster's
    /// `SlotHashes` length (512 slots), as the lookup table program's own estimate does.
    pub fn status(&self, slot: u64) -> TableStatus {
        if self.deactivation_slot == u64::MAX {
            return TableStatus::Active;
        }
        let closable_after = estimate_last_valid_slot(self.deactivation_slot);
        if slot > closable_after {
            TableStatus::Closable {
                deactivated_at: self.deactivation_slot,
            }
        } else {
            TableStatus::Deactivating {
                deactivated_at: self.deactivation_slot,
                closable_after,
            }
        }
    }

    /// The addresses a transaction executed in `slot` may look up: all of them once the
    /// last extension's slot has passed, those before it otherwise.
    pub fn usable_addresses(&self, slot: u64) -> &[Pubkey] {
        if slot > self.last_extended_slot {
            &self.addresses
        } else {
            &self.addresses[..self
                .last_extended_slot_start_index
                .min(self.addresses.len())]
        }
    }

    /// The table as a v0 message compiler takes it, with the addresses usable in `slot`.
    pub fn lookup_account(&self, slot: u64) -> AddressLookupTableAccount {
        AddressLookupTableAccount {
            key: self.address,
            addresses: self.usable_addresses(slot).to_vec(),
        }
    }
}

/// The active and deactivating tables of `device` whose authority is `authority`, oldest
/// address first.
pub fn device_tables(
    cluster: &Cluster,
    authority: &Pubkey,
    device: &Pubkey,
) -> Result<Vec<DeviceTable>, TransportError> {
    let mut authority_option = vec![1];
    authority_option.extend_from_slice(authority.as_ref());
    let filters = vec![
        RpcFilterType::Memcmp(Memcmp::new_raw_bytes(AUTHORITY_OFFSET, authority_option)),
        RpcFilterType::Memcmp(Memcmp::new_raw_bytes(
            LOOKUP_TABLE_META_SIZE,
            device.as_ref().to_vec(),
        )),
    ];
    Ok(cluster
        .accounts_owned_by(&LOOKUP_TABLE_PROGRAM_ID, filters)?
        .into_iter()
        .filter_map(|(address, account)| DeviceTable::decode(address, &account))
        .collect())
}

/// A device table about to be created: what [`create_device_table`] returns.
#[derive(Clone, Debug)]
pub struct NewTable {
    /// Its creation and first extension, for one legacy transaction.
    pub instructions: Vec<Instruction>,
    /// Its address.
    pub address: Pubkey,
    /// How many of the users given it holds.
    pub users: usize,
}

/// The table for `device` derived from `recent_slot` (a slot still in the cluster's
/// `SlotHashes`), paid and owned by `authority`, created holding the device, the system
/// program and as many of `users` as fit one transaction ([`ADDRESSES_PER_EXTEND`]
/// addresses in all).
pub fn create_device_table(
    authority: &Pubkey,
    device: &Pubkey,
    recent_slot: u64,
    users: &[Pubkey],
) -> NewTable {
    let (create, address) = alt::create_lookup_table(*authority, *authority, recent_slot);
    let users = &users[..users.len().min(ADDRESSES_PER_EXTEND - TABLE_HEAD)];
    let mut addresses = vec![*device, system_program::ID];
    addresses.extend_from_slice(users);
    let extend = alt::extend_lookup_table(address, *authority, Some(*authority), addresses);
    NewTable {
        instructions: vec![create, extend],
        address,
        users: users.len(),
    }
}

/// The instruction that adds `users` (at most [`ADDRESSES_PER_EXTEND`]) to `table`.
pub fn extend_device_table(table: &Pubkey, authority: &Pubkey, users: &[Pubkey]) -> Instruction {
    alt::extend_lookup_table(*table, *authority, Some(*authority), users.to_vec())
}

/// The instruction that deactivates `table` (closable once its cool-down is over).
pub fn deactivate_device_table(table: &Pubkey, authority: &Pubkey) -> Instruction {
    alt::deactivate_lookup_table(*table, *authority)
}

/// The instruction that closes `table`, returning its rent to `authority`.
pub fn close_device_table(table: &Pubkey, authority: &Pubkey) -> Instruction {
    alt::close_lookup_table(*table, *authority, *authority)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute_budget::compute_budget_instructions;
    use crate::instructions::report_bgp_sessions;
    use crate::transport::{transaction_footprint, PACKET_DATA_SIZE};
    use crate::types::{BgpReport, BgpStatus};

    fn create_footprint(authority: &Pubkey, addresses: Vec<Pubkey>) -> (usize, usize) {
        let (create, address) = alt::create_lookup_table(*authority, *authority, 1_000);
        let extend = alt::extend_lookup_table(address, *authority, Some(*authority), addresses);
        let mut instructions = compute_budget_instructions().to_vec();
        instructions.extend([create, extend]);
        transaction_footprint(&instructions, authority, &[]).unwrap()
    }

    #[test]
    fn a_table_is_created_with_as_many_addresses_as_fit_one_legacy_transaction() {
        let (authority, device) = (Pubkey::new_unique(), Pubkey::new_unique());
        let users: Vec<Pubkey> = (0..100).map(|_| Pubkey::new_unique()).collect();
        let table = create_device_table(&authority, &device, 1_000, &users);
        assert_eq!(
            table.address,
            alt::derive_lookup_table_address(&authority, 1_000).0
        );
        assert_eq!(table.users, ADDRESSES_PER_EXTEND - 2);
        let mut instructions = compute_budget_instructions().to_vec();
        instructions.extend(table.instructions);
        let (size, _) = transaction_footprint(&instructions, &authority, &[]).unwrap();
        assert!(size <= PACKET_DATA_SIZE, "{size} bytes");
        let (size, _) = create_footprint(&authority, users[..ADDRESSES_PER_EXTEND].to_vec());
        assert!(size <= PACKET_DATA_SIZE, "{size} bytes");
        let (size, _) = create_footprint(&authority, users[..=ADDRESSES_PER_EXTEND].to_vec());
        assert!(size > PACKET_DATA_SIZE, "one more address: {size} bytes");
    }

    #[test]
    fn sixty_reports_address_sixty_four_accounts_through_a_device_table() {
        let (publisher, device) = (Pubkey::new_unique(), Pubkey::new_unique());
        let footprint = |count: usize, priority_fee: bool| {
            let reports: Vec<_> = (0..count as u32)
                .map(|n| {
                    let report = BgpReport {
                        status: BgpStatus::Up,
                        rtt_ns: u64::MAX,
                    };
                    (std::net::Ipv4Addr::from(0x6440_0000 + n), report)
                })
                .collect();
            let instruction = report_bgp_sessions(publisher, device, &reports);
            let table = AddressLookupTableAccount {
                key: Pubkey::new_unique(),
                addresses: instruction.accounts[1..]
                    .iter()
                    .map(|meta| meta.pubkey)
                    .collect(),
            };
            let mut instructions = match priority_fee {
                true => compute_budget_instructions().to_vec(),
                false => Vec::new(),
            };
            instructions.push(instruction);
            transaction_footprint(&instructions, &publisher, &[table]).unwrap()
        };
        assert_eq!(reports_per_v0_transaction(false), 60);
        for priority_fee in [false, true] {
            let reports = reports_per_v0_transaction(priority_fee);
            let (size, accounts) = footprint(reports, priority_fee);
            assert_eq!(accounts, MAX_TX_ACCOUNT_LOCKS, "fee {priority_fee}");
            assert!(size <= PACKET_DATA_SIZE, "{size} bytes");
            let (_, accounts) = footprint(reports + 1, priority_fee);
            assert!(accounts > MAX_TX_ACCOUNT_LOCKS);
        }
    }

    #[test]
    fn a_table_is_usable_up_to_its_last_extension_until_that_slot_has_passed() {
        let table = DeviceTable {
            address: Pubkey::new_unique(),
            addresses: (0..5).map(|_| Pubkey::new_unique()).collect(),
            last_extended_slot: 100,
            last_extended_slot_start_index: 3,
            deactivation_slot: u64::MAX,
            lamports: 0,
        };
        assert_eq!(table.usable_addresses(100).len(), 3);
        assert_eq!(table.usable_addresses(101).len(), 5);
        assert_eq!(table.users().len(), 3);
        assert_eq!(table.room(), 251);
        assert_eq!(table.status(100), TableStatus::Active);
        let deactivated = DeviceTable {
            deactivation_slot: 200,
            ..table
        };
        assert_eq!(
            deactivated.status(712),
            TableStatus::Deactivating {
                deactivated_at: 200,
                closable_after: 712
            }
        );
        assert_eq!(
            deactivated.status(713),
            TableStatus::Closable {
                deactivated_at: 200
            }
        );
    }
}
