/**
 * @module
 * `deno task demo`: a first sync on a fresh machine. Syncs the shipped demo export (an IBM Storage Protect
 * DRMEDIA listing) into the embedded inventory ./demo-inventory.db with the ready `tsm-drmedia` definition,
 * adding the volumes, and prints the statistics; a second run shows that nothing changes, then the volumes
 * are listed.
 */
import { processIo } from "../src/cli/cli_io.ts";
import { runCli } from "../src/cli/main.ts";

const input = new URL("./demo/drmedia.csv", import.meta.url).pathname;
const db = "demo-inventory.db";
const io = processIo(new AbortController().signal);
const sync = [
  "sync",
  "--definition",
  "builtin:tsm-drmedia",
  "--set",
  "customer=DEMO",
  "--input",
  input,
  "--db",
  db,
];

io.err(`$ tapesync ${sync.join(" ")} --add-volumes\n`);
let code = await runCli([...sync, "--add-volumes"], io);
if (code === 0) {
  io.err(`\n$ tapesync ${sync.join(" ")}   (again: nothing should change)\n`);
  code = await runCli(sync, io);
}
if (code === 0) {
  io.err(`\n$ tapesync volumes --db ${db} --customer DEMO\n`);
  code = await runCli(["volumes", "--db", db, "--customer", "DEMO"], io);
}
Deno.exit(code);
