//! The program's syscalls, served from litesvm's invoke context.
//!
//! Natively, anchor-lang 1.2.2 sends CPIs (through `solana-invoke`), sysvar reads and
//! `sol_log`/`sol_log_data` to `solana_sysvar::program_stubs` (solana-sysvar 3.x). The
//! stubs are process-wide while `cargo test` runs tests on parallel threads, each with its
//! own litesvm, so the invoke context being served is kept per thread ([`CurrentInvokeContext`]).
//!
//! Served: CPIs with PDA signer seeds, `Clock` and `Rent` (and any sysvar's bytes through
//! `sol_get_sysvar`), `sol_log`, `sol_log_data` (events), return data, stack height and
//! remaining compute units. Not served: the other typed sysvar getters (the program reads
//! only `Clock` and `Rent`; they answer `UNSUPPORTED_SYSVAR`) and processed sibling
//! instructions (`None`). `msg!` is a bare `println!` natively in upstream solana-msg; our
//! patched copy (vendor/solana-msg) has a hook, set here, that sends it to `sol_log`, so
//! Anchor's `Instruction: …` and `AnchorError …` lines reach the transaction logs.

use std::cell::RefCell;
use std::sync::Once;

use anchor_lang::prelude::{AccountInfo, Clock, ProgramError, Pubkey, Rent};
use anchor_lang::solana_program::instruction::Instruction;
use solana_program_runtime::{
    __private::InstructionError, invoke_context::InvokeContext, solana_sbpf::vm::ContextObject,
    stable_log,
};
use solana_sysvar::program_stubs::{set_syscall_stubs, SyscallStubs};

/// `sol_get_*` status codes, as the BPF loader defines them.
const SUCCESS: u64 = 0;
const OFFSET_LENGTH_EXCEEDS_SYSVAR: u64 = 1;
const SYSVAR_NOT_FOUND: u64 = 2;
const UNSUPPORTED_SYSVAR: u64 = anchor_lang::solana_program::instruction::error::UNSUPPORTED_SYSVAR;

/// Installs the host's stubs, once per process.
pub(crate) fn install() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        set_syscall_stubs(Box::new(HostStubs));
        solana_msg::set_native_log_hook(solana_sysvar::program_stubs::sol_log);
    });
}

/// One native program invocation being served on this thread.
struct Frame {
    invoke_context: *mut InvokeContext<'static, 'static>,
    /// The first CPI of this invocation that failed.
    failed_cpi: Option<InstructionError>,
}

thread_local! {
    /// Innermost last: a CPI into a native program pushes another frame.
    static FRAMES: RefCell<Vec<Frame>> = const { RefCell::new(Vec::new()) };
}

/// Makes an invoke context the one this thread's stubs serve, until [`Self::exit`].
pub(crate) struct CurrentInvokeContext {
    exited: bool,
}

impl CurrentInvokeContext {
    /// Serves `invoke_context` until `exit` (or drop).
    pub(crate) fn enter(invoke_context: &mut InvokeContext) -> Self {
        let invoke_context =
            std::ptr::from_mut(invoke_context).cast::<InvokeContext<'static, 'static>>();
        FRAMES.with(|frames| {
            frames.borrow_mut().push(Frame {
                invoke_context,
                failed_cpi: None,
            })
        });
        CurrentInvokeContext { exited: false }
    }

    /// Stops serving the context; returns the error of a CPI that failed meanwhile.
    pub(crate) fn exit(mut self) -> Option<InstructionError> {
        self.exited = true;
        FRAMES
            .with(|frames| frames.borrow_mut().pop())
            .and_then(|frame| frame.failed_cpi)
    }
}

impl Drop for CurrentInvokeContext {
    fn drop(&mut self) {
        if !self.exited {
            FRAMES.with(|frames| frames.borrow_mut().pop());
        }
    }
}

/// Runs `f` on the invoke context this thread is serving, if any.
fn with_current<R>(f: impl FnOnce(&mut InvokeContext) -> R) -> Option<R> {
    // Copy the pointer out first: `f` may run a CPI that re-enters (pushes a frame).
    let invoke_context =
        FRAMES.with(|frames| frames.borrow().last().map(|frame| frame.invoke_context))?;
    // SAFETY: the pointer was pushed by `enter` from a live `&mut InvokeContext` whose
    // invocation is still running on this thread (it is popped before that call returns),
    // and the bridge does not touch the context while the program runs.
    Some(f(unsafe { &mut *invoke_context }))
}

fn record_failed_cpi(error: InstructionError) {
    FRAMES.with(|frames| {
        if let Some(frame) = frames.borrow_mut().last_mut() {
            frame.failed_cpi.get_or_insert(error);
        }
    });
}

struct HostStubs;

