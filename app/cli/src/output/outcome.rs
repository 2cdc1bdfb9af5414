//! What a command produced, whatever the view: the JSON document, the text and the exit
//! status.

use serde::Serialize;
use serde_json::Value;

/// What a command produced: one JSON document and its human form.
#[derive(Debug)]
pub struct Outcome {
    /// The JSON document printed with `--output json`.
    pub json: Value,
    /// The text printed otherwise.
    pub text: String,
    /// The exit status after printing (non-zero for audit drift).
    pub exit_code: u8,
}

impl Outcome {
    /// An outcome from a serializable view and its text.
    pub fn new(view: &impl Serialize, text: String) -> Self {
        Outcome {
            json: serde_json::to_value(view).expect("views serialize"),
            text,
            exit_code: 0,
        }
    }
}
