//! The program's error table, read from the committed IDL.

use std::collections::BTreeMap;
use std::sync::LazyLock;

/// One error of the program: its code, name and message, as in the IDL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramErrorInfo {
    /// The custom error code (6000 and up).
    pub code: u32,
    /// The variant name, e.g. `MaxUsersExceeded`.
    pub name: String,
    /// The message, e.g. `Device is full: …`.
    pub message: String,
}

static ERRORS: LazyLock<BTreeMap<u32, ProgramErrorInfo>> = LazyLock::new(|| {
    let idl: anchor_lang_idl_spec::Idl =
        serde_json::from_str(crate::IDL_JSON).expect("the committed IDL parses");
    idl.errors
        .into_iter()
        .map(|error| {
            let info = ProgramErrorInfo {
                code: error.code,
                message: error.msg.unwrap_or_else(|| error.name.clone()),
                name: error.name,
            };
            (info.code, info)
        })
        .collect()
});

/// The program error with this custom code, if it is one of ours.
pub fn program_error(code: u32) -> Option<&'static ProgramErrorInfo> {
    ERRORS.get(&code)
}

/// Every program error, by code.
pub fn all_program_errors() -> impl Iterator<Item = &'static ProgramErrorInfo> {
    ERRORS.values()
}
