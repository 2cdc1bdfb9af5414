//! Reservations: reserve, close, capacity, duplicates, pause, activation, expiry.

use serviceability_client::events::decode;
use serviceability_client::serviceability::events::ReservationCreated;
use serviceability_client::pda;
use serviceability_tests::*;

#[test]
fn reserve_creates_the_account_counts_the_seat_and_emits_an_event() {
    let mut ledger = Ledger::new();
    let device = ledger.activated_device("ams-1", 4);
    let authority = ledger.reservation_authority();
    let ip = client_ip(7);

    let meta = ledger.reserve(&authority, &device.address, ip, Some(3600)).expect("reserved");

    let reservation = ledger.reservation(&device.address, ip).expect("reservation exists");
    assert_eq!(reservation.device, device.address);
    assert_eq!(reservation.client_ip, ip.octets());
    assert_eq!(reservation.payer, authority.pubkey());
    assert_eq!(reservation.reserved_at, ledger.now());
    assert_eq!(reservation.expires_at, ledger.now() + 3600);
    assert_eq!(ledger.device(&device.address).reserved_seats, 1);

    let events: Vec<ReservationCreated> = decode(&meta.logs);
    assert_eq!(events.len(), 1, "logs: {:#?}", meta.logs);
    assert_eq!(events[0].reservation, pda::reservation(&device.address, ip));
    assert_eq!(events[0].reserved_seats, 1);
    assert_eq!(events[0].expires_at, reservation.expires_at);
}