impl SyscallStubs for HostStubs {
    fn sol_log(&self, message: &str) {
        if with_current(|ic| stable_log::program_log(&ic.get_log_collector(), message)).is_none() {
            println!("{message}");
        }
    }

    fn sol_log_compute_units(&self) {
        let remaining = self.sol_remaining_compute_units();
        self.sol_log(&format!("Program consumption: {remaining} units remaining"));
    }

    fn sol_remaining_compute_units(&self) -> u64 {
        with_current(|ic| ic.get_remaining()).unwrap_or(0)
    }

    fn sol_invoke_signed(
        &self,
        instruction: &Instruction,
        account_infos: &[AccountInfo],
        signers_seeds: &[&[&[u8]]],
    ) -> Result<(), ProgramError> {
        let result =
            with_current(|ic| invoke_signed(ic, instruction, account_infos, signers_seeds))
                .expect("a CPI was made outside the native host");
        result.map_err(|error| {
            // The bridge fails the instruction with this error, as the runtime would have
            // aborted it; what the program sees here only has to be an error.
            let seen_by_program = match error {
                InstructionError::Custom(code) => ProgramError::Custom(code),
                _ => ProgramError::InvalidArgument,
            };
            record_failed_cpi(error);
            seen_by_program
        })
    }

    fn sol_get_sysvar(
        &self,
        sysvar_id_addr: *const u8,
        var_addr: *mut u8,
        offset: u64,
        length: u64,
    ) -> u64 {
        // SAFETY: the caller passes a pointer to a 32-byte sysvar id.
        let sysvar_id = Pubkey::new_from_array(unsafe { *(sysvar_id_addr as *const [u8; 32]) });
        with_current(|ic| {
            let Some(bytes) = ic
                .environment_config
                .sysvar_cache()
                .sysvar_id_to_buffer(&sysvar_id)
            else {
                return SYSVAR_NOT_FOUND;
            };
            let Some(range) = offset
                .checked_add(length)
                .and_then(|end| bytes.get(offset as usize..end as usize))
            else {
                return OFFSET_LENGTH_EXCEEDS_SYSVAR;
            };
            // SAFETY: the caller passes a buffer of `length` bytes.
            unsafe { std::ptr::copy_nonoverlapping(range.as_ptr(), var_addr, range.len()) };
            SUCCESS
        })
        .unwrap_or(UNSUPPORTED_SYSVAR)
    }

    fn sol_get_clock_sysvar(&self, var_addr: *mut u8) -> u64 {
        with_current(
            |ic| match ic.environment_config.sysvar_cache().get_clock() {
                Ok(clock) => {
                    // SAFETY: `Clock::get` passes a pointer to a `Clock` (the same solana-clock).
                    unsafe { std::ptr::write(var_addr as *mut Clock, Clock::clone(&clock)) };
                    SUCCESS
                }
                Err(_) => UNSUPPORTED_SYSVAR,
            },
        )
        .unwrap_or(UNSUPPORTED_SYSVAR)
    }

    fn sol_get_rent_sysvar(&self, var_addr: *mut u8) -> u64 {
        with_current(|ic| {
            // The program's Rent (solana-rent 3.x) differs from the runtime's (4.x): rebuild
            // it from the sysvar's serialized bytes, which both versions lay out alike.
            let sysvar_cache = ic.environment_config.sysvar_cache();
            let Some(bytes) =
                sysvar_cache.sysvar_id_to_buffer(&anchor_lang::solana_program::rent::ID)
            else {
                return UNSUPPORTED_SYSVAR;
            };
            let Some(rent) = rent_from_sysvar_bytes(bytes) else {
                return UNSUPPORTED_SYSVAR;
            };
            // SAFETY: `Rent::get` passes a pointer to the program's `Rent`.
            unsafe { std::ptr::write(var_addr as *mut Rent, rent) };
            SUCCESS
        })
        .unwrap_or(UNSUPPORTED_SYSVAR)
    }

    fn sol_get_return_data(&self) -> Option<(Pubkey, Vec<u8>)> {
        with_current(|ic| {
            let (program_id, data) = ic.transaction_context.get_return_data();
            (!data.is_empty()).then(|| (*program_id, data.to_vec()))
        })
        .flatten()
    }

    fn sol_set_return_data(&self, data: &[u8]) {
        let result = with_current(|ic| {
            let transaction_context = &mut ic.transaction_context;
            let program_id = *transaction_context
                .get_current_instruction_context()?
                .get_program_key()?;
            transaction_context.set_return_data(program_id, data.to_vec())
        });
        // On-chain an oversized return data aborts the program; natively the bridge turns
        // this panic into a failed instruction.
        if let Some(Err(error)) = result {
            panic!("sol_set_return_data: {error}");
        }
    }

    fn sol_log_data(&self, fields: &[&[u8]]) {
        if with_current(|ic| stable_log::program_data(&ic.get_log_collector(), fields)).is_none() {
            println!("data: {fields:?}");
        }
    }

