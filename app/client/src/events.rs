//! Events from transaction logs (`Program data: <base64>` lines, as `emit!` writes them).
//!
//! Any program can log a `Program data:` line, including one whose bytes are exactly one of
//! our events: a program invoked beside ours in the same transaction (or by ours, through a
//! CPI) could forge a `ReservationCreated` the reader would trust. So a line counts only
//! when the innermost invocation running at that point is this program's, as the runtime's
//! `Program <id> invoke [n]` / `Program <id> success` (or `failed`) lines frame it; the same
//! rule as Anchor's TypeScript `EventParser`.

use anchor_lang::prelude::Pubkey;
use anchor_lang::{AnchorDeserialize, Discriminator, Event};
use base64::{engine::general_purpose::STANDARD, Engine};

use crate::PROGRAM_ID;

const DATA_PREFIX: &str = "Program data: ";
const PROGRAM_PREFIX: &str = "Program ";

/// Every event of type `E` that this program logged in `logs`, in order.
pub fn decode<E: Event + Discriminator + AnchorDeserialize>(logs: &[String]) -> Vec<E> {
    own_data(logs)
        .filter_map(|encoded| STANDARD.decode(encoded.split(' ').next()?).ok())
        .filter_map(|bytes| {
            let payload = bytes.strip_prefix(E::DISCRIMINATOR)?;
            E::deserialize(&mut &payload[..]).ok()
        })
        .collect()
}

/// The base64 text of each `Program data:` line logged inside an invocation of this
/// program (not inside a program it invoked, nor beside it).
fn own_data(logs: &[String]) -> impl Iterator<Item = &str> {
    let mut frames: Vec<Pubkey> = Vec::new();
    logs.iter().filter_map(move |line| {
        if let Some(data) = line.strip_prefix(DATA_PREFIX) {
            return (frames.last() == Some(&PROGRAM_ID)).then_some(data);
        }
        match Frame::parse(line)? {
            Frame::Invoke(program) => frames.push(program),
            Frame::Exit(program) => {
                if frames.last() == Some(&program) {
                    frames.pop();
                }
            }
        }
        None
    })
}

/// A log line that opens or closes an invocation frame.
enum Frame {
    /// `Program <id> invoke [<depth>]`.
    Invoke(Pubkey),
    /// `Program <id> success`, or `Program <id> failed: <why>`.
    Exit(Pubkey),
}

impl Frame {
    fn parse(line: &str) -> Option<Frame> {
        let (program, rest) = line.strip_prefix(PROGRAM_PREFIX)?.split_once(' ')?;
        let program = program.parse().ok()?;
        if rest.starts_with("invoke [") {
            Some(Frame::Invoke(program))
        } else if rest == "success" || rest.starts_with("failed") {
            Some(Frame::Exit(program))
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|line| line.to_string()).collect()
    }

    #[test]
    fn only_lines_inside_this_programs_own_frames_count() {
        let ours = PROGRAM_ID.to_string();
        let other = Pubkey::new_unique().to_string();
        let logs = lines(&[
            &format!("Program {other} invoke [1]"),
            "Program data: Zm9yZ2Vk",
            &format!("Program {other} success"),
            &format!("Program {ours} invoke [1]"),
            "Program log: Instruction: ReserveConnection",
            &format!("Program {other} invoke [2]"),
            "Program data: aW5uZXI=",
            &format!("Program {other} success"),
            "Program data: b3Vycw==",
            &format!("Program {ours} consumed 9828 of 200000 compute units"),
            &format!("Program {ours} success"),
            "Program data: YWZ0ZXI=",
        ]);
        assert_eq!(own_data(&logs).collect::<Vec<_>>(), ["b3Vycw=="]);
    }

    #[test]
    fn a_failed_invocation_closes_its_frame() {
        let ours = PROGRAM_ID.to_string();
        let other = Pubkey::new_unique().to_string();
        let logs = lines(&[
            &format!("Program {ours} invoke [1]"),
            "Program data: MQ==",
            &format!("Program {ours} failed: custom program error: 0x1770"),
            &format!("Program {other} invoke [1]"),
            "Program data: Mg==",
        ]);
        assert_eq!(own_data(&logs).collect::<Vec<_>>(), ["MQ=="]);
    }
}
