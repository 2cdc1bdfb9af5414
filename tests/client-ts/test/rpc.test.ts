// The Codama-generated client against `serviceability ledger serve`, over real JSON-RPC with
// @solana/kit: reads and decodes every account kind, sends reserve_connection,
// close_reservation, propose_admin and accept_admin built with it, decodes an event from the
// logs, and sees program failures come back as a validator reports them, named. The ledger
// is prepared with the CLI.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import {
    SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE,
    appendTransactionMessageInstruction,
    createKeyPairSignerFromBytes,
    createSolanaRpc,
    createTransactionMessage,
    devnet,
    getProgramDerivedAddress,
    fetchEncodedAccount,
    getAddressEncoder,
    getBase64EncodedWireTransaction,
    isSolanaError,
    isSome,
    lamports,
    pipe,
    setTransactionMessageFeePayerSigner,
    setTransactionMessageLifetimeUsingBlockhash,
    signTransactionMessageWithSigners,
    unwrapOption,
    type Address,
    type Instruction,
    type KeyPairSigner,
    type Signature,
} from '@solana/kit';
import { BorshEventCoder } from '@coral-xyz/anchor';
import {
    BgpStatus,
    DeviceStatus,
    SERVICEABILITY_ERROR__NOT_PROPOSED_ADMIN,
    SERVICEABILITY_ERROR__NOT_RESERVATION_AUTHORITY,
    SERVICEABILITY_ERROR__RESERVATION_ALREADY_EXISTS,
    SERVICEABILITY_PROGRAM_ADDRESS,
    fetchAdminProposal,
    fetchDevice,
    fetchGlobalState,
    fetchMaybeAdminProposal,
    fetchMaybeReservation,
    fetchReservation,
    fetchTunnelClaim,
    fetchUser,
    findAdminProposalPda,
    findReservationPda,
    findUserPda,
    getAcceptAdminInstructionAsync,
    getCloseReservationInstruction,
    getProposeAdminInstructionAsync,
    getReservationCreatedDecoder,
    getReserveConnectionInstructionAsync,
    getServiceabilityErrorMessage,
    isServiceabilityError,
} from '../generated/index.ts';
import {
    anchorCoder,
    cli,
    cluster,
    confirmed,
    discriminator,
    fromAnchor,
    fromGenerated,
    fund,
    GLOBAL_STATE_ADDRESS,
    idl,
    roleKeypair,
    serve,
} from './support.ts';

/** A code of its own: on a shared cluster other tests have devices too. */
const CODE = 'ts-rpc';
const USER_IP = new Uint8Array([100, 64, 0, 1]);
const RESERVED_IP = new Uint8Array([100, 64, 0, 2]);
const NEW_IP = new Uint8Array([100, 64, 0, 3]);

let directory: string;
let server: ChildProcess | undefined;
/** A local ledger answers the test-cluster methods (requestAirdrop) too. */
const connect = (url: string) => createSolanaRpc(devnet(url));
let rpc: ReturnType<typeof connect>;
const keys: Record<string, { path: string; signer: KeyPairSigner }> = {};
let device: Address;
let reserveSignature: Signature;

before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'serviceability-ts-'));
    for (const role of ['admin', 'foundation', 'authority', 'publisher', 'stranger']) {
        const path = join(directory, `${role}.json`);
        keys[role] = { path, signer: await createKeyPairSignerFromBytes(roleKeypair(path, role)) };
    }
    const ledger = join(directory, 'ledger.bin');
    const as = (role: string, ...args: string[]) => cli(ledger, keys[role].path, args);
    // On a given cluster the program is deployed and initialized, and the stranger stays
    // unfunded until its own test asks the faucet.
    if (!cluster) as('admin', 'init');
    await fund(['foundation', 'authority', 'publisher'].map((role) => keys[role].signer.address));
    as('admin', 'allowlist', 'add', keys.foundation.signer.address);
    as('admin', 'authority', 'set', '--reservation', keys.authority.signer.address);
    as('foundation', 'device', 'create', '--code', CODE, '--public-ip', '185.1.1.10', '--max-users', '4',
        '--metrics-publisher', keys.publisher.signer.address);
    as('foundation', 'device', 'update', CODE, '--status', 'activated');
    as('authority', 'reservation', 'reserve', '--device', CODE, '--client-ip', '100.64.0.1');
    as('authority', 'reservation', 'reserve', '--device', CODE, '--client-ip', '100.64.0.2', '--ttl', '1h');
    // The admin is still the activator: it converts the first reservation into a user.
    as('admin', 'user', 'create', '--device', CODE, '--client-ip', '100.64.0.1', '--tunnel-net', '169.254.0.0/31');
    as('publisher', 'user', 'set-bgp-status', '--device', CODE, '--client-ip', '100.64.0.1', '--status', 'up');

    const served = await serve(ledger);
    server = served.server;
    rpc = connect(served.url);
    // The device PDA's seed is the code, an instruction argument: Codama makes no helper for it.
    [device] = await getProgramDerivedAddress({ programAddress: SERVICEABILITY_PROGRAM_ADDRESS, seeds: ['device', CODE] });
});

