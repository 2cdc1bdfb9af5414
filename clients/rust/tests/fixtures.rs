//! Every account type decoded from the shared layout fixtures (`tests/fixtures/*.bin`, the
//! same files the TypeScript, Python and program tests read), every User layout included,
//! and compared field by field with its JSON twin.

use std::path::PathBuf;

use serde_json::Value;
use serviceability_sdk::accounts::{
    AdminProposal, Device, GlobalState, Reservation, ADMIN_PROPOSAL_DISCRIMINATOR,
    DEVICE_DISCRIMINATOR, GLOBAL_STATE_DISCRIMINATOR, RESERVATION_DISCRIMINATOR,
    TUNNEL_CLAIM_DISCRIMINATOR, USER_DISCRIMINATOR,
};
use serviceability_sdk::legacy::{decode_tunnel_claim, decode_user};
use solana_address::Address;

const FIXTURES: [&str; 8] = [
    "global_state",
    "device",
    "reservation",
    "user",
    "user_legacy",
    "user_bgp_v1",
    "tunnel_claim",
    "admin_proposal",
];

fn fixture(name: &str) -> (Vec<u8>, Value) {
    let directory = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let data = std::fs::read(directory.join(format!("{name}.bin"))).unwrap();
    let twin = std::fs::read_to_string(directory.join(format!("{name}.json"))).unwrap();
    (data, serde_json::from_str(&twin).unwrap())
}

/// The decoded account as JSON, its discriminator checked and dropped.
fn decoded(account: &str, data: &[u8]) -> Value {
    fn json(value: impl serde::Serialize) -> Value {
        serde_json::to_value(value).unwrap()
    }
    let (mut value, discriminator) = match account {
        "GlobalState" => (
            json(GlobalState::from_bytes(data).unwrap()),
            GLOBAL_STATE_DISCRIMINATOR,
        ),
        "Device" => (
            json(Device::from_bytes(data).unwrap()),
            DEVICE_DISCRIMINATOR,
        ),
        "Reservation" => (
            json(Reservation::from_bytes(data).unwrap()),
            RESERVATION_DISCRIMINATOR,
        ),
        "User" => (json(decode_user(data).unwrap()), USER_DISCRIMINATOR),
        "TunnelClaim" => (
            json(decode_tunnel_claim(data).unwrap()),
            TUNNEL_CLAIM_DISCRIMINATOR,
        ),
        "AdminProposal" => (
            json(AdminProposal::from_bytes(data).unwrap()),
            ADMIN_PROPOSAL_DISCRIMINATOR,
        ),
        other => panic!("no decoder for {other}"),
    };
    assert_eq!(data[..8], discriminator, "{account}'s discriminator");
    assert_eq!(value["discriminator"], json(discriminator));
    let fields = value.as_object_mut().unwrap();
    fields.remove("discriminator");
    // The renderer writes addresses in base58 (`DisplayFromStr`) but not optional ones, which
    // serialize as solana-address's 32 numbers: the one field of an account that is one.
    if let Some(Value::Array(bytes)) = fields.get("reservation_authority") {
        let bytes: Vec<u8> = bytes
            .iter()
            .map(|byte| byte.as_u64().unwrap() as u8)
            .collect();
        let address = Address::try_from(bytes.as_slice()).unwrap();
        fields.insert("reservation_authority".into(), json(address.to_string()));
    }
    value
}

/// The twins write 64-bit integers as strings (JavaScript's numbers cannot hold them): every
/// number as a string on both sides.
fn numbers_as_strings(value: Value) -> Value {
    match value {
        Value::Number(number) => Value::String(number.to_string()),
        Value::Array(items) => Value::Array(items.into_iter().map(numbers_as_strings).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(name, value)| (name, numbers_as_strings(value)))
                .collect(),
        ),
        other => other,
    }
}

#[test]
fn every_fixture_decodes_to_its_json_twin() {
    for name in FIXTURES {
        let (data, twin) = fixture(name);
        let account = twin["account"].as_str().unwrap();
        assert_eq!(
            data.len() as u64,
            twin["data_len"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            numbers_as_strings(decoded(account, &data)),
            numbers_as_strings(twin["fields"].clone()),
            "{name}.bin against {name}.json"
        );
    }
}

#[test]
fn the_older_user_layouts_fail_the_generated_decoder_and_read_through_legacy() {
    use serviceability_sdk::accounts::User;
    use serviceability_sdk::types::BgpStatus;
    for name in ["user_legacy", "user_bgp_v1"] {
        let (data, twin) = fixture(name);
        assert_ne!(twin["layout"], "current", "{name}");
        // The generated decoder reads the current layout only: too few bytes.
        assert!(User::from_bytes(&data).is_err(), "{name}");
        let user = decode_user(&data).unwrap();
        assert_eq!(
            (user.bgp_rtt_ns, user.bgp_flaps, user.bgp_up_secs),
            (0, 0, 0)
        );
        assert_eq!(user.last_bgp_down_at, 0);
        if name == "user_legacy" {
            assert_eq!(user.bgp_status, BgpStatus::Unknown);
        }
    }
}