    fn sol_get_stack_height(&self) -> u64 {
        with_current(|ic| ic.get_stack_height() as u64).unwrap_or(0)
    }
}

/// The program-side `Rent` from the rent sysvar's bincode bytes:
/// `u64` lamports per byte, `f64` exemption threshold, `u8` burn percent.
#[allow(deprecated)] // solana-rent 3.x's field names, the ones the program is built with
fn rent_from_sysvar_bytes(bytes: &[u8]) -> Option<Rent> {
    Some(Rent {
        lamports_per_byte_year: u64::from_le_bytes(bytes.get(0..8)?.try_into().ok()?),
        exemption_threshold: f64::from_le_bytes(bytes.get(8..16)?.try_into().ok()?),
        burn_percent: *bytes.get(16)?,
    })
}

/// A CPI from the running native program, as the runtime's `sol_invoke_signed` does it:
/// the caller's `AccountInfo` changes are made visible to the callee, the callee runs
/// with PDA signers derived from `signers_seeds`, and its changes to writable accounts
/// are copied back into the caller's `AccountInfo`s (including growth and owner).
fn invoke_signed(
    invoke_context: &mut InvokeContext,
    instruction: &Instruction,
    account_infos: &[AccountInfo],
    signers_seeds: &[&[&[u8]]],
) -> Result<(), InstructionError> {
    let accounts = callee_accounts(invoke_context, instruction, account_infos)?;
    {
        let caller = invoke_context
            .transaction_context
            .get_current_instruction_context()?;
        for callee_account in &accounts {
            let info = callee_account.info;
            let mut account =
                caller.try_borrow_instruction_account(callee_account.index_in_caller)?;
            if account.get_lamports() != info.lamports() {
                account.set_lamports(info.lamports())?;
            }
            let data = info
                .try_borrow_data()
                .map_err(|_| InstructionError::AccountBorrowFailed)?;
            if account.get_data() != &data[..] {
                account.set_data_from_slice(&data)?;
            }
            // Owner last, so the program may still change lamports and data before it.
            if account.get_owner() != info.owner {
                account.set_owner(info.owner.as_ref())?;
            }
        }
    }

    invoke_context.native_invoke_signed(instruction.clone(), signers_seeds)?;

    let caller = invoke_context
        .transaction_context
        .get_current_instruction_context()?;
    for callee_account in accounts.iter().filter(|account| account.writable) {
        let info = callee_account.info;
        let account = caller.try_borrow_instruction_account(callee_account.index_in_caller)?;
        **info
            .try_borrow_mut_lamports()
            .map_err(|_| InstructionError::AccountBorrowFailed)? = account.get_lamports();
        if info.owner != account.get_owner() {
            info.assign(account.get_owner());
        }
        let data = account.get_data();
        if info.data_len() != data.len() {
            info.resize(data.len())
                .map_err(|_| InstructionError::InvalidRealloc)?;
        }
        info.try_borrow_mut_data()
            .map_err(|_| InstructionError::AccountBorrowFailed)?
            .copy_from_slice(data);
    }
    Ok(())
}

/// One distinct account of a CPI.
struct CalleeAccount<'a, 'info> {
    /// The caller's view of it.
    info: &'a AccountInfo<'info>,
    /// Its index among the calling instruction's accounts.
    index_in_caller: u16,
    /// Whether the callee may write it.
    writable: bool,
}

/// The distinct accounts of `instruction`, each found among the caller's `AccountInfo`s and
/// its instruction accounts (else `MissingAccount`, as the runtime answers).
fn callee_accounts<'a, 'info>(
    invoke_context: &InvokeContext,
    instruction: &Instruction,
    account_infos: &'a [AccountInfo<'info>],
) -> Result<Vec<CalleeAccount<'a, 'info>>, InstructionError> {
    let transaction_context = &invoke_context.transaction_context;
    let caller = transaction_context.get_current_instruction_context()?;
    let mut accounts: Vec<CalleeAccount> = Vec::with_capacity(instruction.accounts.len());
    for meta in &instruction.accounts {
        if let Some(seen) = accounts
            .iter_mut()
            .find(|account| *account.info.key == meta.pubkey)
        {
            seen.writable |= meta.is_writable;
            continue;
        }
        let info = account_infos
            .iter()
            .find(|info| *info.key == meta.pubkey)
            .ok_or(InstructionError::MissingAccount)?;
        let index_in_transaction = transaction_context
            .find_index_of_account(&meta.pubkey)
            .ok_or(InstructionError::MissingAccount)?;
        let index_in_caller = caller.get_index_of_account_in_instruction(index_in_transaction)?;
        accounts.push(CalleeAccount {
            info,
            index_in_caller,
            writable: meta.is_writable,
        });
    }
    Ok(accounts)
}
