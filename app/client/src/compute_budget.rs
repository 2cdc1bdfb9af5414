//! Priority fees as the Solana CLI sets them (`--with-compute-unit-price MICROLAMPORTS`): a
//! `SetComputeUnitPrice` instruction, and a `SetComputeUnitLimit` taken from a simulation plus
//! a margin. The priority fee is the price times the limit, so a limit close to what the
//! transaction uses, rather than the default of 200,000 units per instruction, is what keeps
//! a packed transaction's fee in proportion to its work.

use anchor_lang::solana_program::instruction::Instruction;
use solana_compute_budget_interface::ComputeBudgetInstruction;

/// The most compute units a transaction may ask for.
pub const MAX_COMPUTE_UNIT_LIMIT: u32 = 1_400_000;

/// The margin over the simulated units, in percent: what the program spends depends on the
/// state it finds (a PDA's bump search, a list's length), which can change between the
/// simulation and the landing.
pub const COMPUTE_UNIT_MARGIN_PERCENT: u64 = 10;

/// The least margin, in units, for transactions so small that the percentage is nothing.
pub const MIN_COMPUTE_UNIT_MARGIN: u64 = 1_000;

/// The limit for a transaction that consumed `simulated` units in simulation.
pub fn compute_unit_limit(simulated: u64) -> u32 {
    let margin =
        (simulated.saturating_mul(COMPUTE_UNIT_MARGIN_PERCENT) / 100).max(MIN_COMPUTE_UNIT_MARGIN);
    u32::try_from(simulated.saturating_add(margin))
        .unwrap_or(u32::MAX)
        .min(MAX_COMPUTE_UNIT_LIMIT)
}

/// `instructions` preceded by the compute-budget instructions: the limit (when known) and the
/// price, in micro-lamports per compute unit.
pub fn with_compute_budget(
    instructions: &[Instruction],
    compute_unit_price: u64,
    compute_unit_limit: Option<u32>,
) -> Vec<Instruction> {
    compute_unit_limit
        .map(ComputeBudgetInstruction::set_compute_unit_limit)
        .into_iter()
        .chain([ComputeBudgetInstruction::set_compute_unit_price(
            compute_unit_price,
        )])
        .chain(instructions.iter().cloned())
        .collect()
}

/// The two compute-budget instructions a priced transaction carries, as any limit and price
/// encode to the same size: what a transaction packer must leave room for.
pub fn compute_budget_instructions() -> [Instruction; 2] {
    [
        ComputeBudgetInstruction::set_compute_unit_limit(MAX_COMPUTE_UNIT_LIMIT),
        ComputeBudgetInstruction::set_compute_unit_price(0),
    ]
}

/// A compute-budget instruction in words ("set_compute_unit_limit 20000"), for listings;
/// `None` for any other instruction.
pub fn describe(instruction: &Instruction) -> Option<String> {
    if instruction.program_id != solana_compute_budget_interface::ID {
        return None;
    }
    let (tag, value) = instruction.data.split_first()?;
    let value = match value.len() {
        4 => u64::from(u32::from_le_bytes(value.try_into().ok()?)),
        8 => u64::from_le_bytes(value.try_into().ok()?),
        _ => return None,
    };
    let name = match tag {
        1 => "request_heap_frame",
        2 => "set_compute_unit_limit",
        3 => "set_compute_unit_price",
        4 => "set_loaded_accounts_data_size_limit",
        _ => return None,
    };
    Some(format!("{name} {value}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_the_simulation_plus_a_margin_within_the_cluster_maximum() {
        assert_eq!(compute_unit_limit(100_000), 110_000);
        assert_eq!(compute_unit_limit(154_120), 169_532);
        assert_eq!(compute_unit_limit(151), 1_151, "at least the fixed margin");
        assert_eq!(compute_unit_limit(1_390_000), MAX_COMPUTE_UNIT_LIMIT);
        assert_eq!(compute_unit_limit(u64::MAX), MAX_COMPUTE_UNIT_LIMIT);
    }

    #[test]
    fn the_budget_comes_first_limit_then_price() {
        let program = Instruction::new_with_bytes(crate::PROGRAM_ID, &[7], vec![]);
        let priced = with_compute_budget(std::slice::from_ref(&program), 5_000, Some(20_000));
        assert_eq!(priced.len(), 3);
        assert_eq!(
            priced[0],
            ComputeBudgetInstruction::set_compute_unit_limit(20_000)
        );
        assert_eq!(
            priced[1],
            ComputeBudgetInstruction::set_compute_unit_price(5_000)
        );
        assert_eq!(priced[2], program);
        assert_eq!(
            describe(&priced[0]).as_deref(),
            Some("set_compute_unit_limit 20000")
        );
        assert_eq!(
            describe(&priced[1]).as_deref(),
            Some("set_compute_unit_price 5000")
        );
        assert_eq!(describe(&program), None);
        // No figure from the simulation: the price alone.
        let unlimited = with_compute_budget(std::slice::from_ref(&program), 5_000, None);
        assert_eq!(unlimited.len(), 2);
        assert_eq!(
            unlimited[0],
            ComputeBudgetInstruction::set_compute_unit_price(5_000)
        );
    }
}
