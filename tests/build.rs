//! Sets `cfg(program_sbf)` when `SERVICEABILITY_SO` names a compiled program at build time:
//! tests whose figures only mean something on SBF (compute units) are ignored, with the
//! reason, in a native run, and counted as such rather than passed.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(program_sbf)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=SERVICEABILITY_SO");
    if std::env::var_os("SERVICEABILITY_SO").is_some_and(|value| !value.is_empty()) {
        println!("cargo::rustc-cfg=program_sbf");
    }
}
