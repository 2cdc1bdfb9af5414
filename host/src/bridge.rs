//! The builtin entrypoint: runs one instruction of the natively compiled program.

use std::panic::{catch_unwind, AssertUnwindSafe};

use anchor_lang::solana_program::entrypoint::deserialize;
use solana_program_runtime::{
    __private::InstructionError,
    declare_process_instruction,
    invoke_context::InvokeContext,
    serialization::{deserialize_parameters, serialize_parameters},
};

use crate::stubs::CurrentInvokeContext;

/// Compute units charged per native instruction. Nominal: native code is not metered (load
/// the compiled `.so` for real figures), but a builtin must charge something.
const NATIVE_INSTRUCTION_COMPUTE_UNITS: u64 = 1;

// Serialization flags, as for a loader-v3 program without the VM: data copied into the
// buffer (no direct mapping), no virtual address adjustments, no account pointer array.
const VIRTUAL_ADDRESS_SPACE_ADJUSTMENTS: bool = false;
const ACCOUNT_DATA_DIRECT_MAPPING: bool = false;
const DIRECT_ACCOUNT_POINTERS: bool = false;

declare_process_instruction!(
    Entrypoint,
    NATIVE_INSTRUCTION_COMPUTE_UNITS,
    |invoke_context| { process(invoke_context) }
);

/// Serializes the instruction's accounts as the BPF loader does (with the realloc padding),
/// runs `serviceability::entry` on `AccountInfo`s that point into that buffer, then writes
/// the buffer back through the loader's own `deserialize_parameters` (lamports, data and
/// its growth, owner, with the runtime's checks).
fn process(invoke_context: &mut InvokeContext) -> Result<(), InstructionError> {
    let instruction_context = invoke_context
        .transaction_context
        .get_current_instruction_context()?;
    let (mut buffer, _regions, accounts_metadata, _instruction_data_offset) = serialize_parameters(
        &instruction_context,
        VIRTUAL_ADDRESS_SPACE_ADJUSTMENTS,
        ACCOUNT_DATA_DIRECT_MAPPING,
        DIRECT_ACCOUNT_POINTERS,
    )?;

    let current = CurrentInvokeContext::enter(invoke_context);
    let outcome = {
        // SAFETY: `buffer` was laid out by `serialize_parameters` in the ABI that
        // `deserialize` reads, is aligned, and outlives the `AccountInfo`s borrowed from it.
        let (program_id, account_infos, instruction_data) =
            unsafe { deserialize(buffer.as_slice_mut().as_mut_ptr()) };
        catch_unwind(AssertUnwindSafe(|| {
            serviceability::entry(program_id, &account_infos, instruction_data)
        }))
    };
    let failed_cpi = current.exit();

    // On-chain a failed CPI aborts the caller with the callee's error, whatever the caller
    // would have done next; natively the stub returned it to the program, so restore that.
    if let Some(error) = failed_cpi {
        return Err(error);
    }
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(program_error)) => return Err(InstructionError::from(u64::from(program_error))),
        Err(_panic) => return Err(InstructionError::ProgramFailedToComplete),
    }

    let instruction_context = invoke_context
        .transaction_context
        .get_current_instruction_context()?;
    deserialize_parameters(
        &instruction_context,
        VIRTUAL_ADDRESS_SPACE_ADJUSTMENTS,
        ACCOUNT_DATA_DIRECT_MAPPING,
        buffer.as_slice(),
        &accounts_metadata,
    )
}
