//! The program's error table, read from the committed IDL, and the one place that turns a
//! failed transaction into a message a person understands ([`explain`]).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use anchor_lang::solana_program::instruction::error::InstructionError;
use solana_transaction_error::TransactionError;

/// One error of the program: its code, name and message, as in the IDL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramErrorInfo {
    /// The custom error code (6000 and up).
    pub code: u32,
    /// The variant name, e.g. `MaxUsersExceeded`.
    pub name: String,
    /// The message, e.g. `Device is full: …`.
    pub message: String,
}

static ERRORS: LazyLock<BTreeMap<u32, ProgramErrorInfo>> = LazyLock::new(|| {
    crate::idl::idl()
        .errors
        .iter()
        .map(|error| {
            let info = ProgramErrorInfo {
                code: error.code,
                message: error.msg.clone().unwrap_or_else(|| error.name.clone()),
                name: error.name.clone(),
            };
            (info.code, info)
        })
        .collect()
});

/// The program error with this custom code, if it is one of ours.
pub fn program_error(code: u32) -> Option<&'static ProgramErrorInfo> {
    ERRORS.get(&code)
}

/// Every program error, by code.
pub fn all_program_errors() -> impl Iterator<Item = &'static ProgramErrorInfo> {
    ERRORS.values()
}

/// A failed transaction, explained from the program's error table, Anchor's error log line,
/// or the runtime's own error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// Index of the failing instruction, when one failed.
    pub instruction: Option<u8>,
    /// The error name, e.g. `MaxUsersExceeded` or `AccountAlreadyInUse`.
    pub name: String,
    /// The error number, for program and Anchor errors.
    pub code: Option<u32>,
    /// What it means.
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.code {
            Some(code) => write!(f, "{} ({code}): {}", self.name, self.message),
            None => write!(f, "{}: {}", self.name, self.message),
        }
    }
}

/// Explains why a transaction failed. `logs` are its program logs, where Anchor reports
/// framework errors (constraint violations) by name.
pub fn explain(error: &TransactionError, logs: &[String]) -> Failure {
    let TransactionError::InstructionError(index, instruction_error) = error else {
        return Failure {
            instruction: None,
            name: variant_name(&format!("{error:?}")),
            code: None,
            message: error.to_string(),
        };
    };
    let instruction = Some(*index);
    let InstructionError::Custom(code) = instruction_error else {
        return Failure {
            instruction,
            name: variant_name(&format!("{instruction_error:?}")),
            code: None,
            message: instruction_error.to_string(),
        };
    };
    if let Some(info) = program_error(*code) {
        return Failure {
            instruction,
            name: info.name.clone(),
            code: Some(info.code),
            message: info.message.clone(),
        };
    }
    if let Some((name, message)) = anchor_error_in_logs(logs, *code) {
        return Failure {
            instruction,
            name,
            code: Some(*code),
            message,
        };
    }
    // The program creates accounts through the system program, whose error 0 is
    // AccountAlreadyInUse; the program's own codes start at 6000.
    if *code == 0 && logs.iter().any(|line| line.contains("already in use")) {
        return Failure {
            instruction,
            name: "AccountAlreadyInUse".into(),
            code: Some(0),
            message: "an account this transaction creates already exists".into(),
        };
    }
    Failure {
        instruction,
        name: "Custom".into(),
        code: Some(*code),
        message: format!("custom program error {code}"),
    }
}

/// `Foo(..)` / `Foo { .. }` / `Foo` → `Foo`.
fn variant_name(debug: &str) -> String {
    debug
        .split(['(', ' ', '{'])
        .next()
        .unwrap_or(debug)
        .to_string()
}

/// Anchor logs `AnchorError … Error Code: <name>. Error Number: <n>. Error Message: <msg>.`
fn anchor_error_in_logs(logs: &[String], code: u32) -> Option<(String, String)> {
    let number = format!("Error Number: {code}.");
    logs.iter().rev().find_map(|line| {
        if !line.contains("AnchorError") || !line.contains(&number) {
            return None;
        }
        let name = line.split("Error Code: ").nth(1)?.split('.').next()?;
        let message = line.split("Error Message: ").nth(1)?.trim_end_matches('.');
        Some((name.to_string(), message.to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_errors_come_from_the_idl() {
        let code = u32::from(crate::serviceability::error::ServiceabilityError::MaxUsersExceeded);
        let failure = explain(
            &TransactionError::InstructionError(0, InstructionError::Custom(code)),
            &[],
        );
        assert_eq!(failure.name, "MaxUsersExceeded");
        assert_eq!(failure.code, Some(code));
        assert!(failure.message.starts_with("Device is full"));
        let line = failure.to_string();
        assert!(line.starts_with(&format!("MaxUsersExceeded ({code}): Device is full")));
    }

    #[test]
    fn anchor_errors_come_from_the_log_line() {
        let logs = vec![
            "Program log: AnchorError caused by account: device. Error Code: \
             AccountNotInitialized. Error Number: 3012. Error Message: The program expected \
             this account to be already initialized."
                .to_string(),
        ];
        let failure = explain(
            &TransactionError::InstructionError(1, InstructionError::Custom(3012)),
            &logs,
        );
        assert_eq!(failure.name, "AccountNotInitialized");
        assert_eq!(failure.instruction, Some(1));
        assert_eq!(
            failure.message,
            "The program expected this account to be already initialized"
        );
    }

    #[test]
    fn runtime_errors_are_named() {
        let failure = explain(&TransactionError::AccountNotFound, &[]);
        assert_eq!(failure.name, "AccountNotFound");
        let failure = explain(
            &TransactionError::InstructionError(0, InstructionError::MissingRequiredSignature),
            &[],
        );
        assert_eq!(failure.name, "MissingRequiredSignature");
        let failure = explain(
            &TransactionError::InstructionError(0, InstructionError::Custom(0)),
            &["Allocate: account Address { .. } already in use".to_string()],
        );
        assert_eq!(failure.name, "AccountAlreadyInUse");
    }
}
