//! Compute-unit ceilings of every instruction path on SBF: each measured figure plus 10 %,
//! so that a change that makes an instruction much more expensive fails here. Compute units
//! are deterministic for fixed inputs (the measurements use fixed keys), so these are not
//! timing assertions. Natively the figures are nominal: the tests are ignored, with the
//! reason, unless the suite was built with `SERVICEABILITY_SO` (see `build.rs`).

use serviceability_tests::compute_units::{floor_so, measure_floor, measure_program};
use serviceability_tests::Ledger;

/// Measured on the `cargo xtask sbf` build (upstream LLVM 22, SBPF v3), 2026-12-02.
/// `initialize` went from 6,114 to 8,477 when it started reading the program's ProgramData
/// (a bump search and its deserialization) to check the upgrade authority.
const MEASURED: &[(&str, u64)] = &[
    ("initialize", 8_477),
    ("set_authority", 3_912),
    ("add_foundation_key", 4_023),
    ("remove_foundation_key", 3_997),
    ("set_reservations_paused", 3_805),
    ("create_device", 9_684),
    ("update_device", 6_545),
    ("close_device", 6_414),
    ("reserve_connection", 15_450),
    ("close_reservation", 9_380),
    ("prune_expired_reservation", 7_154),
    ("create_user", 16_392),
    ("create_user (consuming a reservation)", 20_121),
    ("delete_user", 9_857),
    ("set_user_bgp_status", 7_816),
    ("set_user_bgp_status (growing a legacy user)", 9_099),
    ("set_user_bgp_status × 20 (one transaction)", 156_320),
];

/// The reference floor (`tests/floor`), measured with the program.
const FLOOR_MEASURED: u64 = 5_446;

/// The margin over the measured figure that a change may spend without updating the table.
fn ceiling(measured: u64) -> u64 {
    measured + measured / 10
}

fn assert_sbf(ledger: &Ledger) {
    assert!(
        ledger.runtime.reports_compute_units(),
        "built with SERVICEABILITY_SO (cfg program_sbf) but running {}: set it at run time too",
        ledger.runtime
    );
}

#[test]
#[cfg_attr(
    not(program_sbf),
    ignore = "compute units are real only on SBF: build and run with SERVICEABILITY_SO"
)]
fn every_instruction_path_stays_under_its_ceiling() {
    assert_sbf(&Ledger::new());
    let measured = measure_program();
    let table: Vec<String> = measured
        .iter()
        .map(|cost| format!("{:>7}  {}", cost.compute_units, cost.name))
        .collect();
    println!("{}", table.join("\n"));
    let names: Vec<_> = measured.iter().map(|cost| cost.name).collect();
    let expected: Vec<_> = MEASURED.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names, expected,
        "every path has a ceiling, in the same order"
    );
    let over: Vec<String> = measured
        .iter()
        .zip(MEASURED)
        .filter(|(cost, (_, reference))| cost.compute_units > ceiling(*reference))
        .map(|(cost, (_, reference))| {
            format!(
                "{}: {} CU, ceiling {} (measured {reference})",
                cost.name,
                cost.compute_units,
                ceiling(*reference)
            )
        })
        .collect();
    assert!(over.is_empty(), "over the ceiling:\n{}", over.join("\n"));
}

#[test]
#[cfg_attr(
    not(program_sbf),
    ignore = "compute units are real only on SBF: build and run with SERVICEABILITY_SO"
)]
fn the_reference_floor_stays_under_its_ceiling() {
    let ledger = Ledger::new();
    assert_sbf(&ledger);
    let so = floor_so(&ledger.runtime).expect("an SBF runtime");
    let floor = measure_floor(&so);
    println!("{floor} CU: {}", so.display());
    assert!(
        floor <= ceiling(FLOOR_MEASURED),
        "the floor costs {floor} CU, ceiling {}",
        ceiling(FLOOR_MEASURED)
    );
}
