//! Reading of fields appended to an account type after launch, for accounts written before
//! them: such an account ends early, and each missing field reads as its default.
#![cfg_attr(feature = "idl-build", allow(dead_code))]

use anchor_lang::prelude::borsh::io::{ErrorKind, Read, Result};
use anchor_lang::AnchorDeserialize;

/// Reads a `T`, or `T::default()` when the account data ends exactly before this field.
/// Data that ends part-way through the field is still an error.
pub fn read_or_default<R: Read, T: AnchorDeserialize + Default>(reader: &mut R) -> Result<T> {
    let mut first = [0u8; 1];
    loop {
        match reader.read(&mut first) {
            Ok(0) => return Ok(T::default()),
            Ok(_) => break,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    T::deserialize_reader(&mut first.chain(reader))
}

/// [`read_or_default`] for a field whose Borsh encoding is exactly `size_of::<T>()` bytes
/// (integers, and enums without data such as `BgpStatus`): one copy of those bytes instead of
/// a byte-by-byte chained reader, which matters in instructions that read many users.
pub fn read_fixed_or_default<R: Read, T: AnchorDeserialize + Default>(reader: &mut R) -> Result<T> {
    let len = core::mem::size_of::<T>();
    let mut bytes = [0u8; 16];
    let mut filled = 0;
    while filled < len {
        match reader.read(&mut bytes[filled..len]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    match filled {
        0 => Ok(T::default()),
        _ if filled < len => Err(ErrorKind::UnexpectedEof.into()),
        _ => T::deserialize(&mut &bytes[..len]),
    }
}
