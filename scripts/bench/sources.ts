/**
 * @module
 * Throughput of each source format against the CSV source on the same records: generates N inventory-like
 * records as CSV, fixed width, a `|` table, multi-line blocks, KEY:value tokens and regex lines in a
 * temporary directory (deleted afterwards), reads each through `openSource` and prints records/s and
 * the ratio of each format's time to CSV's.
 *
 * Run: `deno run -A scripts/bench/sources.ts [records] [runs]` (defaults 500000 and 2; best run kept).
 */
import { sourceSchema } from "../../src/definition/source_schema.ts";
import { openSource } from "../../src/source/mod.ts";
import { writeText } from "./write_text.ts";

interface Row {
  volume: string;
  customer: string;
  media: string;
  repository: string;
  slot: string;
  description: string;
  moveDate: string;
}

function row(i: number): Row {
  return {
    volume: `V${String(i % 100000).padStart(5, "0")}L${7 + (i % 3)}`,
    customer: `C${String(i % 1000).padStart(4, "0")}`,
    media: `LTO${7 + (i % 3)}`,
    repository: i % 4 === 0 ? "OFFS" : "LIBR",
    slot: String(i % 500),
    description: `daily set ${i % 31}`,
    moveDate: `2026-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`,
  };
}

const NAMES = ["volume", "customer", "media", "repository", "slot", "description", "moveDate"] as const;
const WIDTHS = [10, 7, 6, 6, 5, 16, 10];

/** Each format: how a record is written, and the `source:` section that reads it back. */
const formats: { name: string; header: string; write: (r: Row) => string; source: unknown }[] = [
  {
    name: "csv",
    header: NAMES.join(",") + "\n",
    write: (r) => NAMES.map((n) => r[n]).join(",") + "\n",
    source: { format: "csv" },
  },
  {
    name: "fixed (position)",
    header: "",
    write: (r) => NAMES.map((n, i) => r[n].padEnd(WIDTHS[i])).join(" ") + "\n",
    source: {
      format: "fixed",
      columns: NAMES.map((name, i) => ({
        name,
        start: 1 + WIDTHS.slice(0, i).reduce((a, b) => a + b + 1, 0),
        width: WIDTHS[i],
      })),
    },
  },
  {
    name: "fixed (title)",
    header: NAMES.map((n, i) => n.padEnd(WIDTHS[i])).join(" ") + "\n",
    write: (r) => NAMES.map((n, i) => r[n].padEnd(WIDTHS[i])).join(" ") + "\n",
    source: {
      format: "fixed",
      header: { match: "^volume " },
      columns: NAMES.map((name) => ({ name, title: name })),
    },
  },
  {
    name: "table",
    header: `| ${NAMES.join(" | ")} |\n+${NAMES.map(() => "---").join("+")}+\n`,
    write: (r) => `| ${NAMES.map((n) => r[n]).join(" | ")} |\n`,
    source: { format: "table" },
  },
  {
    name: "multiline (fields)",
    header: "",
    write: (r) => NAMES.map((n) => `${n}: ${r[n]}`).join("\n") + "\n",
    source: { format: "multiline", start: "^volume:", values: "fields", columns: [...NAMES] },
  },
  {
    name: "tokens",
    header: "",
    write: (r) => `${r.volume} ${NAMES.slice(1).map((n) => `${n}=${r[n].replaceAll(" ", "_")}`).join(" ")}\n`,
    source: { format: "tokens", positional: ["volume"], keys: NAMES.slice(1), separator: "=" },
  },
  {
    name: "regex",
    header: "",
    write: (r) => NAMES.map((n) => r[n]).join(";") + "\n",
    source: {
      format: "regex",
      pattern: `^${NAMES.map((n) => `(?<${n}>[^;]*)`).join(";")}$`,
    },
  },
];

async function writeFile(path: string, records: number, format: (typeof formats)[number]): Promise<number> {
  return await writeText(
    path,
    (function* () {
      yield format.header;
      for (let i = 0; i < records; i++) yield format.write(row(i));
    })(),
  );
}

async function timeFormat(
  path: string,
  source: unknown,
  runs: number,
): Promise<{ ms: number; records: number }> {
  const spec = sourceSchema.parse(source);
  let best = Infinity;
  let records = 0;
  for (let run = 0; run < runs; run++) {
    const file = await Deno.open(path);
    const started = performance.now();
    records = 0;
    for await (const events of openSource(spec, file.readable, path)) {
      for (const event of events) if (event.kind === "record") records++;
    }
    best = Math.min(best, performance.now() - started);
  }
  return { ms: best, records };
}

if (import.meta.main) {
  const records = Number(Deno.args[0] ?? 500_000);
  const runs = Number(Deno.args[1] ?? 2);
  const dir = await Deno.makeTempDir({ prefix: "tapesync-bench-sources-" });
  try {
    console.log(`${records} records x 7 columns per format, best of ${runs}`);
    let csvMs = 0;
    for (const [i, format] of formats.entries()) {
      const path = `${dir}/input-${i}.txt`;
      const bytes = await writeFile(path, records, format);
      const result = await timeFormat(path, format.source, runs);
      if (result.records !== records) {
        throw new Error(`${format.name}: read ${result.records} records, not ${records}`);
      }
      if (i === 0) csvMs = result.ms;
      console.log(
        `${format.name.padEnd(19)} ${(bytes / 1e6).toFixed(1).padStart(6)} MB  ${
          (result.ms / 1000).toFixed(2)
        } s  ` +
          `${(records / result.ms / 1000).toFixed(2)} M records/s  ${(result.ms / csvMs).toFixed(2)}x csv`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
