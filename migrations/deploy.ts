// Run by `anchor migrate` after `anchor deploy`, with the provider from Anchor.toml.
// Creates GlobalState with the provider's wallet as admin (and, until changed, activator
// authority). Running it again is harmless: an existing GlobalState is left alone.

import * as anchor from "@anchor-lang/core";
import idl from "../idl/serviceability.json";

module.exports = async function (provider: anchor.AnchorProvider) {
  anchor.setProvider(provider);
  const program = new anchor.Program(idl as anchor.Idl, provider);
  const [globalState] = anchor.web3.PublicKey.findProgramAddressSync(
    [Buffer.from("globalstate")],
    program.programId,
  );

  if (await provider.connection.getAccountInfo(globalState)) {
    console.log(`GlobalState ${globalState.toBase58()} already exists: nothing to do`);
    return;
  }

  const signature = await program.methods
    .initialize()
    .accounts({ admin: provider.wallet.publicKey })
    .rpc();
  console.log(
    `GlobalState ${globalState.toBase58()} created, admin ${provider.wallet.publicKey.toBase58()} (${signature})`,
  );
};
