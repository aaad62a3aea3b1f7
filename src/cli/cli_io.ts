/**
 * @module
 * The process surroundings a command gets: streams, terminal flags, environment and a clock. Built once in
 * `main.ts` from `Deno`, and by tests from strings, so commands never reach for globals.
 */

export interface CliIo {
  stdin: ReadableStream<Uint8Array>;
  stdinIsTerminal: boolean;
  /** Write text to standard output. */
  out(text: string): void;
  /** Write text to standard error. */
  err(text: string): void;
  stderrIsTerminal: boolean;
  /** Read an environment variable. */
  env(name: string): string | undefined;
  /** Milliseconds since the epoch. */
  now(): number;
  /** Working directory, for relative defaults. */
  cwd: string;
  /** Aborted on SIGINT/SIGTERM, so long commands can stop cleanly. */
  signal: AbortSignal;
}

/** Build the real `CliIo` of this process. */
export function processIo(signal: AbortSignal): CliIo {
  const encoder = new TextEncoder();
  const writeAll = (file: typeof Deno.stdout, text: string) => {
    const bytes = encoder.encode(text);
    let offset = 0;
    while (offset < bytes.length) offset += file.writeSync(bytes.subarray(offset));
  };
  return {
    // A getter: Deno.stdin.readable loads the web streams on first use (~12 ms), which commands that
    // never read stdin (version, agent --check) should not pay.
    get stdin() {
      return Deno.stdin.readable;
    },
    stdinIsTerminal: Deno.stdin.isTerminal(),
    out: (text) => writeAll(Deno.stdout, text),
    err: (text) => writeAll(Deno.stderr, text),
    stderrIsTerminal: Deno.stderr.isTerminal(),
    env: (name) => Deno.env.get(name),
    now: () => Date.now(),
    cwd: Deno.cwd(),
    signal,
  };
}
