//! The shared layout fixtures (`tests/fixtures/*.bin`, which every client's tests read) decoded
//! with the account types `declare_program!` generates, checked against their JSON twins.
//! Anchor's `try_deserialize` reads the current layouts; an older User is too short for it
//! and is zero-extended first, as the program reads it.

use std::path::PathBuf;

use anchor_lang::prelude::Pubkey;
use anchor_lang::AccountDeserialize;
use serde_json::Value;
use serviceability_anchor_client_example::serviceability::accounts::{
    AdminProposal, Device, GlobalState, Reservation, TunnelClaim, User,
};
use serviceability_anchor_client_example::serviceability::constants::USER_ACCOUNT_LEN;

fn fixture(name: &str) -> (Vec<u8>, Value) {
    let directory = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let data = std::fs::read(directory.join(format!("{name}.bin"))).unwrap();
    let twin = std::fs::read_to_string(directory.join(format!("{name}.json"))).unwrap();
    (data, serde_json::from_str(&twin).unwrap())
}

fn key(value: &Value) -> Pubkey {
    value.as_str().unwrap().parse().unwrap()
}

fn number(value: &Value) -> i128 {
    match value {
        Value::String(text) => text.parse().unwrap(),
        other => other.as_i64().unwrap().into(),
    }
}

fn decode<T: AccountDeserialize>(data: &[u8]) -> T {
    T::try_deserialize(&mut &data[..]).unwrap()
}

#[test]
fn every_account_type_decodes_to_its_twin() {
    let (data, twin) = fixture("global_state");
    let state: GlobalState = decode(&data);
    let fields = &twin["fields"];
    assert_eq!(state.admin, key(&fields["admin"]));
    assert_eq!(
        state.activator_authority,
        key(&fields["activator_authority"])
    );
    assert_eq!(
        state.reservation_authority,
        Some(key(&fields["reservation_authority"]))
    );
    let allowlist: Vec<Pubkey> = fields["foundation_allowlist"]
        .as_array()
        .unwrap()
        .iter()
        .map(key)
        .collect();
    assert_eq!(state.foundation_allowlist, allowlist);

    let (data, twin) = fixture("device");
    let device: Device = decode(&data);
    let fields = &twin["fields"];
    assert_eq!(device.code, fields["code"].as_str().unwrap());
    assert_eq!(i128::from(device.max_users), number(&fields["max_users"]));
    assert_eq!(
        i128::from(device.users_count),
        number(&fields["users_count"])
    );
    assert_eq!(
        i128::from(device.reserved_seats),
        number(&fields["reserved_seats"])
    );
    assert_eq!(device.metrics_publisher, key(&fields["metrics_publisher"]));

    let (data, twin) = fixture("reservation");
    let reservation: Reservation = decode(&data);
    let fields = &twin["fields"];
    assert_eq!(reservation.device, key(&fields["device"]));
    assert_eq!(reservation.payer, key(&fields["payer"]));
    assert_eq!(
        i128::from(reservation.expires_at),
        number(&fields["expires_at"])
    );

    let (data, twin) = fixture("tunnel_claim");
    let claim: TunnelClaim = decode(&data);
    assert_eq!(claim.user, key(&twin["fields"]["user"]));

    let (data, twin) = fixture("admin_proposal");
    let proposal: AdminProposal = decode(&data);
    assert_eq!(
        proposal.proposed_admin,
        key(&twin["fields"]["proposed_admin"])
    );
}

#[test]
fn every_user_layout_decodes_to_its_twin() {
    for name in ["user", "user_bgp_v1", "user_legacy"] {
        let (mut data, twin) = fixture(name);
        let fields = &twin["fields"];
        if twin["layout"] != "current" {
            assert!(
                User::try_deserialize(&mut &data[..]).is_err(),
                "{name} is too short"
            );
            data.resize(usize::from(USER_ACCOUNT_LEN), 0);
        }
        let user: User = decode(&data);
        assert_eq!(user.device, key(&fields["device"]), "{name}");
        assert_eq!(user.owner, key(&fields["owner"]), "{name}");
        assert_eq!(
            i128::from(user.bgp_rtt_ns),
            number(&fields["bgp_rtt_ns"]),
            "{name}"
        );
        assert_eq!(
            i128::from(user.bgp_flaps),
            number(&fields["bgp_flaps"]),
            "{name}"
        );
        assert_eq!(
            i128::from(user.bgp_up_secs),
            number(&fields["bgp_up_secs"]),
            "{name}"
        );
        assert_eq!(
            i128::from(user.last_bgp_up_at),
            number(&fields["last_bgp_up_at"]),
            "{name}"
        );
        assert_eq!(
            i128::from(user.last_bgp_down_at),
            number(&fields["last_bgp_down_at"]),
            "{name}"
        );
    }
}
