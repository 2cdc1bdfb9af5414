//! What a command produced, whatever the view: the JSON document, the text and the exit
//! status.

use serde::Serialize;
use serde_json::{json, Map, Value};
use solana_signature::Signature;

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

/// The outcome of a write: `{"signature": …, <fields>}` and `summary`, the signature line
/// and `details`.
pub fn written(signature: &Signature, summary: &str, fields: Value, details: &str) -> Outcome {
    let mut json_fields = Map::new();
    json_fields.insert("signature".into(), json!(signature.to_string()));
    if let Value::Object(fields) = fields {
        json_fields.extend(fields);
    }
    let mut text = format!("{summary}\nSignature: {signature}");
    if !details.is_empty() {
        text.push_str("\n\n");
        text.push_str(details);
    }
    Outcome {
        json: Value::Object(json_fields),
        text,
        exit_code: 0,
    }
}
