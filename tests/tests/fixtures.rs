//! The committed layout fixtures (`tests/fixtures/`): they decode, with the client library's
//! IDL types, to their JSON twins; they hold what the fixture run created; and they are what
//! a fresh run produces (regenerate with `cargo xtask fixtures`).

use std::path::{Path, PathBuf};

use anchor_lang::prelude::Pubkey;
use serde_json::Value;
use serviceability_tests::fixtures::{build, twin, twin_text, Layout};
use serviceability_tests::GENESIS_UNIX_TIME;

const NAMES: [&str; 5] = [
    "global_state",
    "device",
    "reservation",
    "user",
    "user_legacy",
];

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A committed fixture: its bytes and its JSON twin.
fn committed(name: &str) -> (Vec<u8>, Value) {
    let directory = fixtures_dir();
    let data = std::fs::read(directory.join(format!("{name}.bin"))).expect("fixture .bin");
    let json = std::fs::read_to_string(directory.join(format!("{name}.json"))).expect(".json");
    (data, serde_json::from_str(&json).expect("the twin is JSON"))
}

fn fields(name: &str) -> Value {
    committed(name).1["fields"].clone()
}

#[test]
fn every_binary_decodes_to_its_json_twin() {
    for name in NAMES {
        let (data, expected) = committed(name);
        let layout = match expected["layout"].as_str() {
            Some("current") => Layout::Current,
            Some("legacy") => Layout::Legacy,
            Some("bgp_v1") => Layout::BgpV1,
            other => panic!("{name}: layout {other:?}"),
        };
        let address: Pubkey = expected["address"].as_str().unwrap().parse().unwrap();
        let account = expected["account"].as_str().unwrap();
        let decoded = twin(account, layout, &address, &data)
            .unwrap_or_else(|error| panic!("{name} does not decode: {error}"));
        assert_eq!(decoded, expected, "{name}");
        assert_eq!(expected["data_len"], data.len(), "{name}");
    }
}

#[test]
fn the_fixtures_hold_what_the_run_created() {
    let device = fields("device");
    assert_eq!(device["code"], "fra-1");
    assert_eq!(device["status"], "Activated");
    assert_eq!(
        (
            &device["max_users"],
            &device["users_count"],
            &device["reserved_seats"]
        ),
        (&Value::from(8), &Value::from(2), &Value::from(1))
    );
    let reservation = fields("reservation");
    let reserved_at: i64 = reservation["reserved_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let expires_at: i64 = reservation["expires_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        (reserved_at, expires_at),
        (GENESIS_UNIX_TIME + 60, GENESIS_UNIX_TIME + 3660)
    );
    assert_eq!(reservation["client_ip"], serde_json::json!([100, 64, 0, 2]));

    // Up at +180, Down at +240 (a flap; 60 s Up), Up again at +300 with a new RTT.
    let user = fields("user");
    assert_eq!(user["bgp_status"], "Up");
    let at = |offset: i64| (GENESIS_UNIX_TIME + offset).to_string();
    assert_eq!(user["last_bgp_up_at"], at(300));
    assert_eq!(user["last_bgp_reported_at"], at(300));
    assert_eq!(user["last_bgp_down_at"], at(240));
    assert_eq!(user["bgp_rtt_ns"], "980000");
    assert_eq!(user["bgp_flaps"], 1);
    assert_eq!(user["bgp_up_secs"], "60");
    assert_eq!(committed("user").0.len(), 168);

    // The layout before session quality: 28 bytes shorter, the BGP block as it was.
    let (v1_data, v1) = committed("user_bgp_v1");
    assert_eq!(v1_data.len(), 140);
    assert_eq!(v1["layout"], "bgp_v1");
    assert_eq!(v1["fields"]["bgp_status"], "Up");
    assert_eq!(v1["fields"]["last_bgp_reported_at"], at(300));
    for zero in ["bgp_rtt_ns", "bgp_up_secs", "last_bgp_down_at"] {
        assert_eq!(v1["fields"][zero], "0", "{zero}");
    }
    assert_eq!(v1["fields"]["bgp_flaps"], 0);

    // The legacy layout: 17 bytes shorter, read as Unknown with zero timestamps.
    let (legacy_data, legacy) = committed("user_legacy");
    assert_eq!(legacy_data.len(), 123);
    assert_eq!(legacy["layout"], "legacy");
    assert_eq!(legacy["fields"]["bgp_status"], "Unknown");
    assert_eq!(legacy["fields"]["last_bgp_up_at"], "0");
    assert_eq!(legacy["fields"]["last_bgp_reported_at"], "0");
    assert_eq!(legacy["fields"]["created_at"], user["created_at"]);

    let state = fields("global_state");
    assert_eq!(state["foundation_allowlist"].as_array().unwrap().len(), 1);
    assert_eq!(device["owner"], state["foundation_allowlist"][0]);
    assert_eq!(reservation["payer"], state["reservation_authority"]);
}

#[test]
fn the_committed_fixtures_are_what_a_fresh_run_produces() {
    for fixture in build() {
        let (data, _) = committed(fixture.name);
        let text =
            std::fs::read_to_string(fixtures_dir().join(format!("{}.json", fixture.name))).unwrap();
        assert!(
            data == fixture.data && text == twin_text(&fixture.twin().unwrap()),
            "tests/fixtures/{} is stale: run `cargo xtask fixtures` and commit the result",
            fixture.name
        );
    }
}
