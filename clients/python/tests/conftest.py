"""The CLI the workspace builds, an embedded ledger set up with it, and ``ledger serve`` on it."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from solana.rpc.api import Client
from solana.rpc.commitment import Confirmed
from solders.keypair import Keypair

REPOSITORY = Path(__file__).resolve().parents[3]
CODE = "sdk-py"


def binary() -> Path:
    path = Path(os.environ.get("SERVICEABILITY_BIN", REPOSITORY / "target" / "debug" / "serviceability"))
    if not path.is_file():
        pytest.fail(f"no CLI at {path}: `cargo build -p serviceability-cli` first")
    return path


@dataclass
class Role:
    keypair: Keypair
    path: Path


@dataclass
class Served:
    url: str
    ledger: Path
    roles: dict[str, Role]
    client: Client


def cli(ledger: Path, signer: Role, *args: str) -> dict:
    """Runs the CLI on the embedded ledger, signed by ``signer``; returns its JSON."""
    done = subprocess.run(
        [binary(), "-u", "embedded", "--ledger", ledger, "-k", signer.path, "--output", "json", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, f"serviceability {args}: {done.stderr}"
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    """A ledger with the program initialized and the activated device ``sdk-py`` (set up with
    the CLI, as an operator would), served by ``ledger serve``."""
    directory = tmp_path_factory.mktemp("ledger")
    ledger = directory / "ledger.bin"
    roles = {}
    for name in ["admin", "foundation", "authority", "publisher"]:
        keypair = Keypair()
        path = directory / f"{name}.json"
        path.write_text(json.dumps(list(bytes(keypair))))
        roles[name] = Role(keypair, path)
    cli(ledger, roles["admin"], "init")
    cli(ledger, roles["admin"], "allowlist", "add", str(roles["foundation"].keypair.pubkey()))
    cli(ledger, roles["admin"], "authority", "set", "--reservation", str(roles["authority"].keypair.pubkey()))
    publisher = str(roles["publisher"].keypair.pubkey())
    cli(ledger, roles["foundation"], "device", "create", "--code", CODE, "--public-ip", "185.1.1.30",
        "--max-users", "4", "--metrics-publisher", publisher)
    cli(ledger, roles["foundation"], "device", "update", CODE, "--status", "activated")

    server = subprocess.Popen(
        [binary(), "-u", "embedded", "--ledger", ledger, "--output", "json", "ledger", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = json.loads(server.stdout.readline())["url"]
        # Milliseconds on a local server; a bound well below solana-py's default.
        client = Client(url, commitment=Confirmed, timeout=10)
        yield Served(url, ledger, roles, client)
    finally:
        server.terminate()
        server.wait(timeout=10)
