//! Compute units on the validator beside litesvm's: the sequence of
//! `serviceability_tests::compute_units` (every instruction path, fixed keys) run as the same
//! transactions on a validator of its own, started from a genesis block that holds what the
//! harness's litesvm holds (the program at its id with the fixed admin as upgrade authority,
//! and the legacy-layout User of the layout fixtures), and on litesvm running the same `.so`.
//! Each path's `computeUnitsConsumed` must be equal on both.

use std::time::{Duration, Instant};

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use libtest_mimic::{Completion, Failed};
use serviceability_client::transport::Cluster;
use serviceability_client::PROGRAM_ID;
use serviceability_test_validator::{GenesisProgram, TestValidator, ValidatorConfig};
use serviceability_tests::compute_units::{
    genesis_accounts, measure_program_on, Chain, MeasuredKeys, SvmChain,
};
use serviceability_tests::Keypair;
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::rpc_client::RpcClient;
use solana_rpc_client_api::config::{RpcSendTransactionConfig, RpcTransactionConfig};
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction_status_client_types::{
    option_serializer::OptionSerializer, UiTransactionEncoding,
};

use crate::suite::{Suite, AIRDROP_TIMEOUT};

/// Lamports for each key of the sequence (the admin pays the rent of 22 users).
const LAMPORTS: u64 = 100_000_000_000;
/// How long one transaction may take to be confirmed.
const CONFIRMATION_TIMEOUT: Duration = Duration::from_secs(30);

/// The validator as a [`Chain`].
struct ValidatorChain {
    validator: TestValidator,
    client: RpcClient,
}

impl Chain for ValidatorChain {
    fn fund(&mut self, key: &Pubkey) {
        self.validator
            .airdrop(key, LAMPORTS, AIRDROP_TIMEOUT)
            .unwrap_or_else(|why| panic!("{why}"));
    }

    fn execute(
        &mut self,
        payer: &Keypair,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<u64, String> {
        let blockhash = self
            .client
            .get_latest_blockhash()
            .map_err(|error| error.to_string())?;
        let mut all = vec![payer];
        all.extend_from_slice(signers);
        let transaction = Transaction::new_signed_with_payer(
            instructions,
            Some(&payer.pubkey()),
            &all,
            blockhash,
        );
        let signature = self
            .client
            .send_transaction_with_config(
                &transaction,
                // The preflight's default is `finalized`, which on a fresh validator does not
                // know a `confirmed` blockhash yet.
                RpcSendTransactionConfig {
                    preflight_commitment: Some(CommitmentConfig::confirmed().commitment),
                    ..RpcSendTransactionConfig::default()
                },
            )
            .map_err(|error| error.to_string())?;
        self.validator
            .wait_for_confirmation(&signature, CONFIRMATION_TIMEOUT)?;
        let config = RpcTransactionConfig {
            encoding: Some(UiTransactionEncoding::Base64),
            commitment: Some(CommitmentConfig::confirmed()),
            max_supported_transaction_version: Some(0),
        };
        let landed = self
            .client
            .get_transaction_with_config(&signature, config)
            .map_err(|error| error.to_string())?;
        match landed
            .transaction
            .meta
            .map(|meta| meta.compute_units_consumed)
        {
            Some(OptionSerializer::Some(units)) => Ok(units),
            _ => Err(format!("{signature}: no computeUnitsConsumed")),
        }
    }

    fn pass_seconds(&mut self, seconds: i64) {
        let cluster = Cluster::new(&self.validator.rpc_url, CommitmentConfig::confirmed());
        let now = || cluster.clock().expect("the Clock sysvar").unix_timestamp;
        let until = now() + seconds;
        let started = Instant::now();
        while now() < until {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the validator's clock did not advance {seconds} s in 30 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

pub fn equal_on_both(suite: &Suite) -> Result<Completion, Failed> {
    assert!(
        !suite.main_is_running(),
        "a validator of its own must not start beside the main one"
    );
    let config = ValidatorConfig {
        ports: suite.ports(1),
        program: Some(GenesisProgram {
            id: PROGRAM_ID,
            so: suite.program_so.clone(),
            upgrade_authority: MeasuredKeys::new().admin.pubkey(),
        }),
        accounts: genesis_accounts(),
    };
    let validator = TestValidator::start(suite.binaries(), &config)?;
    println!(
        "validator of its own: {} ready after {:.1} s",
        validator.rpc_url,
        validator.ready_after.as_secs_f64()
    );
    let client = validator.client();
    let mut chain = ValidatorChain { validator, client };
    let on_validator = measure_program_on(&mut chain);
    chain.validator.stop();
    let on_litesvm = measure_program_on(&mut SvmChain::new());

    println!("| path | solana-test-validator | litesvm |");
    println!("|---|---:|---:|");
    let mut different = Vec::new();
    for (validator, litesvm) in on_validator.iter().zip(&on_litesvm) {
        assert_eq!(validator.name, litesvm.name, "the same sequence");
        println!(
            "| {} | {} | {} |",
            validator.name, validator.compute_units, litesvm.compute_units
        );
        if validator.compute_units != litesvm.compute_units {
            different.push(validator.name);
        }
    }
    assert_eq!(on_validator.len(), on_litesvm.len());
    assert!(
        different.is_empty(),
        "compute units differ between the validator and litesvm: {different:?}"
    );
    Ok(Completion::Completed)
}
