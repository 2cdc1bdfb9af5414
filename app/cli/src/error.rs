//! `CliError`: a failure's message, its explanation when the program refused, and the exit
//! status it maps to (2: nothing was sent; 1: the chain refused or drifted).

use std::fmt;

use serviceability_client::chain::ChainError;
use serviceability_client::errors::Failure;
use serviceability_client::transport::TransportError;
use serviceability_localnet::ledger::LedgerError;

use crate::output::DeviceView;

/// Exit status for usage and input errors: nothing was sent.
pub const EXIT_INPUT: u8 = 2;
/// Exit status for on-chain failures (and audit drift): nothing was changed.
pub const EXIT_CHAIN: u8 = 1;

/// A failure, with the exit status it maps to.
#[derive(Debug)]
pub struct CliError {
    /// [`EXIT_INPUT`] or [`EXIT_CHAIN`].
    pub exit_code: u8,
    /// One line a person understands.
    pub message: String,
    /// The program failure behind it, when there is one.
    pub failure: Option<Failure>,
}

impl CliError {
    /// A usage or input error (exit 2).
    pub fn input(message: impl Into<String>) -> Self {
        CliError {
            exit_code: EXIT_INPUT,
            message: message.into(),
            failure: None,
        }
    }

    /// An on-chain failure (exit 1).
    pub fn chain(message: impl Into<String>) -> Self {
        CliError {
            exit_code: EXIT_CHAIN,
            message: message.into(),
            failure: None,
        }
    }

    /// Adds the device's seat counts when the failure is about its capacity or state.
    pub fn with_device(mut self, device: &DeviceView) -> Self {
        let about_device = self.failure.as_ref().is_some_and(|failure| {
            matches!(
                failure.name.as_str(),
                "MaxUsersExceeded" | "DeviceNotActivated" | "DeviceNotEmpty"
            )
        });
        if about_device {
            self.message = format!(
                "{} [{}, {}]",
                self.message,
                device.seats_line(),
                device.status
            );
        }
        self
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<TransportError> for CliError {
    fn from(error: TransportError) -> Self {
        match error {
            TransportError::Unreachable { .. } | TransportError::Signing(_) => {
                CliError::input(error.to_string())
            }
            TransportError::Rpc { .. } | TransportError::TooLarge(_) => {
                CliError::chain(error.to_string())
            }
        }
    }
}

impl From<ChainError> for CliError {
    fn from(error: ChainError) -> Self {
        match error {
            ChainError::Transport(error) => error.into(),
            decode @ ChainError::Decode { .. } => CliError::chain(decode.to_string()),
        }
    }
}

impl From<LedgerError> for CliError {
    fn from(error: LedgerError) -> Self {
        match error {
            LedgerError::TooLarge { .. } => CliError::chain(error.to_string()),
            _ => CliError::input(error.to_string()),
        }
    }
}

/// The command's result type.
pub type CliResult<T> = Result<T, CliError>;
