//! The file formats, the size limit, the slot clock and blockhash expiry.
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::AnchorSerialize;
use solana_keypair::Keypair;
use solana_packet::PACKET_DATA_SIZE;
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction::Transaction;

use super::clock::{SlotClock, MAX_BLOCKHASH_AGE, SLOT_DURATION_MS};
use super::file::{with_header, LedgerImageV1, LEDGER_FORMAT_VERSION};
use super::*;

#[test]
fn a_format_1_file_opens_with_an_empty_history_and_is_saved_in_the_current_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.ledger");
    let wallet = Pubkey::new_unique();
    let old = LedgerImageV1 {
        program_id: PROGRAM_ID,
        slot: 42,
        unix_timestamp: 1_700_000_000,
        clock_offset: 0,
        accounts: vec![StoredAccount {
            address: wallet,
            lamports: 7_000_000_000,
            owner: system_program::ID,
            executable: false,
            rent_epoch: 0,
            data: Vec::new(),
        }],
    };
    let mut body = Vec::new();
    old.serialize(&mut body).unwrap();
    fs::write(&path, with_header(1, &body)).unwrap();

    let mut ledger = EmbeddedLedger::open(&path, &ProgramRuntime::Native).unwrap();
    assert_eq!(ledger.svm().get_balance(&wallet), Some(7_000_000_000));
    assert_eq!(ledger.slot(), 42);
    assert!(ledger.history.is_empty());
    ledger.save().unwrap();
    drop(ledger);
    let saved = fs::read(&path).unwrap();
    assert_eq!(
        u16::from_le_bytes([saved[8], saved[9]]),
        LEDGER_FORMAT_VERSION
    );
    let reopened = EmbeddedLedger::open(&path, &ProgramRuntime::Native).unwrap();
    assert_eq!(reopened.svm().get_balance(&wallet), Some(7_000_000_000));
}

#[test]
fn a_transaction_larger_than_a_cluster_accepts_is_refused_and_nothing_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l");
    let mut ledger = EmbeddedLedger::open(&path, &ProgramRuntime::Native).unwrap();
    let payer = Keypair::new();
    let oversized = Instruction::new_with_bytes(PROGRAM_ID, &[0; 1200], Vec::new());
    let transaction = Transaction::new_signed_with_payer(
        &[oversized],
        Some(&payer.pubkey()),
        &[&payer],
        ledger.latest_blockhash(),
    );
    let size = bincode::serialized_size(&transaction).unwrap() as usize;
    assert!(size > PACKET_DATA_SIZE);
    match ledger.submit(VersionedTransaction::from(transaction)) {
        Err(LedgerError::TooLarge { bytes }) => assert_eq!(bytes, size),
        other => panic!("expected TooLarge, got {:?}", other.map(|e| e.result)),
    }
    assert!(ledger.history.is_empty());
    drop(ledger);
    assert!(!path.exists(), "nothing was saved");
}

#[test]
fn blockhashes_stay_valid_for_150_slots() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = EmbeddedLedger::open(&dir.path().join("l"), &ProgramRuntime::Native).unwrap();
    let first = ledger.latest_blockhash();
    let mut clock: Clock = ledger.svm().get_sysvar();
    clock.slot += MAX_BLOCKHASH_AGE;
    ledger.svm_mut().set_sysvar(&clock);
    assert!(ledger.is_blockhash_valid(&first));
    assert_ne!(ledger.latest_blockhash(), first);
    clock.slot += 1;
    ledger.svm_mut().set_sysvar(&clock);
    assert!(!ledger.is_blockhash_valid(&first));
}

#[test]
fn the_slot_clock_begins_a_slot_every_400_ms_and_keeps_its_phase_when_anchored() {
    let clock = SlotClock {
        slot: 100,
        began_at_ms: 1_000_000,
    };
    assert_eq!(clock.slot_at(1_000_000), 100);
    assert_eq!(clock.slot_at(1_000_399), 100);
    assert_eq!(clock.slot_at(1_000_400), 101);
    assert_eq!(clock.slot_at(1_060_000), 250, "150 slots in 60 s");
    assert_eq!(clock.slot_at(999_000), 100, "never before its own slot");
    let anchored = clock.anchored_at(250);
    assert_eq!(anchored.began_at_ms, 1_060_000);
    assert_eq!(anchored.slot_at(1_060_399), clock.slot_at(1_060_399));
    assert_eq!(
        clock.warped(10).slot_at(1_000_000),
        125,
        "2.5 slots a second"
    );
    assert_eq!(SLOT_DURATION_MS, 400);
}