after(() => {
    server?.kill('SIGTERM');
    rmSync(directory, { recursive: true, force: true });
});

/** Signs `instruction` with its signers (the first pays), sends it, waits until confirmed. */
async function send(payer: KeyPairSigner, instruction: Instruction): Promise<Signature> {
    const { value: blockhash } = await rpc.getLatestBlockhash().send();
    const message = pipe(
        createTransactionMessage({ version: 0 }),
        (m) => setTransactionMessageFeePayerSigner(payer, m),
        (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
        (m) => appendTransactionMessageInstruction(instruction, m),
    );
    const transaction = await signTransactionMessageWithSigners(message);
    const signature = await rpc
        .sendTransaction(getBase64EncodedWireTransaction(transaction), { encoding: 'base64' })
        .send();
    await confirmed(rpc, signature);
    return signature;
}

/**
 * Sends `instruction`, which the program must refuse: returns the `-32002` preflight failure
 * and the message, for `isServiceabilityError`.
 */
async function refused(payer: KeyPairSigner, instruction: Instruction) {
    const { value: blockhash } = await rpc.getLatestBlockhash().send();
    const message = pipe(
        createTransactionMessage({ version: 0 }),
        (m) => setTransactionMessageFeePayerSigner(payer, m),
        (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
        (m) => appendTransactionMessageInstruction(instruction, m),
    );
    const wire = getBase64EncodedWireTransaction(await signTransactionMessageWithSigners(message));
    try {
        await rpc.sendTransaction(wire, { encoding: 'base64' }).send();
    } catch (error) {
        assert.ok(
            isSolanaError(error, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE),
            `a -32002 preflight failure: ${error}`,
        );
        return { error, message, logs: (error.context as { logs?: string[] }).logs ?? [] };
    }
    throw new Error('the transaction was accepted');
}

test("the IDL's GLOBAL_STATE_ADDRESS is the PDA of its seed, and the generated builders use it", async () => {
    const [derived] = await getProgramDerivedAddress({
        programAddress: SERVICEABILITY_PROGRAM_ADDRESS,
        seeds: ['globalstate'],
    });
    assert.equal(GLOBAL_STATE_ADDRESS, derived);
    const instruction = await getReserveConnectionInstructionAsync({
        authority: keys.authority.signer,
        device,
        clientIp: new Uint8Array([10, 9, 9, 9]),
        ttlSecs: null,
    });
    assert.equal(instruction.accounts[1].address, GLOBAL_STATE_ADDRESS);
});

test('GlobalState, a Device, a Reservation and a User read and decode with the generated client', async () => {
    const globalStateAddress = GLOBAL_STATE_ADDRESS;
    const globalState = await fetchGlobalState(rpc, globalStateAddress);
    assert.equal(globalState.data.admin, keys.admin.signer.address);
    if (cluster) {
        // A shared cluster's allowlist holds other tests' keys too.
        assert.ok(globalState.data.foundationAllowlist.includes(keys.foundation.signer.address));
    } else {
        assert.deepEqual(globalState.data.foundationAllowlist, [keys.foundation.signer.address]);
    }
    assert.equal(unwrapOption(globalState.data.reservationAuthority), keys.authority.signer.address);
    assert.equal(globalState.data.reservationsPaused, false);

    const fetchedDevice = await fetchDevice(rpc, device);
    assert.equal(fetchedDevice.data.code, CODE);
    assert.equal(fetchedDevice.data.status, DeviceStatus.Activated);
    assert.deepEqual([...fetchedDevice.data.publicIp], [185, 1, 1, 10]);
    assert.equal(fetchedDevice.data.maxUsers, 4);
    assert.equal(fetchedDevice.data.usersCount, 1);
    assert.equal(fetchedDevice.data.reservedSeats, 1);
    assert.equal(fetchedDevice.data.metricsPublisher, keys.publisher.signer.address);

    const [reservationAddress] = await findReservationPda({ device, clientIp: RESERVED_IP });
    const reservation = await fetchReservation(rpc, reservationAddress);
    assert.equal(reservation.data.device, device);
    assert.deepEqual([...reservation.data.clientIp], [...RESERVED_IP]);
    assert.equal(reservation.data.payer, keys.authority.signer.address);
    assert.equal(reservation.data.expiresAt - reservation.data.reservedAt, 3600n);

    const [userAddress] = await findUserPda({ device, clientIp: USER_IP });
    const user = await fetchUser(rpc, userAddress);
    assert.equal(user.data.device, device);
    assert.deepEqual([...user.data.tunnelNet.network], [169, 254, 0, 0]);
    assert.equal(user.data.tunnelNet.prefixLen, 31);
    assert.equal(user.data.bgpStatus, BgpStatus.Up);
    assert.ok(user.data.lastBgpUpAt > 0n);
    assert.equal(user.data.lastBgpReportedAt, user.data.lastBgpUpAt);
});

test("the same accounts decode identically with @coral-xyz/anchor's coder", async () => {
    const globalState = GLOBAL_STATE_ADDRESS;
    const [reservation] = await findReservationPda({ device, clientIp: RESERVED_IP });
    const [user] = await findUserPda({ device, clientIp: USER_IP });
    const accounts: Array<[string, Address, (rpc: any, address: Address) => Promise<{ data: object }>]> = [
        ['GlobalState', globalState, fetchGlobalState],
        ['Device', device, fetchDevice],
        ['Reservation', reservation, fetchReservation],
        ['User', user, fetchUser],
    ];
    for (const [name, address, fetch] of accounts) {
        const encoded = await fetchEncodedAccount(rpc, address);
        assert.ok(encoded.exists, `${name} exists`);
        const anchor = fromAnchor(anchorCoder.decode(name, Buffer.from(encoded.data)));
        const generated = fromGenerated(name, (await fetch(rpc, address)).data);
        assert.deepEqual(anchor, generated, name);
    }
});

test('reserve_connection and close_reservation built with the generated client move the seat count', async () => {
    const authority = keys.authority.signer;
    const before = (await fetchDevice(rpc, device)).data.reservedSeats;
    const reserve = await getReserveConnectionInstructionAsync({ authority, device, clientIp: NEW_IP, ttlSecs: null });
    reserveSignature = await send(authority, reserve);
    assert.equal((await fetchDevice(rpc, device)).data.reservedSeats, before + 1);
    const [reservation] = await findReservationPda({ device, clientIp: NEW_IP });
    const created = await fetchMaybeReservation(rpc, reservation);
    assert.ok(created.exists);
    assert.equal(created.data.expiresAt, 0n, 'no TTL: never expires');

    // GlobalState is an address in the IDL, so the builder needs no derivation: it is synchronous.
    const close = getCloseReservationInstruction({ authority, device, reservation, payer: authority.address });
    await send(authority, close);
    assert.equal((await fetchDevice(rpc, device)).data.reservedSeats, before);
    assert.equal((await fetchMaybeReservation(rpc, reservation)).exists, false);
});

test('the ReservationCreated event decodes from the transaction logs', async () => {
    assert.ok(reserveSignature, 'the reserve test ran first');
    const transaction = await rpc
        .getTransaction(reserveSignature, { encoding: 'json', maxSupportedTransactionVersion: 0 })
        .send();
    assert.ok(transaction?.meta, 'getTransaction returns the transaction with its meta');
    assert.equal(transaction.meta.err, null);
    // CI runs this file against both runtimes of `ledger serve` (SERVICEABILITY_SO, which the
    // binary reads as --program-so): natively compute units are nominal (1, plus the system
    // program's 150 for the account it creates); the SBF program spends thousands.
    const computeUnits = Number(transaction.meta.computeUnitsConsumed);
    if (cluster || process.env.SERVICEABILITY_SO) {
        assert.ok(computeUnits > 5_000, `SBF compute units, got ${computeUnits}`);
    } else {
        assert.equal(computeUnits, 151);
    }
    const line = (transaction.meta.logMessages ?? []).find((log) => log.startsWith('Program data: '));
    assert.ok(line, 'an event was emitted');
    const payload = line.slice('Program data: '.length);
    const bytes = new Uint8Array(Buffer.from(payload, 'base64'));
    assert.deepEqual([...bytes.subarray(0, 8)], discriminator('events', 'ReservationCreated'));

    const event = getReservationCreatedDecoder().decode(bytes.subarray(8));
    const [reservation] = await findReservationPda({ device, clientIp: NEW_IP });
    assert.equal(event.device, device);
    assert.equal(event.reservation, reservation);
    assert.deepEqual([...event.clientIp], [...NEW_IP]);
    assert.equal(event.payer, keys.authority.signer.address);
    assert.equal(event.reservedSeats, 2);

    // @coral-xyz/anchor's event coder reads the same line the same way.
    const anchor = new BorshEventCoder(idl).decode(payload);
    assert.equal(anchor?.name, 'ReservationCreated');
    assert.equal(fromAnchor(anchor!.data).reserved_seats, 2);
});

test('a program failure comes back as a validator reports it, named by the generated client', async () => {
    const stranger = keys.stranger.signer;
    const airdrop = await rpc.requestAirdrop(stranger.address, lamports(2_000_000_000n)).send();
    if (!cluster) {
        // `ledger serve` finalizes what lands at once.
        const { value } = await rpc.getSignatureStatuses([airdrop]).send();
        assert.equal(value[0]?.confirmationStatus, 'finalized');
    }
    await confirmed(rpc, airdrop);
    assert.equal((await rpc.getBalance(stranger.address).send()).value, 2_000_000_000n);

    const reserve = await getReserveConnectionInstructionAsync({ authority: stranger, device, clientIp: NEW_IP, ttlSecs: null });
    const { error, message, logs } = await refused(stranger, reserve);
    assert.ok(logs.some((log) => log.includes('NotReservationAuthority')), logs.join('\n'));
    assert.ok(isServiceabilityError(error.cause, message, SERVICEABILITY_ERROR__NOT_RESERVATION_AUTHORITY));
    assert.match(getServiceabilityErrorMessage(SERVICEABILITY_ERROR__NOT_RESERVATION_AUTHORITY), /reservation authority/);
    assert.equal((await fetchDevice(rpc, device)).data.reservedSeats, 1, 'nothing was reserved');
    assert.ok(isSome((await fetchGlobalState(rpc, GLOBAL_STATE_ADDRESS)).data.reservationAuthority));
});

test('a duplicate reservation is refused by name before anything is created', async () => {
    const authority = keys.authority.signer;
    const before = (await fetchDevice(rpc, device)).data.reservedSeats;
    const again = await getReserveConnectionInstructionAsync({ authority, device, clientIp: RESERVED_IP, ttlSecs: null });
    const { error, message } = await refused(authority, again);
    assert.ok(isServiceabilityError(error.cause, message, SERVICEABILITY_ERROR__RESERVATION_ALREADY_EXISTS));
    assert.equal((await fetchDevice(rpc, device)).data.reservedSeats, before);
});

test("the user's TunnelClaim sits where the IDL's seeds say and names the user", async () => {
    const createUser = idl.instructions.find((ix) => ix.name === 'create_user')!;
    const account = createUser.accounts.find((a) => a.name === 'tunnel_claim') as { pda?: { seeds: Array<Record<string, unknown>> } };
    const seeds = account.pda!.seeds;
    assert.deepEqual(seeds.map((seed) => [seed.kind, seed.path ?? null]), [
        ['const', null],
        ['account', 'device'],
        ['arg', 'tunnel_net.network'],
    ]);
    const network = new Uint8Array([169, 254, 0, 0]);
    const [claim] = await getProgramDerivedAddress({
        programAddress: SERVICEABILITY_PROGRAM_ADDRESS,
        seeds: [new Uint8Array(seeds[0].value as number[]), getAddressEncoder().encode(device), network],
    });
    const [user] = await findUserPda({ device, clientIp: USER_IP });
    assert.equal((await fetchTunnelClaim(rpc, claim)).data.user, user);
});

test('the admin hands over in two steps with the generated builders', async () => {
    const admin = keys.admin.signer;
    const successor = keys.stranger.signer;
    const [proposal] = await findAdminProposalPda();
    await send(admin, await getProposeAdminInstructionAsync({ admin, proposedAdmin: successor.address }));
    assert.equal((await fetchAdminProposal(rpc, proposal)).data.proposedAdmin, successor.address);

    const foundation = keys.foundation.signer;
    const hijack = await getAcceptAdminInstructionAsync({ newAdmin: foundation, previousAdmin: admin.address });
    const { error, message } = await refused(foundation, hijack);
    assert.ok(isServiceabilityError(error.cause, message, SERVICEABILITY_ERROR__NOT_PROPOSED_ADMIN));

    await send(successor, await getAcceptAdminInstructionAsync({ newAdmin: successor, previousAdmin: admin.address }));
    const globalState = GLOBAL_STATE_ADDRESS;
    assert.equal((await fetchGlobalState(rpc, globalState)).data.admin, successor.address);
    assert.equal((await fetchMaybeAdminProposal(rpc, proposal)).exists, false);

    // And back, in two steps again: the admin is left as it was found.
    await send(successor, await getProposeAdminInstructionAsync({ admin: successor, proposedAdmin: admin.address }));
    await send(admin, await getAcceptAdminInstructionAsync({ newAdmin: admin, previousAdmin: successor.address }));
    assert.equal((await fetchGlobalState(rpc, globalState)).data.admin, admin.address);
});
