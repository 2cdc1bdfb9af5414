//! Events from transaction logs (`Program data: <base64>` lines, as `emit!` writes them).

use anchor_lang::{AnchorDeserialize, Discriminator, Event};
use base64::{engine::general_purpose::STANDARD, Engine};

const DATA_PREFIX: &str = "Program data: ";

/// Every event of type `E` in `logs`, in order.
pub fn decode<E: Event + Discriminator + AnchorDeserialize>(logs: &[String]) -> Vec<E> {
    logs.iter()
        .filter_map(|line| line.strip_prefix(DATA_PREFIX))
        .filter_map(|encoded| STANDARD.decode(encoded.split(' ').next()?).ok())
        .filter_map(|bytes| {
            let payload = bytes.strip_prefix(E::DISCRIMINATOR)?;
            E::deserialize(&mut &payload[..]).ok()
        })
        .collect()
}
