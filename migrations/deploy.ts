// Run by `anchor migrate` after `anchor deploy`, with the provider from Anchor.toml.
// Creates GlobalState with the provider's wallet as admin (and, until changed, activator
// authority). The program lets only its upgrade authority initialize, so the wallet must be
// the key that deployed it. Running it again is harmless when GlobalState exists with this
// wallet as admin; if another key is admin, it fails loudly: the deployment is not ours.

import * as anchor from "@anchor-lang/core";
import idl from "../idl/serviceability.json";

module.exports = async function (provider: anchor.AnchorProvider) {
  anchor.setProvider(provider);
  const program = new anchor.Program(idl as anchor.Idl, provider);
  const wallet = provider.wallet.publicKey;
  const [globalState] = anchor.web3.PublicKey.findProgramAddressSync(
    [Buffer.from("globalstate")],
    program.programId,
  );

  const existing = await provider.connection.getAccountInfo(globalState);
  if (existing) {
    const state = program.coder.accounts.decode("globalState", existing.data);
    const admin = new anchor.web3.PublicKey(state.admin);
    if (!admin.equals(wallet)) {
      throw new Error(
        `GlobalState ${globalState.toBase58()} already exists with admin ${admin.toBase58()}, ` +
          `not this wallet (${wallet.toBase58()}): someone else initialized this deployment`,
      );
    }
    console.log(`GlobalState ${globalState.toBase58()} already exists with this wallet as admin: nothing to do`);
    return;
  }

  // The program's ProgramData (seeds [program id] under the upgradeable loader) is resolved
  // from the IDL; its upgrade authority must be this wallet.
  const signature = await program.methods.initialize().accounts({ admin: wallet }).rpc();
  console.log(`GlobalState ${globalState.toBase58()} created, admin ${wallet.toBase58()} (${signature})`);
};
