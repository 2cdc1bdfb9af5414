// The clients people use to send and watch transactions, unmodified, against `ledger serve`'s
// websocket PubSub API (or a given cluster's): @solana/kit's sendAndConfirmTransactionFactory
// and accountNotifications, @solana/web3.js's onLogs and confirmTransaction with the
// transaction sent by the CLI in another process, and @coral-xyz/anchor's
// Program.methods…rpc() and addEventListener.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import {
    appendTransactionMessageInstruction,
    assertIsTransactionWithBlockhashLifetime,
    createKeyPairSignerFromBytes,
    createSolanaRpc,
    createSolanaRpcSubscriptions,
    createTransactionMessage,
    devnet,
    getBase64Encoder,
    getProgramDerivedAddress,
    getSignatureFromTransaction,
    pipe,
    sendAndConfirmTransactionFactory,
    setTransactionMessageFeePayerSigner,
    setTransactionMessageLifetimeUsingBlockhash,
    signTransactionMessageWithSigners,
    type Address,
    type KeyPairSigner,
} from '@solana/kit';
import { Connection, Keypair, PublicKey, type Logs } from '@solana/web3.js';
import { AnchorProvider, Program, Wallet } from '@coral-xyz/anchor';
import {
    SERVICEABILITY_PROGRAM_ADDRESS,
    fetchDevice,
    getDeviceDecoder,
    getReservationCreatedDecoder,
    getReserveConnectionInstructionAsync,
} from '../generated/index.ts';
import { cli, cluster, discriminator, fund, idl, roleKeypair, serve } from './support.ts';

/** A code of its own: on a shared cluster other tests have devices too. */
const CODE = 'ts-ws';
/** How long a notification may take before the test fails. */
const WAIT_MS = 10_000;

let directory: string;
let ledger: string;
let server: ChildProcess | undefined;
let url: string;
let websocketUrl: string;
const keys: Record<string, { path: string; signer: KeyPairSigner; bytes: Uint8Array }> = {};
let device: Address;

before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'serviceability-ts-ws-'));
    for (const role of ['admin', 'foundation', 'authority']) {
        const path = join(directory, `${role}.json`);
        const bytes = roleKeypair(path, role);
        keys[role] = { path, signer: await createKeyPairSignerFromBytes(bytes), bytes };
    }
    ledger = join(directory, 'ledger.bin');
    const as = (role: string, ...args: string[]) => cli(ledger, keys[role].path, args);
    if (!cluster) as('admin', 'init');
    await fund(['foundation', 'authority'].map((role) => keys[role].signer.address));
    as('admin', 'allowlist', 'add', keys.foundation.signer.address);
    as('admin', 'authority', 'set', '--reservation', keys.authority.signer.address);
    as('foundation', 'device', 'create', '--code', CODE, '--public-ip', '185.1.1.10', '--max-users', '8',
        '--metrics-publisher', keys.admin.signer.address);
    as('foundation', 'device', 'update', CODE, '--status', 'activated');
    // The authority's first reservation funds its key (the CLI tops it up on a local ledger).
    as('authority', 'reservation', 'reserve', '--device', CODE, '--client-ip', '100.64.0.1');
    ({ url, websocketUrl, server } = await serve(ledger));
    [device] = await getProgramDerivedAddress({ programAddress: SERVICEABILITY_PROGRAM_ADDRESS, seeds: ['device', CODE] });
});

after(async () => {
    // web3.js's confirmTransaction checks the block height once a second and makes its last
    // check after the confirmation has resolved: the server answers it before it stops.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    server?.kill('SIGTERM');
    rmSync(directory, { recursive: true, force: true });
});

/** Resolves once `connection`'s websocket has an established subscription (web3.js offers no
 * promise for that; its own state says when the server has answered). */
function subscribed(connection: Connection): Promise<void> {
    return within('an established subscription', (async () => {
        const established = () => Object.values((connection as any)._subscriptionsByHash)
            .some((subscription: any) => subscription.state === 'subscribed');
        while (!established()) await new Promise((resolve) => setTimeout(resolve, 20));
    })());
}

