// Shared by the tests: the IDL, the layout fixtures, decoded accounts turned into the
// fixtures' JSON-twin representation, keypair files, the CLI, and the cluster under test:
// `ledger serve` on a fresh ledger, or the cluster the environment names (the validator suite
// runs these tests against agave's solana-test-validator).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { address, createSolanaRpc, devnet, isOption, lamports, unwrapOption, type Address, type Signature } from '@solana/kit';
import { BorshAccountsCoder, type Idl } from '@coral-xyz/anchor';
import { BgpStatus, DeviceStatus, UserStatus } from '../generated/index.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
export const repository = join(here, '..', '..', '..');
export const fixturesDir = join(repository, 'tests', 'fixtures');
export const idl: Idl = JSON.parse(readFileSync(join(repository, 'idl', 'serviceability.json'), 'utf8'));

/** GlobalState's address, as the IDL gives it (a constant of the program: it is checked as an
 * address, not re-derived, so the IDL carries the address rather than PDA seeds). */
export const GLOBAL_STATE_ADDRESS: Address = address(
    (idl.constants ?? []).find((constant) => constant.name === 'GLOBAL_STATE_ADDRESS')!.value,
);
export const binary = process.env.SERVICEABILITY_BIN ?? join(repository, 'target', 'debug', 'serviceability');

/** Current and legacy (before the 17-byte BGP block) User account lengths. */
export const USER_ACCOUNT_LEN = 168;
export const USER_BGP_V1_ACCOUNT_LEN = 140;
export const USER_LEGACY_ACCOUNT_LEN = 123;

/**
 * User data in any of its layouts, as the current layout: an older account (123 bytes, before
 * the BGP block; 140, before session quality) is zero-padded, which reads the missing fields as
 * `Unknown` (variant 0) and zeros, as the program reads them. Both decoders go through this
 * one function.
 */
export function currentUserLayout(data: Uint8Array): Uint8Array {
    if (data.length !== USER_LEGACY_ACCOUNT_LEN && data.length !== USER_BGP_V1_ACCOUNT_LEN) return data;
    const padded = new Uint8Array(USER_ACCOUNT_LEN);
    padded.set(data);
    return padded;
}

/** A fixture: its bytes and JSON twin. */
export function fixture(name: string): { data: Uint8Array; twin: Twin } {
    return {
        data: new Uint8Array(readFileSync(join(fixturesDir, `${name}.bin`))),
        twin: JSON.parse(readFileSync(join(fixturesDir, `${name}.json`), 'utf8')),
    };
}

export type Twin = {
    account: string;
    layout: 'current' | 'legacy';
    address: string;
    data_len: number;
    fields: Record<string, unknown>;
};

/** The IDL's discriminator of an account or event, by name. */
export function discriminator(kind: 'accounts' | 'events', name: string): number[] {
    const entry = (idl[kind] ?? []).find((item) => item.name === name);
    if (!entry) throw new Error(`no ${kind} entry ${name} in the IDL`);
    return [...entry.discriminator];
}

const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** Fieldless enums of the generated client, by account and (snake_case) field. */
const generatedEnums: Record<string, Record<string, Record<number, string>>> = {
    Device: { status: DeviceStatus },
    User: { status: UserStatus, bgp_status: BgpStatus },
};

/**
 * A value decoded by the Codama-generated client in the JSON twins' representation: field
 * names back to the IDL's snake_case, 64-bit integers (bigint) as decimal strings, byte
 * arrays as number arrays, options as null or the value, enums by variant name.
 */
export function fromGenerated(account: string, decoded: object): Record<string, unknown> {
    const convert = (value: unknown): unknown => {
        if (typeof value === 'bigint') return value.toString();
        if (value instanceof Uint8Array) return [...value];
        if (isOption(value)) return convert(unwrapOption(value));
        if (Array.isArray(value)) return value.map(convert);
        if (value !== null && typeof value === 'object') {
            return Object.fromEntries(Object.entries(value).map(([key, inner]) => [snake(key), convert(inner)]));
        }
        return value;
    };
    const fields = convert(decoded) as Record<string, unknown>;
    delete fields.discriminator;
    for (const [field, names] of Object.entries(generatedEnums[account] ?? {})) {
        fields[field] = names[fields[field] as number];
    }
    return fields;
}

/** `@coral-xyz/anchor`'s coder over the same IDL. */
export const anchorCoder = new BorshAccountsCoder(idl);

/**
 * A value decoded by `@coral-xyz/anchor` in the JSON twins' representation: BN as decimal
 * strings, PublicKey as base58, enums (`{ activated: {} }`) by variant name.
 */
