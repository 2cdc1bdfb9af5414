//! `keygen`: a new keypair for a newcomer who has no Solana CLI to run `solana-keygen new`.

use std::fs::{self, OpenOptions};
use std::io::ErrorKind;
#[cfg(unix)]
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use solana_keypair::{write_keypair, Keypair};
use solana_signer::Signer;

use crate::config::default_keypair_path;
use crate::error::{CliError, CliResult};
use crate::output::{KeypairView, Output};

/// Writes a new keypair to `outfile` (default: the Solana CLI's default keypair path) in the
/// Solana CLI's format (a JSON array of the 64 secret and public key bytes), readable by its
/// owner only; an existing file is replaced only with `force`.
pub fn run(outfile: Option<&Path>, force: bool) -> CliResult<Output> {
    let path = outfile.map_or_else(default_keypair_path, Path::to_path_buf);
    let io_error = |error: std::io::Error| {
        CliError::input(format!("cannot write {}: {error}", path.display()))
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(io_error)?;
    }
    if force {
        match fs::remove_file(&path) {
            Err(error) if error.kind() != ErrorKind::NotFound => return Err(io_error(error)),
            _ => {}
        }
    }
    let mut options = OpenOptions::new();
    // `create_new`: an existing keypair is never replaced by accident, even by a race.
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options.open(&path).map_err(|error| {
        if error.kind() == ErrorKind::AlreadyExists {
            CliError::input(format!(
                "{} already exists; pass --force to replace it (its key is lost)",
                path.display()
            ))
        } else {
            io_error(error)
        }
    })?;
    let keypair = Keypair::new();
    write_keypair(&keypair, &mut file)
        .map_err(|error| CliError::input(format!("cannot write {}: {error}", path.display())))?;
    file.sync_all().map_err(io_error)?;
    Ok(KeypairView {
        pubkey: keypair.pubkey().to_string(),
        path: path.display().to_string(),
    }
    .into())
}
