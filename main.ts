/**
 * @module
 * tapesync entry point: runs the CLI and exits with its code. Nothing else lives here.
 */
import { processIo } from "./src/cli/cli_io.ts";
import { runCli } from "./src/cli/main.ts";

if (import.meta.main) {
  const controller = new AbortController();
  const stop = () => controller.abort();
  Deno.addSignalListener("SIGINT", stop);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
  const code = await runCli(Deno.args, processIo(controller.signal));
  Deno.exit(code);
}
