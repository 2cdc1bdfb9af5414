//! Property test (scenario 11): random operation sequences across several devices.
//!
//! A model predicts from the SPEC's rules whether each operation succeeds; the chain must
//! agree. The rules include the two decided in issue 13: an expired reservation is not
//! consumed by `create_user` (it must be pruned first), and no two users of a device share
//! a tunnel network (users draw from a few tunnels, so they collide often). After every
//! step, checked against an independent scan of all program accounts:
//! `users_count + reserved_seats <= max_users` (a lowered `max_users` may leave a device
//! over capacity, but no step ever takes a seat beyond it), `reserved_seats` equals the
//! number of the device's Reservation accounts, `users_count` the number of its Users and
//! of its TunnelClaims (each naming one of them), no two Users of a device share a tunnel
//! network, and no lamports are created or lost (every transaction's total change is minus
//! its fee).

use std::collections::{BTreeMap, BTreeSet};

use anchor_lang::prelude::Pubkey;
use anchor_lang::Discriminator;
use proptest::prelude::*;
use serviceability_client::accounts::{Reservation, TunnelClaim, User};
use serviceability_client::instructions as ix;
use serviceability_client::legacy::decode_user;
use serviceability_client::pda;
use serviceability_client::types::{DeviceStatus, TunnelNet, UpdateDeviceArgs};
use serviceability_client::PROGRAM_ID;
use serviceability_tests::*;

const DEVICES: usize = 3;
const CLIENTS: u16 = 6;
/// Fewer tunnels than clients, so that users of a device collide on them.
const TUNNELS: u8 = 4;

/// Tunnel number `n`: the /31 `169.254.9.2n`.
fn tunnel(n: u8) -> TunnelNet {
    TunnelNet {
        network: [169, 254, 9, 2 * n],
        prefix_len: 31,
    }
}

#[derive(Clone, Debug)]
enum Op {
    Reserve {
        device: usize,
        client: u16,
        ttl_secs: Option<u32>,
    },
    CloseReservation {
        device: usize,
        client: u16,
    },
    Prune {
        device: usize,
        client: u16,
    },
    CreateUser {
        device: usize,
        client: u16,
        tunnel: u8,
    },
    DeleteUser {
        device: usize,
        client: u16,
    },
    SetMaxUsers {
        device: usize,
        max_users: u16,
    },
    SetActivated {
        device: usize,
        activated: bool,
    },
    SetPaused(bool),
    AdvanceClock(u32),
}

fn op() -> impl Strategy<Value = Op> {
    let device = 0..DEVICES;
    let client = 1..=CLIENTS;
    prop_oneof![
        6 => (device.clone(), client.clone(), prop::option::of(1u32..=120))
            .prop_map(|(device, client, ttl_secs)| Op::Reserve { device, client, ttl_secs }),
        2 => (device.clone(), client.clone()).prop_map(|(device, client)| Op::CloseReservation { device, client }),
        2 => (device.clone(), client.clone()).prop_map(|(device, client)| Op::Prune { device, client }),
        4 => (device.clone(), client.clone(), 0..TUNNELS)
            .prop_map(|(device, client, tunnel)| Op::CreateUser { device, client, tunnel }),
        2 => (device.clone(), client.clone()).prop_map(|(device, client)| Op::DeleteUser { device, client }),
        1 => (device.clone(), 0u16..=5).prop_map(|(device, max_users)| Op::SetMaxUsers { device, max_users }),
        1 => (device, any::<bool>()).prop_map(|(device, activated)| Op::SetActivated { device, activated }),
        1 => any::<bool>().prop_map(Op::SetPaused),
        2 => (1u32..=90).prop_map(Op::AdvanceClock),
    ]
}

/// What the SPEC says a device holds.
struct DeviceModel {
    fixture: DeviceFixture,
    max_users: u16,
    activated: bool,
    /// client → expires_at (0 = never)
    reservations: BTreeMap<u16, i64>,
    /// client → tunnel number
    users: BTreeMap<u16, u8>,
}

impl DeviceModel {
    fn used(&self) -> usize {
        self.reservations.len() + self.users.len()
    }
    fn has_free_seat(&self) -> bool {
        self.used() < usize::from(self.max_users)
    }
}

