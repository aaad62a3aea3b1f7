/**
 * @module
 * Generates benchmark exports in the generic CSV layout (header row naming inventory fields): N records over
 * S scopes (customers x media), sorted by scope or deterministically shuffled, optionally with a share of the
 * records changed (steady state).
 */
import { writeText } from "./write_text.ts";

/** What to generate. */
export interface GenerateOptions {
  records: number;
  scopes: number;
  shuffle: boolean;
  /** Share of records (0..1) whose repository and move date differ from the base export. */
  changed: number;
  seed?: number;
}

const REPOSITORIES = ["LIBR", "OFFS", "VLT2", "TRAN"];

/** One record's CSV line for record number `i`. */
function line(i: number, scopes: number, perScope: number, changed: boolean): string {
  const scope = Math.floor(i / perScope) % scopes;
  const customer = `C${String(Math.floor(scope / 10)).padStart(3, "0")}`;
  const media = `M${scope % 10}`;
  const volume = `V${String(i).padStart(7, "0")}`;
  const repository = REPOSITORIES[(i + (changed ? 1 : 0)) % REPOSITORIES.length];
  const day = 1 + ((i + (changed ? 7 : 0)) % 28);
  const slot = String(i % 5000);
  return `${volume},${customer},${media},${repository},${slot},2026-12-${String(day).padStart(2, "0")},set ${
    i % 97
  }\n`;
}

/** A deterministic permutation of 0..n-1 (Fisher-Yates over a linear congruential generator). */
function permutation(n: number, seed: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let state = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/**
 * Write a benchmark export to `path`.
 * @returns the bytes written
 */
export async function generateExport(path: string, options: GenerateOptions): Promise<number> {
  const perScope = Math.ceil(options.records / options.scopes);
  const order = options.shuffle ? permutation(options.records, options.seed ?? 42) : undefined;
  const changeEvery = options.changed > 0 ? Math.round(1 / options.changed) : 0;
  return await writeText(
    path,
    (function* () {
      yield "volume,customer,media,repository,slot,moveDate,description\n";
      for (let n = 0; n < options.records; n++) {
        const i = order ? order[n] : n;
        yield line(i, options.scopes, perScope, changeEvery > 0 && i % changeEvery === 0);
      }
    })(),
  );
}
