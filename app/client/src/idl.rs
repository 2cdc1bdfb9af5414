//! The committed IDL, parsed once: the source of the error table and of instruction names
//! for printing.

use std::sync::LazyLock;

use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang_idl_spec::{Idl, IdlInstructionAccountItem};

use crate::{IDL_JSON, PROGRAM_ID};

static IDL: LazyLock<Idl> =
    LazyLock::new(|| serde_json::from_str(IDL_JSON).expect("the committed IDL parses"));

/// The parsed IDL.
pub fn idl() -> &'static Idl {
    &IDL
}

/// An instruction's name and the names of its accounts, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstructionLayout {
    /// e.g. `reserve_connection`.
    pub name: String,
    /// e.g. `authority`, `global_state`, …
    pub accounts: Vec<String>,
}

/// The IDL's description of `instruction`, found by its discriminator.
pub fn instruction_layout(instruction: &Instruction) -> Option<InstructionLayout> {
    if instruction.program_id != PROGRAM_ID {
        return None;
    }
    let discriminator = instruction.data.get(..8)?;
    let idl_instruction = idl()
        .instructions
        .iter()
        .find(|candidate| candidate.discriminator == discriminator)?;
    let mut accounts = Vec::new();
    flatten_accounts(&idl_instruction.accounts, &mut accounts);
    Some(InstructionLayout {
        name: idl_instruction.name.clone(),
        accounts,
    })
}

fn flatten_accounts(items: &[IdlInstructionAccountItem], names: &mut Vec<String>) {
    for item in items {
        match item {
            IdlInstructionAccountItem::Single(account) => names.push(account.name.clone()),
            IdlInstructionAccountItem::Composite(group) => flatten_accounts(&group.accounts, names),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instructions;

    #[test]
    fn instructions_are_named_from_the_idl() {
        let key = anchor_lang::prelude::Pubkey::new_unique();
        let layout = instruction_layout(&instructions::initialize(key)).unwrap();
        assert_eq!(layout.name, "initialize");
        assert_eq!(
            layout.accounts,
            ["admin", "program_data", "global_state", "system_program"]
        );
    }
}