struct World {
    svm: TestSvm,
    authority: Keypair,
    devices: Vec<DeviceModel>,
    paused: bool,
    /// Every address whose lamports can move.
    tracked: Vec<Pubkey>,
}

impl World {
    fn new(capacities: &[u16]) -> World {
        let mut svm = TestSvm::new();
        let authority = svm.reservation_authority();
        let devices: Vec<DeviceModel> = capacities
            .iter()
            .enumerate()
            .map(|(n, &max_users)| DeviceModel {
                fixture: svm.activated_device(&format!("dev-{n}"), max_users),
                max_users,
                activated: true,
                reservations: BTreeMap::new(),
                users: BTreeMap::new(),
            })
            .collect();
        let mut tracked = vec![svm.admin.pubkey(), authority.pubkey(), pda::global_state()];
        for device in &devices {
            tracked.extend([device.fixture.address, device.fixture.foundation.pubkey()]);
            for client in 1..=CLIENTS {
                tracked.push(pda::user(&device.fixture.address, client_ip(client)));
                tracked.push(pda::reservation(&device.fixture.address, client_ip(client)));
            }
            for n in 0..TUNNELS {
                tracked.push(pda::tunnel_claim(&device.fixture.address, &tunnel(n)));
            }
        }
        World {
            svm,
            authority,
            devices,
            paused: false,
            tracked,
        }
    }

    fn total_lamports(&self) -> u64 {
        self.tracked
            .iter()
            .map(|address| self.svm.lamports(address))
            .sum()
    }

    /// Whether the SPEC lets `op` succeed in the current state.
    fn predict(&self, op: &Op) -> bool {
        let now = self.svm.now();
        match *op {
            Op::Reserve { device, client, .. } => {
                let d = &self.devices[device];
                !self.paused
                    && d.activated
                    && d.has_free_seat()
                    && !d.reservations.contains_key(&client)
                    && !d.users.contains_key(&client)
            }
            Op::CloseReservation { device, client } => {
                self.devices[device].reservations.contains_key(&client)
            }
            Op::Prune { device, client } => self.devices[device]
                .reservations
                .get(&client)
                .is_some_and(|&expires_at| expires_at != 0 && now >= expires_at),
            Op::CreateUser {
                device,
                client,
                tunnel,
            } => {
                let d = &self.devices[device];
                let seat = match d.reservations.get(&client) {
                    // An expired reservation is refused even though it still holds a seat.
                    Some(&expires_at) => expires_at == 0 || now < expires_at,
                    None => d.activated && d.has_free_seat(),
                };
                !d.users.contains_key(&client) && !d.users.values().any(|&t| t == tunnel) && seat
            }
            Op::DeleteUser { device, client } => self.devices[device].users.contains_key(&client),
            Op::SetMaxUsers { .. }
            | Op::SetActivated { .. }
            | Op::SetPaused(_)
            | Op::AdvanceClock(_) => true,
        }
    }

    /// Sends `op`; returns whether it succeeded and the fee it cost.
    fn apply(&mut self, op: &Op) -> (bool, u64) {
        let admin = self.svm.admin.pubkey();
        let authority = self.authority.insecure_clone();
        let result = match *op {
            Op::Reserve {
                device,
                client,
                ttl_secs,
            } => {
                let address = self.devices[device].fixture.address;
                self.svm
                    .reserve(&authority, &address, client_ip(client), ttl_secs)
            }
            Op::CloseReservation { device, client } => {
                let address = self.devices[device].fixture.address;
                let close = ix::close_reservation(
                    authority.pubkey(),
                    address,
                    client_ip(client),
                    authority.pubkey(),
                );
                self.svm.send(&[close], &[&authority])
            }
            Op::Prune { device, client } => {
                let address = self.devices[device].fixture.address;
                let prune =
                    ix::prune_expired_reservation(address, client_ip(client), authority.pubkey());
                self.svm.send(&[prune], &[])
            }
            Op::CreateUser {
                device,
                client,
                tunnel: n,
            } => {
                let address = self.devices[device].fixture.address;
                self.svm
                    .create_user_with_tunnel(&address, client_ip(client), tunnel(n))
            }
            Op::DeleteUser { device, client } => {
                let model = &self.devices[device];
                let address = model.fixture.address;
                // A user the model does not know is refused whatever its tunnel.
                let n = model.users.get(&client).copied().unwrap_or(0);
                let delete = ix::delete_user(admin, address, client_ip(client), &tunnel(n), admin);
                self.svm.send(&[delete], &[])
            }
            Op::SetMaxUsers { device, max_users } => {
                let update = UpdateDeviceArgs {
                    max_users: Some(max_users),
                    ..update_nothing()
                };
                self.update_device(device, update)
            }
            Op::SetActivated { device, activated } => {
                let status = if activated {
                    DeviceStatus::Activated
                } else {
                    DeviceStatus::Suspended
                };
                self.update_device(
                    device,
                    UpdateDeviceArgs {
                        status: Some(status),
                        ..update_nothing()
                    },
                )
            }
            Op::SetPaused(paused) => self
                .svm
                .send(&[ix::set_reservations_paused(admin, paused)], &[]),
            Op::AdvanceClock(seconds) => {
                self.svm.advance_clock(i64::from(seconds));
                return (true, 0);
            }
        };
        match result {
            Ok(meta) => (true, meta.fee),
            Err(failed) => (false, failed.meta.fee),
        }
    }

