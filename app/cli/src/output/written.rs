//! A write that landed: what it did, its signature, and the state it left.

use std::fmt;

use serde::Serialize;
use solana_signature::Signature;

use super::CommandOutput;

/// A write that landed: `{"signature": …, <fields>}`; as text, the summary, the signature
/// line, and the fields' table when it adds to the summary.
#[derive(Serialize)]
pub struct Written<V> {
    #[serde(serialize_with = "serialize_signature")]
    signature: Signature,
    #[serde(skip)]
    summary: String,
    #[serde(flatten)]
    fields: V,
    #[serde(skip)]
    shows_fields: bool,
}

impl<V> Written<V> {
    /// `summary`, the signature, then the fields' table.
    pub fn new(signature: Signature, summary: impl Into<String>, fields: V) -> Self {
        Written {
            signature,
            summary: summary.into(),
            fields,
            shows_fields: true,
        }
    }

    /// `summary` and the signature, which say it all; the fields are in the JSON only.
    pub fn summary_only(signature: Signature, summary: impl Into<String>, fields: V) -> Self {
        Written {
            shows_fields: false,
            ..Written::new(signature, summary, fields)
        }
    }
}

fn serialize_signature<S: serde::Serializer>(
    signature: &Signature,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(signature)
}

impl<V: fmt::Display> fmt::Display for Written<V> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}\nSignature: {}", self.summary, self.signature)?;
        if self.shows_fields {
            let details = self.fields.to_string();
            if !details.is_empty() {
                write!(formatter, "\n\n{details}")?;
            }
        }
        Ok(())
    }
}

impl<V: Serialize + fmt::Display> CommandOutput for Written<V> {}
