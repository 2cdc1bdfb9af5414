//! Compute-unit ceilings of every instruction path on SBF: each measured figure plus 10 %,
//! so that a change that makes an instruction much more expensive fails here. Compute units
//! are deterministic for fixed inputs (the measurements use fixed keys), so these are not
//! timing assertions. Natively the figures are nominal: the tests are ignored, with the
//! reason, unless the suite was built with `SERVICEABILITY_SO` (see `build.rs`).

use serviceability_tests::compute_units::{floor_so, measure_floor, measure_program, PathCost};
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
/// 11,688 → 10,188); nothing in the program changed. On 2026-12-06 (issue 26) GlobalState
/// became a constant address (about 1,500 less in 15 instructions) and the accounts created
/// or required vacant are derived through `sol_sha256` and `sol_curve_validate_point` (the
/// `pda` module: about 320 CU per bump tried instead of 1,500): `reserve_connection` 14,810 →
/// 9,828, `create_user` 22,703 → 14,585, `delete_user` 12,322 → 11,347; a /30 tunnel's second
/// claim is new (`create_user` and `delete_user` on a /30). Then (issue 24) User grew by the
/// session-quality block (28 bytes, read with one copy per field): `create_user` 14,742,
/// `set_user_bgp_status` 7,856, and `report_bgp_sessions` is new.
const MEASURED: &[(&str, u64)] = &[
    ("initialize", 6_298),
    ("set_authority", 2_325),
    ("add_foundation_key", 2_445),
    ("remove_foundation_key", 2_417),
    ("set_reservations_paused", 2_224),
    ("create_device", 6_201),
    ("update_device", 5_008),
    ("close_device", 4_786),
    ("reserve_connection", 9_829),
    ("close_reservation", 7_721),
    ("prune_expired_reservation", 7_069),
    ("create_user", 14_742),
    ("create_user (consuming a reservation)", 15_565),
    ("delete_user", 11_361),
    ("create_user (a /30 tunnel)", 17_578),
    ("delete_user (a /30 tunnel)", 14_035),
    ("set_user_bgp_status", 7_856),
    ("set_user_bgp_status (growing a legacy user)", 9_422),
    ("claim_tunnel_net", 7_950),
    ("set_user_bgp_status × 20 (one transaction)", 157_120),
    ("report_bgp_sessions (1 user)", 4_185),
    ("report_bgp_sessions (19 users, each a change)", 18_351),
    ("report_bgp_sessions (19 users, RTT only)", 10_409),
    ("propose_admin", 5_083),
    ("accept_admin", 5_425),
];

/// The reference floor (`tests/floor`), measured with the program.
const FLOOR_MEASURED: u64 = 5_446;

/// The margin over the measured figure that a change may spend without updating the table.
fn ceiling(measured: u64) -> u64 {
    measured + measured / 10
}

/// The compute units of the measured path `name`.
fn cost_of(measured: &[PathCost], name: &str) -> u64 {
    measured
        .iter()
        .find(|cost| cost.name == name)
        .unwrap_or_else(|| panic!("no measured path {name}"))
        .compute_units
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

/// The targets of the 2026-12-06 review: `reserve_connection` within 2× the Anchor init floor,
/// `create_user` within 3× (both with the sequence's fixed keys).
#[test]
#[cfg_attr(
    not(program_sbf),
    ignore = "compute units are real only on SBF: build and run with SERVICEABILITY_SO"
)]
fn creating_paths_meet_their_targets_over_the_floor() {
    let svm = TestSvm::new();
    assert_sbf(&svm);
    let floor = measure_floor(&floor_so(&svm.runtime).expect("an SBF runtime"));
    let measured = measure_program();
    let cost = |name: &str| cost_of(&measured, name);
    for (name, target) in [("reserve_connection", 2.0), ("create_user", 3.0)] {
        let ratio = cost(name) as f64 / floor as f64;
        println!(
            "{name}: {} CU = {ratio:.2}× the floor ({floor})",
            cost(name)
        );
        assert!(
            ratio <= target,
            "{name} costs {ratio:.2}× the floor, target {target}×"
        );
    }
}

/// Issue 24's target: each report after the first in one `report_bgp_sessions` costs at most
/// 1,500 CU, whether it changes the status (a flap and an event) or only the RTT.
#[test]
#[cfg_attr(
    not(program_sbf),
    ignore = "compute units are real only on SBF: build and run with SERVICEABILITY_SO"
)]
fn each_batched_bgp_report_after_the_first_costs_at_most_1500() {
    assert_sbf(&TestSvm::new());
    let measured = measure_program();
    let cost = |name: &str| cost_of(&measured, name);
    let one = cost("report_bgp_sessions (1 user)");
    for name in [
        "report_bgp_sessions (19 users, each a change)",
        "report_bgp_sessions (19 users, RTT only)",
    ] {
        let per_report = cost(name).saturating_sub(one) / 18;
        println!(
            "{name}: {} CU, {per_report} per report after the first",
            cost(name)
        );
        assert!(per_report <= 1_500, "{name}: {per_report} CU per report");
    }
}