    fn update_device(&mut self, device: usize, update: UpdateDeviceArgs) -> TxResult {
        let fixture = &self.devices[device].fixture;
        let foundation = fixture.foundation.insecure_clone();
        let instruction = ix::update_device(foundation.pubkey(), fixture.address, update);
        self.svm.send(&[instruction], &[&foundation])
    }

    /// Updates the model after `op` succeeded.
    fn record(&mut self, op: &Op) {
        let now = self.svm.now();
        match *op {
            Op::Reserve {
                device,
                client,
                ttl_secs,
            } => {
                let expires_at = ttl_secs.map_or(0, |ttl| now + i64::from(ttl));
                self.devices[device].reservations.insert(client, expires_at);
            }
            Op::CloseReservation { device, client } | Op::Prune { device, client } => {
                self.devices[device].reservations.remove(&client);
            }
            Op::CreateUser {
                device,
                client,
                tunnel,
            } => {
                self.devices[device].reservations.remove(&client);
                self.devices[device].users.insert(client, tunnel);
            }
            Op::DeleteUser { device, client } => {
                self.devices[device].users.remove(&client);
            }
            Op::SetMaxUsers { device, max_users } => self.devices[device].max_users = max_users,
            Op::SetActivated { device, activated } => self.devices[device].activated = activated,
            Op::SetPaused(paused) => self.paused = paused,
            Op::AdvanceClock(_) => {}
        }
    }

    /// Reservations, Users and TunnelClaims per device, from a scan of every program
    /// account; fails on a claim that names no User.
    fn scan(&self) -> Result<BTreeMap<Pubkey, Scanned>, TestCaseError> {
        let mut found: BTreeMap<Pubkey, Scanned> = BTreeMap::new();
        let mut user_devices = BTreeMap::new();
        let mut claimed_users = Vec::new();
        for (address, account) in self.svm.litesvm.get_program_accounts(&PROGRAM_ID) {
            let data = account.data.as_slice();
            if data.starts_with(Reservation::DISCRIMINATOR) {
                let reservation: Reservation =
                    anchor_lang::AccountDeserialize::try_deserialize(&mut &data[..]).unwrap();
                found.entry(reservation.device).or_default().reservations += 1;
            } else if data.starts_with(User::DISCRIMINATOR) {
                let user = decode_user(data).unwrap();
                let entry = found.entry(user.device).or_default();
                entry.users += 1;
                entry.tunnel_networks.insert(user.tunnel_net.network);
                user_devices.insert(address, user.device);
            } else if data.starts_with(TunnelClaim::DISCRIMINATOR) {
                let claim: TunnelClaim =
                    anchor_lang::AccountDeserialize::try_deserialize(&mut &data[..]).unwrap();
                claimed_users.push(claim.user);
            }
        }
        for user in claimed_users {
            let device = user_devices.get(&user);
            prop_assert!(device.is_some(), "a TunnelClaim names no User: {}", user);
            found.entry(*device.unwrap()).or_default().claims += 1;
        }
        Ok(found)
    }
}

/// What a scan of every program account finds for one device.
#[derive(Clone, Default)]
struct Scanned {
    reservations: usize,
    users: usize,
    /// TunnelClaims naming one of the device's users.
    claims: usize,
    /// The distinct tunnel networks of the device's users.
    tunnel_networks: BTreeSet<[u8; 4]>,
}