#[test]
fn a_saved_ledger_keeps_its_slot_clock_and_a_format_2_file_resumes_its_slot_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l");
    let mut ledger = EmbeddedLedger::open(&path, &ProgramRuntime::Native).unwrap();
    let saved_at = ledger.slot();
    ledger.save().unwrap();
    drop(ledger);
    // Reopened later, the slots that passed meanwhile have passed in the file too.
    std::thread::sleep(std::time::Duration::from_millis(
        2 * SLOT_DURATION_MS as u64 + 50,
    ));
    let reopened = EmbeddedLedger::open(&path, &ProgramRuntime::Native).unwrap();
    assert!(
        reopened.slot() >= saved_at + 2,
        "{saved_at} → {}",
        reopened.slot()
    );
    drop(reopened);

    let old = super::file::LedgerImageV2 {
        program_id: PROGRAM_ID,
        slot: 7_000,
        unix_timestamp: 1_700_000_000,
        clock_offset: 0,
        accounts: Vec::new(),
        history: Vec::new(),
    };
    let mut body = Vec::new();
    old.serialize(&mut body).unwrap();
    fs::write(&path, with_header(2, &body)).unwrap();
    let resumed = EmbeddedLedger::open(&path, &ProgramRuntime::Native).unwrap();
    assert!(
        (7_000..7_003).contains(&resumed.slot()),
        "its next slot begins when it is opened: {}",
        resumed.slot()
    );
}

#[test]
fn a_lookup_table_is_created_for_a_recent_slot_and_a_v0_transaction_uses_it() {
    use solana_address_lookup_table_interface::instruction as alt;
    use solana_message::{v0, AddressLookupTableAccount};

    let dir = tempfile::tempdir().unwrap();
    let mut ledger = EmbeddedLedger::open(&dir.path().join("l"), &ProgramRuntime::Native).unwrap();
    let payer = Keypair::new();
    ledger
        .svm_mut()
        .airdrop(&payer.pubkey(), 10_000_000_000)
        .unwrap();
    let wait_a_slot = |ledger: &mut EmbeddedLedger| {
        let slot = ledger.clock().slot;
        while ledger.clock().slot == slot {
            std::thread::sleep(std::time::Duration::from_millis(50));
            ledger.sync_clock();
        }
    };
    wait_a_slot(&mut ledger);
    // The slots the clock went through are in SlotHashes, newest first, as on a validator.
    let slot = ledger.clock().slot;
    let hashes: solana_slot_hashes::SlotHashes = ledger.svm().get_sysvar();
    assert_eq!(hashes.first().map(|(newest, _)| *newest), Some(slot));
    assert!(hashes.get(&(slot - 1)).is_some());

    let send = |ledger: &mut EmbeddedLedger, message: VersionedMessage| {
        let transaction = VersionedTransaction::try_new(message, &[&payer]).unwrap();
        let outcome = ledger.submit(transaction).unwrap();
        assert!(
            outcome.result.is_ok(),
            "{:?}\n{:#?}",
            outcome.result,
            outcome.logs
        );
    };
    let legacy = |ledger: &EmbeddedLedger, instruction: Instruction| {
        VersionedMessage::Legacy(solana_message::Message::new_with_blockhash(
            &[instruction],
            Some(&payer.pubkey()),
            &ledger.latest_blockhash(),
        ))
    };
    let (create, table) = alt::create_lookup_table(payer.pubkey(), payer.pubkey(), slot);
    let message = legacy(&ledger, create);
    send(&mut ledger, message);
    let recipients: Vec<Pubkey> = (0..30).map(|_| Pubkey::new_unique()).collect();
    let extend = alt::extend_lookup_table(
        table,
        payer.pubkey(),
        Some(payer.pubkey()),
        recipients.clone(),
    );
    let message = legacy(&ledger, extend);
    send(&mut ledger, message);
    wait_a_slot(&mut ledger);

    // 30 transfers whose recipients come from the table: 30 keys a legacy message would carry.
    let transfers: Vec<Instruction> = recipients
        .iter()
        .map(|to| system_program_transfer(&payer.pubkey(), to, 1_000_000))
        .collect();
    let message = v0::Message::try_compile(
        &payer.pubkey(),
        &transfers,
        &[AddressLookupTableAccount {
            key: table,
            addresses: recipients.clone(),
        }],
        ledger.latest_blockhash(),
    )
    .unwrap();
    send(&mut ledger, VersionedMessage::V0(message));
    for to in &recipients {
        assert_eq!(ledger.svm().get_balance(to), Some(1_000_000));
    }
}

fn system_program_transfer(from: &Pubkey, to: &Pubkey, lamports: u64) -> Instruction {
    let mut data = 2u32.to_le_bytes().to_vec();
    data.extend_from_slice(&lamports.to_le_bytes());
    Instruction::new_with_bytes(
        system_program::ID,
        &data,
        vec![
            anchor_lang::solana_program::instruction::AccountMeta::new(*from, true),
            anchor_lang::solana_program::instruction::AccountMeta::new(*to, false),
        ],
    )
}