export function fromAnchor(decoded: object): Record<string, unknown> {
    const convert = (value: unknown): unknown => {
        if (value === null || value === undefined) return null;
        if (Array.isArray(value)) return value.map(convert);
        if (typeof value !== 'object') return value;
        const object = value as Record<string, unknown> & { toBase58?: () => string };
        if (typeof object.toBase58 === 'function') return object.toBase58();
        if (object.constructor?.name === 'BN') return String(value);
        const keys = Object.keys(object);
        if (keys.length === 1 && JSON.stringify(object[keys[0]]) === '{}') {
            return keys[0].charAt(0).toUpperCase() + keys[0].slice(1);
        }
        return Object.fromEntries(keys.map((key) => [snake(key), convert(object[key])]));
    };
    return convert(decoded) as Record<string, unknown>;
}

/**
 * The cluster under test when it is not `ledger serve` on a fresh ledger: set by the validator
 * suite (`app/cli/tests/validator/`) to its solana-test-validator, where the program is
 * deployed and initialized, `adminKeypair` being its admin. Tests then use device codes of
 * their own and leave the admin as they found it.
 */
export const cluster = process.env.SERVICEABILITY_TEST_RPC_URL
    ? {
          url: process.env.SERVICEABILITY_TEST_RPC_URL,
          websocketUrl: required('SERVICEABILITY_TEST_WS_URL'),
          adminKeypair: required('SERVICEABILITY_TEST_ADMIN_KEYPAIR'),
      }
    : undefined;

function required(name: string): string {
    const value = process.env[name];
    if (!value) throw new Error(`SERVICEABILITY_TEST_RPC_URL is set, so ${name} must be too`);
    return value;
}

/**
 * The keypair file of `role` at `path`, returning its bytes: a new key, except the admin on a
 * given cluster, which is the program's admin (copied).
 */
export function roleKeypair(path: string, role: string): Uint8Array {
    if (cluster && role === 'admin') {
        const bytes = readFileSync(cluster.adminKeypair, 'utf8');
        writeFileSync(path, bytes);
        return new Uint8Array(JSON.parse(bytes));
    }
    return writeKeypair(path);
}

/**
 * On a given cluster, gives each address 10 SOL from its faucet and waits until that is
 * confirmed (the CLI funds its signers itself only on a local ledger). Nothing to do on a
 * local ledger.
 */
export async function fund(addresses: Address[]): Promise<void> {
    if (!cluster) return;
    const rpc = createSolanaRpc(devnet(cluster.url));
    for (const address of addresses) {
        const signature = await rpc.requestAirdrop(address, lamports(10_000_000_000n)).send();
        await confirmed(rpc, signature);
    }
}

/** Waits (at most 30 s) until `signature` is confirmed; fails with its error if it failed. */
export async function confirmed(
    rpc: ReturnType<typeof createSolanaRpc>,
    signature: Signature,
): Promise<void> {
    for (let attempt = 0; attempt < 300; attempt++) {
        const { value } = await rpc.getSignatureStatuses([signature]).send();
        const status = value[0];
        if (status?.confirmationStatus === 'confirmed' || status?.confirmationStatus === 'finalized') {
            if (status.err) throw new Error(`${signature} failed: ${JSON.stringify(status.err)}`);
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${signature} was not confirmed within 30 s`);
}

/** A Solana CLI keypair file (64 numbers: secret seed, then public key); returns its bytes. */
export function writeKeypair(path: string): Uint8Array {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
    const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
    const bytes = new Uint8Array([...seed, ...pub]);
    writeFileSync(path, JSON.stringify([...bytes]));
    return bytes;
}

/**
 * Runs the CLI on the embedded ledger `ledger` (or on the given cluster), signed by `keypair`;
 * returns its JSON.
 */
export function cli(ledger: string, keypair: string, args: string[]): any {
    const target = cluster ? ['-u', cluster.url] : ['-u', 'embedded', '--ledger', ledger];
    const stdout = execFileSync(
        binary,
        [...target, '-k', keypair, '--output', 'json', ...args],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return JSON.parse(stdout);
}

/**
 * `serviceability ledger serve --port 0` on `ledger`; resolves once it prints its URLs (HTTP,
 * and the websocket PubSub API). On a given cluster, that cluster's URLs and no server.
 */
export async function serve(
    ledger: string,
): Promise<{ url: string; websocketUrl: string; server?: ChildProcess }> {
    if (cluster) return { url: cluster.url, websocketUrl: cluster.websocketUrl };
    const server = spawn(binary, ['--ledger', ledger, 'ledger', 'serve', '--port', '0'], {
        stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: server.stdout! });
    for await (const line of lines) {
        const url = line.match(/http:\/\/[0-9.]+:\d+/)?.[0];
        const websocketUrl = line.match(/ws:\/\/[0-9.]+:\d+/)?.[0];
        if (url && websocketUrl) return { url, websocketUrl, server };
    }
    throw new Error('ledger serve exited before printing its URL');
}