/** `promise`, or a failure naming `what` after WAIT_MS. */
function within<T>(what: string, promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no ${what} within ${WAIT_MS} ms`)), WAIT_MS);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

test("kit: sendAndConfirmTransactionFactory confirms a generated reserve_connection; accountNotifications sees the seat", async () => {
    const rpc = createSolanaRpc(devnet(url));
    const rpcSubscriptions = createSolanaRpcSubscriptions(devnet(websocketUrl));
    const before = (await fetchDevice(rpc, device)).data.reservedSeats;

    const abort = new AbortController();
    const notifications = await rpcSubscriptions
        .accountNotifications(device, { commitment: 'confirmed', encoding: 'base64' })
        .subscribe({ abortSignal: abort.signal });
    const seen = (async () => {
        for await (const notification of notifications) {
            const [data] = notification.value.data;
            return getDeviceDecoder().decode(getBase64Encoder().encode(data));
        }
        throw new Error('the subscription ended');
    })();

    const authority = keys.authority.signer;
    const reserve = await getReserveConnectionInstructionAsync({
        authority,
        device,
        clientIp: new Uint8Array([100, 64, 0, 2]),
        ttlSecs: null,
    });
    const { value: blockhash } = await rpc.getLatestBlockhash().send();
    const transaction = await signTransactionMessageWithSigners(
        pipe(
            createTransactionMessage({ version: 0 }),
            (m) => setTransactionMessageFeePayerSigner(authority, m),
            (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
            (m) => appendTransactionMessageInstruction(reserve, m),
        ),
    );
    assertIsTransactionWithBlockhashLifetime(transaction);
    const sendAndConfirm = sendAndConfirmTransactionFactory({ rpc, rpcSubscriptions });
    await within('confirmation', sendAndConfirm(transaction, { commitment: 'confirmed' }));
    const { value: statuses } = await rpc.getSignatureStatuses([getSignatureFromTransaction(transaction)]).send();
    assert.equal(statuses[0]?.err, null, 'confirmed and succeeded');

    const notified = await within('accountNotification', seen);
    assert.equal(notified.reservedSeats, before + 1);
    assert.equal(notified.code, CODE);
    abort.abort();
});

test('web3.js: onLogs receives the ReservationCreated logs of a CLI transaction; confirmTransaction resolves', async () => {
    const connection = new Connection(url, { wsEndpoint: websocketUrl, commitment: 'confirmed' });
    const programId = new PublicKey(SERVICEABILITY_PROGRAM_ADDRESS);
    const received: Logs[] = [];
    let arrived: () => void;
    const first = new Promise<void>((resolve) => (arrived = resolve));
    const listener = connection.onLogs(programId, (logs) => {
        received.push(logs);
        arrived();
    }, 'confirmed');
    await subscribed(connection);

    const reserved = cli(ledger, keys.authority.path, ['reservation', 'reserve', '--device', CODE, '--client-ip', '100.64.0.3']);
    const signature: string = reserved.signature;
    await within('logsNotification', first);
    assert.equal(received.length, 1);
    assert.equal(received[0].signature, signature);
    assert.equal(received[0].err, null);
    assert.ok(received[0].logs.includes('Program log: Instruction: ReserveConnection'), received[0].logs.join('\n'));
    const line = received[0].logs.find((log) => log.startsWith('Program data: '));
    assert.ok(line, 'the event is in the logs');
    const bytes = new Uint8Array(Buffer.from(line.slice('Program data: '.length), 'base64'));
    assert.deepEqual([...bytes.subarray(0, 8)], discriminator('events', 'ReservationCreated'));
    const event = getReservationCreatedDecoder().decode(bytes.subarray(8));
    assert.deepEqual([...event.clientIp], [100, 64, 0, 3]);
    assert.equal(event.device, device);

    const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash();
    const confirmed = await within(
        'confirmTransaction',
        connection.confirmTransaction({ signature, blockhash, lastValidBlockHeight }, 'confirmed'),
    );
    assert.equal(confirmed.value.err, null);

    await connection.removeOnLogsListener(listener);
    // web3.js has no public close: its socket would go on reconnecting once the server stops.
    (connection as any)._rpcWebSocket.close();
});

test("anchor: Program.methods.reserveConnection().rpc() lands; addEventListener receives its ReservationCreated", async () => {
    const connection = new Connection(url, { wsEndpoint: websocketUrl, commitment: 'confirmed' });
    const wallet = new Wallet(Keypair.fromSecretKey(keys.authority.bytes));
    const provider = new AnchorProvider(connection, wallet, { commitment: 'confirmed', preflightCommitment: 'confirmed' });
    const program = new Program(idl, provider);
    let arrived: (received: { event: any; signature: string }) => void;
    const received = new Promise<{ event: any; signature: string }>((resolve) => (arrived = resolve));
    const listener = program.addEventListener('reservationCreated', (event, _slot, signature) => arrived({ event, signature }));
    await subscribed(connection);

    const signature = await within(
        'rpc()',
        program.methods
            .reserveConnection([100, 64, 0, 4], null)
            .accounts({ authority: wallet.publicKey, device: new PublicKey(device) })
            .rpc(),
    );
    const { event, signature: notified } = await within('the ReservationCreated event', received);
    assert.equal(notified, signature);
    assert.deepEqual([...event.clientIp], [100, 64, 0, 4]);
    assert.equal(event.device.toBase58(), device);
    assert.equal(event.payer.toBase58(), keys.authority.signer.address);
    const reserved = await (program.account as any).reservation.fetch(event.reservation);
    assert.deepEqual([...reserved.clientIp], [100, 64, 0, 4]);

    await program.removeEventListener(listener);
    (connection as any)._rpcWebSocket.close();
});
