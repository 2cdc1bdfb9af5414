//! One invocation at a time: whoever opens a ledger holds an exclusive lock on
//! `<file>.lock` until it drops the ledger, so commands, the server and agents sharing one
//! file run one after the other. The lock is a separate file because the ledger file itself
//! is replaced on every save.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// The lock file beside a ledger file.
pub fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Takes the lock of the ledger at `path`, waiting for whoever holds it (creating the
/// ledger's directory and lock file if needed). Held until the returned file is dropped.
pub fn acquire(path: &Path) -> io::Result<File> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)?;
    }
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path(path))?;
    lock.lock()?;
    Ok(lock)
}
