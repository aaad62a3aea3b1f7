/**
 * @module
 * Builds tapesync as one file. `bundle` writes dist/tapesync.js with `deno bundle` (esbuild; npm packages
 * are bundled in, `node:` built-ins stay imports): the whole program, run with `deno run -A`. `compile`
 * writes dist/tapesync-<target> for each target with `deno compile`, the ready definitions included. A
 * compiled binary needs Deno's runtime (`denort`) for its target: from `DENORT_BIN` (host target) or
 * `DENORT_BIN_<TARGET>` (e.g. `DENORT_BIN_AARCH64_UNKNOWN_LINUX_GNU`), or from Deno's download cache; a
 * target whose runtime is not available is reported and skipped.
 *
 * @example
 * ```sh
 * deno run -A scripts/build.ts bundle
 * deno run -A scripts/build.ts compile [--target x86_64-unknown-linux-gnu ...]
 * DENORT_BIN=/opt/denort deno run -A scripts/build.ts compile --target x86_64-unknown-linux-gnu
 * ```
 */

/**
 * V8 flags the compiled binary runs with (and the benchmarks, so they measure what ships). V8 lets the old
 * generation grow up to 4x what survived its last full collection before it collects again; a sync holds
 * its scope cache (about 125 MB for 1,000,000 cached volumes) for the whole run, so the heap grew to
 * 440-660 MB of peak RSS. Growing by at most 1.5x per step keeps it at 330-400 MB in the same time
 * (measured: 1,000,000 records, shuffled steady state, median of 5 paired runs 7.04 s against 7.41 s,
 * peak 338 MB against 629 MB). From the sources: `deno run -A --v8-flags=--heap-growing-percent=50 main.ts`.
 */
export const RUNTIME_V8_FLAGS = "--heap-growing-percent=50";

/** The targets `compile` builds by default. */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-pc-windows-msvc",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
] as const;

const root = new URL("../", import.meta.url);
const rootPath = decodeURIComponent(root.pathname).replace(/^\/([A-Za-z]:)/, "$1");

/** Where a target's runtime comes from, or why there is none. */
export type RuntimeSource =
  | { kind: "env"; variable: string; path: string }
  | { kind: "cache"; path: string }
  | {
    kind: "missing";
    reason: string;
  };

function denoDir(): string | undefined {
  const explicit = Deno.env.get("DENO_DIR");
  if (explicit) return explicit;
  const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE");
  if (Deno.build.os === "darwin") return home && `${home}/Library/Caches/deno`;
  if (Deno.build.os === "windows") {
    return Deno.env.get("LOCALAPPDATA") && `${Deno.env.get("LOCALAPPDATA")}\\deno`;
  }
  return Deno.env.get("XDG_CACHE_HOME")
    ? `${Deno.env.get("XDG_CACHE_HOME")}/deno`
    : home && `${home}/.cache/deno`;
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/**
 * Find the runtime `deno compile` needs for a target.
 * @param target a Rust target triple from `TARGETS`
 */
export function runtimeFor(target: string): RuntimeSource {
  const variable = `DENORT_BIN_${target.toUpperCase().replace(/-/g, "_")}`;
  for (const name of [variable, ...(target === Deno.build.target ? ["DENORT_BIN"] : [])]) {
    const path = Deno.env.get(name);
    if (path) {
      return isFile(path) ? { kind: "env", variable: name, path } : {
        kind: "missing",
        reason: `${name} names "${path}", which is not a file`,
      };
    }
  }
  const dir = denoDir();
  const cached = dir && `${dir}/dl/release/v${Deno.version.deno}/denort-${target}.zip`;
  if (cached && isFile(cached)) return { kind: "cache", path: cached };
  return {
    kind: "missing",
    reason:
      `the Deno ${Deno.version.deno} runtime for ${target} is not in Deno's cache (${
        cached ?? "DENO_DIR unknown"
      }) and cannot be fetched from here: download denort-${target}.zip for Deno ${Deno.version.deno} on a machine ` +
      `with access to Deno's releases and set ${variable} to the unzipped denort binary${
        target === Deno.build.target ? " (or DENORT_BIN)" : ""
      }, or copy the zip to that cache path`,
  };
}

async function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ ok: boolean; output: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: rootPath,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { ok: code === 0, output: (decoder.decode(stdout) + decoder.decode(stderr)).trim() };
}

/**
 * Bundle the program into one JavaScript file.
 * @param output the file to write (default dist/tapesync.js)
 * @returns the output path
 * @throws {Error} when `deno bundle` fails (its output in the message)
 */
