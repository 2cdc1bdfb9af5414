//! `keygen`: the keypair written.

use std::fmt;

use serde::Serialize;

use super::CommandOutput;

/// A keypair written to a file.
#[derive(Serialize)]
pub struct KeypairView {
    /// Its public key.
    pub pubkey: String,
    /// The file.
    pub path: String,
}

impl fmt::Display for KeypairView {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "Wrote a new keypair to {}\npubkey: {}",
            self.path, self.pubkey
        )
    }
}

impl CommandOutput for KeypairView {}
