//! The committed program keypair is for local and test clusters only (2026-12-06 review):
//! `Anchor.toml` may name its id under `[programs.localnet]` and nowhere else.

use std::path::Path;

use solana_keypair::Keypair;
use solana_signer::Signer;

/// `(cluster, program id)` of every `serviceability = "<id>"` under `[programs.<cluster>]`.
fn program_ids(anchor_toml: &str) -> Vec<(String, String)> {
    let mut section = String::new();
    let mut ids = Vec::new();
    for line in anchor_toml.lines().map(str::trim) {
        if let Some(name) = line
            .strip_prefix('[')
            .and_then(|rest| rest.strip_suffix(']'))
        {
            section = name.to_string();
        } else if let (Some(cluster), Some((key, value))) =
            (section.strip_prefix("programs."), line.split_once('='))
        {
            if key.trim() == "serviceability" {
                ids.push((
                    cluster.to_string(),
                    value.trim().trim_matches('"').to_string(),
                ));
            }
        }
    }
    ids
}

#[test]
fn the_committed_keypair_is_named_for_localnet_only() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let keypair = std::fs::read_to_string(root.join("keys/serviceability-localnet-keypair.json"))
        .expect("the committed keypair");
    let bytes: Vec<u8> = serde_json::from_str(&keypair).expect("a keypair file");
    let committed = Keypair::try_from(bytes.as_slice())
        .expect("a keypair")
        .pubkey()
        .to_string();
    let anchor_toml = std::fs::read_to_string(root.join("Anchor.toml")).expect("Anchor.toml");
    let ids = program_ids(&anchor_toml);
    assert!(
        ids.contains(&("localnet".to_string(), committed.clone())),
        "localnet deploys the committed key: {ids:?}"
    );
    let public: Vec<_> = ids
        .iter()
        .filter(|(cluster, id)| cluster != "localnet" && *id == committed)
        .collect();
    assert!(
        public.is_empty(),
        "the committed keypair's id {committed} is named for {public:?}: anyone can deploy \
         there first (README, \"Deploying to a public cluster\")"
    );
}

#[test]
fn the_parser_finds_every_clusters_id() {
    let toml = "[programs.localnet]\nserviceability = \"A\"\n\n[programs.devnet]\n\
                serviceability = \"B\"\n[provider]\ncluster = \"localnet\"\n";
    assert_eq!(
        program_ids(toml),
        [
            ("localnet".to_string(), "A".to_string()),
            ("devnet".to_string(), "B".to_string())
        ]
    );
}
