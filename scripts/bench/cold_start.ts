/**
 * @module
 * Cold start of `tapesync version` and `tapesync agent --check`: the median wall time of fresh processes,
 * run from the sources (main.ts), from the bundle (dist/tapesync.js, built to a temp folder) and, where
 * Deno's runtime for this machine can be had (DENORT_BIN), from the compiled binary that ships, next to
 * the time Deno takes to start an empty program on this machine (each as a ratio to it, which moves less
 * than the times on a shared machine). Target: under 150 ms.
 *
 * @example
 * ```sh
 * deno run -A scripts/bench/cold_start.ts        # standalone
 * ```
 */
import { bundle, compile } from "../build.ts";

const root = decodeURIComponent(new URL("../../", import.meta.url).pathname);
const RUNS = 7;

/**
 * How the sources are run: with Deno's `--unstable-lazy-dynamic-imports`, a command's modules are loaded when
 * the command imports them, as the compiled binary does, instead of Deno reading and analysing the modules of
 * every command (the server, PostgreSQL, Hono, ...) before the first line runs (`version` 0.79x, `agent
 * --check` 0.94x, paired runs).
 */
const SOURCES = ["run", "-A", "--unstable-lazy-dynamic-imports", "main.ts"];

async function median(args: string[], runs = RUNS, program = Deno.execPath()): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const started = performance.now();
    const out = await new Deno.Command(program, { args, cwd: root, stdout: "null", stderr: "piped" })
      .output();
    const elapsed = performance.now() - started;
    if (out.code !== 0) {
      throw new Error(
        `Cannot measure "deno ${args.join(" ")}": exit ${out.code}: ${new TextDecoder().decode(out.stderr)}`,
      );
    }
    if (i > 0) times.push(elapsed); // the first run warms Deno's caches
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)]);
}

/**
 * Measure the cold starts.
 * @returns milliseconds by scenario: `deno_empty_ms`, `version_source_ms`, `check_source_ms`,
 *   `version_bundle_ms`, `check_bundle_ms`, and `version_binary_ms`, `check_binary_ms` when a compiled
 *   binary can be built (a runtime for this machine in DENORT_BIN or Deno's cache)
 */
export async function benchColdStart(): Promise<Record<string, number>> {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-cold-" });
  try {
    const empty = `${dir}/empty.js`;
    await Deno.writeTextFile(empty, "");
    const program = await bundle(`${dir}/tapesync.js`);
    const config = `${root}tests/fixtures/agent/agent.yaml`;
    const results: Record<string, number> = {
      deno_empty_ms: await median(["run", "-A", empty]),
      version_source_ms: await median([...SOURCES, "version"]),
      check_source_ms: await median([...SOURCES, "agent", "--config", config, "--check"]),
      version_bundle_ms: await median(["run", "-A", program, "version"]),
      check_bundle_ms: await median(["run", "-A", program, "agent", "--config", config, "--check"]),
    };
    // What ships: the compiled binary, where Deno's runtime for this machine can be had (DENORT_BIN).
    const binary = await compile(Deno.build.target, dir);
    if ("built" in binary) {
      results.version_binary_ms = await median(["version"], RUNS, binary.built);
      results.check_binary_ms = await median(["agent", "--config", config, "--check"], RUNS, binary.built);
    } else {
      console.log(`compiled binary: not measured: ${binary.skipped}`);
    }
    return results;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const results = await benchColdStart();
  const width = Math.max(...Object.keys(results).map((k) => k.length));
  const empty = results.deno_empty_ms;
  for (const [name, ms] of Object.entries(results)) {
    const verdict = name === "deno_empty_ms"
      ? "(baseline)"
      : `${(ms / empty).toFixed(2)}x Deno's empty start, ${
        ms < 150 ? "ok (< 150 ms)" : "over the 150 ms target"
      }`;
    console.log(`${name.padEnd(width)}  ${String(ms).padStart(5)} ms  ${verdict}`);
  }
}
