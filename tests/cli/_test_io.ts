/**
 * @module
 * A CliIo for tests: standard input from a string, outputs captured as strings, environment from a map.
 */
import type { CliIo } from "../../src/cli/cli_io.ts";

/** A test CliIo and what the command wrote. */
export interface TestIo extends CliIo {
  stdout: string;
  stderr: string;
}

/**
 * Build a CliIo for a test.
 * @param options stdin text, environment and working directory
 */
export function testIo(options: { stdin?: string; env?: Record<string, string>; cwd?: string } = {}): TestIo {
  const bytes = new TextEncoder().encode(options.stdin ?? "");
  const io: TestIo = {
    stdout: "",
    stderr: "",
    stdin: new ReadableStream<Uint8Array>({
      start(controller) {
        if (bytes.length > 0) controller.enqueue(bytes);
        controller.close();
      },
    }),
    stdinIsTerminal: false,
    out(text) {
      io.stdout += text;
    },
    err(text) {
      io.stderr += text;
    },
    stderrIsTerminal: false,
    env: (name) => options.env?.[name],
    now: () => Date.now(),
    cwd: options.cwd ?? Deno.cwd(),
    signal: new AbortController().signal,
  };
  return io;
}

/** Path of a shared sample export. */
export function sample(name: string): string {
  return new URL(`../../../shared/samples/exports/${name}`, import.meta.url).pathname;
}

/** Path inside the repository. */
export function repoPath(path: string): string {
  return new URL(`../../${path}`, import.meta.url).pathname;
}
