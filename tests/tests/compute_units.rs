//! Compute-unit ceilings of every instruction path on SBF: each measured figure plus 10 %,
//! so that a change that makes an instruction much more expensive fails here. Compute units
//! are deterministic for fixed inputs (the measurements use fixed keys), so these are not
//! timing assertions. Natively the figures are nominal: the tests are ignored, with the
//! reason, unless the suite was built with `SERVICEABILITY_SO` (see `build.rs`).

use serviceability_tests::compute_units::{floor_so, measure_floor, measure_program};
use serviceability_tests::TestSvm;

/// Measured on the `cargo xtask sbf` build (upstream LLVM 22, SBPF v3), 2026-12-02; the same
/// on agave's test validator 4.2.2 (the validator suite compares every path).
/// `initialize` went from 6,114 to 8,477 when it started reading the program's ProgramData
/// (a bump search and its deserialization) to check the upgrade authority, then to 7,831
/// when the program stopped using Anchor's `init` (as did `create_device`, 9,684 → 9,024,
/// and `reserve_connection`, 15,450 → 14,810). `create_user` went from 16,392 to 22,703
/// (20,121 → 23,385 consuming a reservation) and `delete_user` from 9,857 to 12,322 with the
/// tunnel claim each creates or closes. On 2026-12-06 the paths became one sequence on one
/// ledger (so that a validator can run it too): the admin hand-over moved last (GlobalState
/// holds a foundation key by then: `propose_admin` 7,736 → 7,815, `accept_admin` 6,695 → 6,812) and the
/// legacy user is the layout fixtures' (another device and tunnel network: `claim_tunnel_net`
/// 11,688 → 10,188); nothing in the program changed.
const MEASURED: &[(&str, u64)] = &[
    ("initialize", 7_831),
    ("set_authority", 3_878),
    ("add_foundation_key", 3_996),
    ("remove_foundation_key", 3_973),
    ("set_reservations_paused", 3_778),
    ("create_device", 9_024),
    ("update_device", 6_471),
    ("close_device", 6_340),
    ("reserve_connection", 14_810),
    ("close_reservation", 9_260),
    ("prune_expired_reservation", 7_069),
    ("create_user", 22_703),
    ("create_user (consuming a reservation)", 23_385),
    ("delete_user", 12_322),
    ("set_user_bgp_status", 7_706),
    ("set_user_bgp_status (growing a legacy user)", 9_063),
    ("claim_tunnel_net", 10_188),
    ("set_user_bgp_status × 20 (one transaction)", 154_120),
    ("propose_admin", 7_815),
    ("accept_admin", 6_812),
];

/// The reference floor (`tests/floor`), measured with the program.
const FLOOR_MEASURED: u64 = 5_446;

/// The margin over the measured figure that a change may spend without updating the table.
fn ceiling(measured: u64) -> u64 {
    measured + measured / 10
}

fn assert_sbf(svm: &TestSvm) {
    assert!(
        svm.runtime.reports_compute_units(),
        "built with SERVICEABILITY_SO (cfg program_sbf) but running {}: set it at run time too",
        svm.runtime
    );
}

#[test]
#[cfg_attr(
    not(program_sbf),
    ignore = "compute units are real only on SBF: build and run with SERVICEABILITY_SO"
)]
fn every_instruction_path_stays_under_its_ceiling() {
    assert_sbf(&TestSvm::new());
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
    let svm = TestSvm::new();
    assert_sbf(&svm);
    let so = floor_so(&svm.runtime).expect("an SBF runtime");
    let floor = measure_floor(&so);
    println!("{floor} CU: {}", so.display());
    assert!(
        floor <= ceiling(FLOOR_MEASURED),
        "the floor costs {floor} CU, ceiling {}",
        ceiling(FLOOR_MEASURED)
    );
}
