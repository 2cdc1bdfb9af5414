//! The words for the IDL's enums that people read and type (`up`, `activated`, …): one
//! spelling for the CLI's tables and JSON, the agent's logs and anyone else.

use std::fmt;

use crate::types::{BgpStatus, DeviceStatus, UserStatus};

impl BgpStatus {
    /// `unknown`, `up` or `down`.
    pub fn name(&self) -> &'static str {
        match self {
            BgpStatus::Unknown => "unknown",
            BgpStatus::Up => "up",
            BgpStatus::Down => "down",
        }
    }
}

impl DeviceStatus {
    /// `pending`, `activated`, `suspended` or `drained`.
    pub fn name(&self) -> &'static str {
        match self {
            DeviceStatus::Pending => "pending",
            DeviceStatus::Activated => "activated",
            DeviceStatus::Suspended => "suspended",
            DeviceStatus::Drained => "drained",
        }
    }
}

impl UserStatus {
    /// `pending`, `activated` or `suspended`.
    pub fn name(&self) -> &'static str {
        match self {
            UserStatus::Pending => "pending",
            UserStatus::Activated => "activated",
            UserStatus::Suspended => "suspended",
        }
    }
}

impl fmt::Display for BgpStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for DeviceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for UserStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