fn run(capacities: Vec<u16>, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let mut world = World::new(&capacities);
    for (step, op) in ops.iter().enumerate() {
        let used_before: Vec<usize> = world.devices.iter().map(DeviceModel::used).collect();
        let expected = world.predict(op);
        let lamports_before = world.total_lamports();
        let (succeeded, fee) = world.apply(op);
        prop_assert_eq!(succeeded, expected, "step {}: {:?}", step, op);
        if succeeded {
            world.record(op);
        }
        prop_assert_eq!(
            world.total_lamports() + fee,
            lamports_before,
            "lamports created or lost at step {}: {:?}",
            step,
            op
        );

        let scanned = world.scan()?;
        for (n, model) in world.devices.iter().enumerate() {
            let device = world.svm.device(&model.fixture.address);
            let used = usize::from(device.users_count) + usize::from(device.reserved_seats);
            prop_assert!(
                used <= usize::from(device.max_users) || used <= used_before[n],
                "step {}: {:?} took a seat beyond capacity on device {}",
                step,
                op,
                n
            );
            let found = scanned
                .get(&model.fixture.address)
                .cloned()
                .unwrap_or_default();
            prop_assert_eq!(
                usize::from(device.reserved_seats),
                found.reservations,
                "reserved_seats vs accounts, device {}",
                n
            );
            prop_assert_eq!(
                usize::from(device.users_count),
                found.users,
                "users_count vs accounts, device {}",
                n
            );
            prop_assert_eq!(found.claims, found.users, "claims vs users, device {}", n);
            prop_assert_eq!(
                found.tunnel_networks.len(),
                found.users,
                "two users share a tunnel network, device {}",
                n
            );
            prop_assert_eq!(
                (found.reservations, found.users),
                (model.reservations.len(), model.users.len()),
                "chain vs model, device {}",
                n
            );
            for client in 1..=CLIENTS {
                let ip = client_ip(client);
                prop_assert_eq!(
                    world.svm.reservation(&model.fixture.address, ip).is_some(),
                    model.reservations.contains_key(&client)
                );
                prop_assert_eq!(
                    world.svm.user(&model.fixture.address, ip).is_some(),
                    model.users.contains_key(&client)
                );
            }
        }
    }
    Ok(())
}

proptest! {
    // proptest's defaults: 256 cases, `PROPTEST_CASES` to change it.
    #[test]
    fn random_operations_keep_every_invariant(
        capacities in prop::collection::vec(0u16..=4, DEVICES),
        ops in prop::collection::vec(op(), 1..60),
    ) {
        run(capacities, ops)?;
    }
}

#[test]
fn without_lowering_capacity_no_device_is_ever_over_capacity() {
    // The strict form of the invariant, on a fixed busy sequence with no `SetMaxUsers`.
    let mut world = World::new(&[2, 1, 3]);
    let mut ops = Vec::new();
    for round in 0..4u16 {
        for device in 0..DEVICES {
            for client in 1..=CLIENTS {
                ops.push(if (client + round) % 2 == 0 {
                    Op::Reserve {
                        device,
                        client,
                        ttl_secs: Some(30),
                    }
                } else {
                    Op::CreateUser {
                        device,
                        client,
                        // Distinct per client: this sequence is about capacity.
                        tunnel: u8::try_from(client).unwrap(),
                    }
                });
            }
        }
        ops.push(Op::AdvanceClock(31));
        for device in 0..DEVICES {
            for client in 1..=CLIENTS {
                ops.push(Op::Prune { device, client });
                if client % 3 == 0 {
                    ops.push(Op::DeleteUser { device, client });
                }
            }
        }
    }
    let mut reached_capacity = [false; DEVICES];
    for op in &ops {
        let expected = world.predict(op);
        let (succeeded, _) = world.apply(op);
        assert_eq!(succeeded, expected, "{op:?}");
        if succeeded {
            world.record(op);
        }
        for (n, model) in world.devices.iter().enumerate() {
            let device = world.svm.device(&model.fixture.address);
            let used = device.users_count + device.reserved_seats;
            assert!(used <= device.max_users, "{op:?}");
            reached_capacity[n] |= used == device.max_users;
        }
    }
    assert_eq!(
        reached_capacity, [true; DEVICES],
        "the sequence filled every device"
    );
}