export async function bundle(output = `${rootPath}dist/tapesync.js`): Promise<string> {
  await Deno.mkdir(output.replace(/[\\/][^\\/]*$/, ""), { recursive: true });
  const result = await run(["bundle", "--quiet", "--platform", "deno", "--output", output, "main.ts"]);
  if (!result.ok) throw new Error(`Cannot bundle main.ts: deno bundle failed:\n${result.output}`);
  return output;
}

/**
 * Compile the program for one target.
 * @param target a target triple
 * @param outDir output folder (default dist/)
 * @returns the binary's path, or the reason it was skipped
 */
export async function compile(
  target: string,
  outDir = `${rootPath}dist`,
): Promise<{ built: string } | { skipped: string }> {
  const runtime = runtimeFor(target);
  if (runtime.kind === "missing") return { skipped: runtime.reason };
  const output = `${outDir}/tapesync-${target}${target.includes("windows") ? ".exe" : ""}`;
  await Deno.mkdir(outDir, { recursive: true });
  const result = await run(
    [
      "compile",
      "-A",
      "--no-check",
      `--v8-flags=${RUNTIME_V8_FLAGS}`,
      "--target",
      target,
      "--include",
      "definitions/",
      "--output",
      output,
      "main.ts",
    ],
    runtime.kind === "env" ? { DENORT_BIN: runtime.path } : {},
  );
  if (!result.ok) throw new Error(`Cannot compile for ${target}: deno compile failed:\n${result.output}`);
  if (target === Deno.build.target) await checkBinary(output, runtime);
  return { built: output };
}

/**
 * Run a binary built for this machine once (`version --json`), so a runtime that is not Deno's `denort`
 * (the full `deno` program, or another version's) fails the build instead of shipping a file that does
 * not start as tapesync. The file is removed when it fails.
 */
async function checkBinary(
  binary: string,
  runtime: Exclude<RuntimeSource, { kind: "missing" }>,
): Promise<void> {
  let text = "";
  let ok = false;
  try {
    const out = await new Deno.Command(binary, {
      args: ["version", "--json"],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(30_000),
    }).output();
    text = (new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr)).trim();
    const info = JSON.parse(text) as { version?: unknown; target?: unknown };
    ok = out.success && typeof info.version === "string" && info.target === Deno.build.target;
  } catch (error) {
    text ||= error instanceof Error ? error.message : String(error);
  }
  if (ok) return;
  await Deno.remove(binary).catch(() => {});
  const from = runtime.kind === "env" ? `${runtime.variable} (${runtime.path})` : runtime.path;
  throw new Error(
    `Cannot compile for ${Deno.build.target}: the built file does not run as tapesync, so the runtime from ${from} ` +
      `is not the denort of Deno ${Deno.version.deno}: give the unzipped denort-${Deno.build.target}.zip of that ` +
      `release (not the deno program). It answered \`version --json\` with: ${text.split("\n")[0]}`,
  );
}

/** Warn when the generated module of ready definitions lags behind definitions/*.yaml. */
async function checkBuiltins(): Promise<void> {
  const generator = `${rootPath}scripts/gen_builtins.ts`;
  if (!isFile(generator)) return;
  const result = await run(["run", "-A", generator, "--check"]);
  if (!result.ok) console.error(`warning: the build ships stale ready definitions: ${result.output}`);
}

/** Fail when the version constant of `tapesync version` differs from deno.json's. */
async function checkVersion(): Promise<void> {
  const config = JSON.parse(await Deno.readTextFile(`${rootPath}deno.json`));
  const source = await Deno.readTextFile(`${rootPath}src/cli/commands/version.ts`);
  const constant = /export const VERSION = "([^"]+)"/.exec(source)?.[1];
  if (constant !== config.version) {
    throw new Error(
      `Cannot build: src/cli/commands/version.ts says "${constant}" but deno.json says "${config.version}"`,
    );
  }
}

async function main(args: string[]): Promise<number> {
  await checkVersion();
  const [task, ...rest] = args;
  if (task === "bundle") {
    await checkBuiltins();
    const output = await bundle();
    console.log(`bundled ${output} (${(Deno.statSync(output).size / 1024 / 1024).toFixed(2)} MB)`);
    return 0;
  }
  if (task === "compile") {
    await checkBuiltins();
    const targets = rest.flatMap((arg, i) => (rest[i - 1] === "--target" ? [arg] : []));
    let skipped = 0;
    for (const target of targets.length > 0 ? targets : TARGETS) {
      const result = await compile(target);
      if ("built" in result) console.log(`built ${result.built}`);
      else {
        skipped++;
        console.error(`skipped ${target}: ${result.skipped}`);
      }
    }
    return skipped > 0 ? 1 : 0;
  }
  console.error("Usage: deno run -A scripts/build.ts bundle | compile [--target TARGET ...]");
  return 2;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    Deno.exit(1);
  }
}
