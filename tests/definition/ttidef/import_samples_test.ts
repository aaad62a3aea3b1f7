import assert from "node:assert/strict";
import { runCli } from "../../../src/cli/main.ts";
import { testIo } from "../../cli/_test_io.ts";

const samples = (name: string) =>
  new URL(`../../../../shared/samples/ttidef/${name}`, import.meta.url).pathname;
const fixture = (name: string) => new URL(`../../fixtures/ttidef/${name}`, import.meta.url).pathname;

type Volumes = Record<string, Record<string, string>>;

/** Run a command in-process; returns the exit code and what it wrote. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = testIo();
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** Sync `input` with `definition` into a new store with adding on; returns customer/media/volume -> fields. */
async function syncInto(dir: string, definition: string, input: string): Promise<Volumes> {
  const db = `${dir}/${crypto.randomUUID()}.db`;
  const sync = await cli(["sync", "--definition", definition, "--input", input, "--db", db, "--add-volumes"]);
  assert.equal(sync.code, 0, sync.stderr);
  const listed = await cli(["volumes", "--db", db, "--format", "json"]);
  assert.equal(listed.code, 0, listed.stderr);
  const rows = JSON.parse(listed.stdout) as {
    customer: string;
    media: string;
    volume: string;
    fields: Record<string, string>;
  }[];
  return Object.fromEntries(rows.map((row) => [`${row.customer}/${row.media}/${row.volume}`, row.fields]));
}

const cases: {
  name: string;
  ttidef: string;
  input: string;
  handWritten: string;
  warnings: string[];
  want: Volumes;
}[] = [
  {
    name: "acme-nightly.ttidef (CSV, translations, second pass, 7-year move-date adjustment)",
    ttidef: samples("acme-nightly.ttidef"),
    input: samples("acme-nightly.csv"),
    handWritten: fixture("acme_nightly.yaml"),
    warnings: [
      `acme-nightly.ttidef:7: warning: AddExclusionOnValue tests "volume" after its translations (the original order is [unconfirmed])`,
    ],
    want: {
      "ACME/LTO7/A00101L7": { repository: "LIBR", description: "daily set 12", moveDate: "2026-12-01" },
      "ACME/LTO7/A00102L7": {
        repository: "OFFS",
        description: "YEARLY archive 2025",
        moveDate: "2033-12-31",
      },
      "ACME/LTO6/B20001L6": { repository: "LIBR", description: "weekly", moveDate: "2026-12-08" },
      "ACME/LTO6/B20002L6": { repository: "OFFS", description: "monthly, box 7", moveDate: "2027-01-05" },
    },
  },
  {
    name: "lib-report.ttidef (fixed width, heading blocks, exclusion, terminate)",
    ttidef: samples("lib-report.ttidef"),
    input: samples("lib-report.txt"),
    handWritten: fixture("lib_report.yaml"),
    warnings: [],
    want: {
      "ACME/LTO8/LB0001L8": { repository: "LIBA", slot: "101", writeTime: "2026-11-20 22:15" },
      "ACME/LTO8/LB0002L8": { repository: "LIBA", slot: "102", writeTime: "2026-11-21 23:40" },
      "ACME/LTO8/LB0101L8": { repository: "LIBB", slot: "7", writeTime: "2026-11-02 01:05" },
    },
  },
  {
    name: "SPEC.md 3.7 worked example",
    ttidef: fixture("worked_example.ttidef"),
    input: fixture("worked_example.csv"),
    handWritten: fixture("worked_example.yaml"),
    warnings: [
      `worked_example.ttidef:7: warning: AddExclusionOnValue tests "volume" after its translations (the original order is [unconfirmed])`,
    ],
    want: {
      "ACME/LTO/A00417L7": { repository: "OFFS", description: "WEEKLY_OFF", writeTime: "2025-03-14 22:10" },
      "ACME/LTO/B10022L8": { repository: "LIBR", description: "DAILY", writeTime: "2025-03-15 03:55" },
    },
  },
];

Deno.test("tapesync import-ttidef converts each example so that it passes check and syncs to the expected table", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-ttidef-" });
  try {
    for (const c of cases) {
      await t.step(c.name, async () => {
        const file = c.ttidef.split("/").pop()!;
        const imported = await cli(["import-ttidef", c.ttidef]);
        assert.equal(imported.code, 0, imported.stderr);
        const warnings = imported.stderr.split("\n").filter((line) => line.includes(": warning: "));
        assert.deepEqual(warnings.map((line) => line.slice(line.lastIndexOf(file))), c.warnings);
        const yaml = `${dir}/${file}.yaml`;
        await Deno.writeTextFile(yaml, imported.stdout);

        const check = await cli(["check", "--definition", yaml, "--input", c.input, "--limit", "0"]);
        assert.equal(check.code, 0, check.stderr);

        const converted = await syncInto(dir, yaml, c.input);
        assert.deepEqual(converted, c.want);
        assert.deepEqual(await syncInto(dir, c.handWritten, c.input), converted);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tapesync import-ttidef exits 2 without YAML for an unreadable file or an unsupported construct", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-ttidef-" });
  try {
    await t.step("a file that does not exist", async () => {
      const result = await cli(["import-ttidef", `${dir}/missing.ttidef`]);
      assert.equal(result.code, 2);
      assert.equal(result.stdout, "");
      assert.match(result.stderr, /Cannot read ".*missing\.ttidef": the file does not exist/);
    });
    await t.step("a section header and a % sequence, each with its line", async () => {
      const file = `${dir}/sections.ttidef`;
      await Deno.writeTextFile(
        file,
        `SetLiteral(CUSTOMER, "ACME");\n[defaults]\nSetLiteral(MEDIA, "L%1");\n`,
      );
      const result = await cli(["import-ttidef", file]);
      assert.equal(result.code, 2);
      assert.equal(result.stdout, "");
      const errors = result.stderr.split("\n").filter((line) => line.includes(": error: "));
      assert.deepEqual(errors, [
        `${file}:2: error: section header [defaults] is not supported yet: its meaning is not documented (SPEC.md 3.1)`,
        `${file}:3: error: cannot read SetLiteral: "%1" is not supported yet: only "%%" (a literal "%") is known in ttidef strings`,
      ]);
    });
    await t.step("no file named", async () => {
      const result = await cli(["import-ttidef"]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /Cannot import: name the \.ttidef file/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tapesync import-ttidef lists each unsupported construct with its line and still writes a definition that passes check", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-ttidef-" });
  try {
    const file = fixture("unsupported.ttidef");
    const imported = await cli(["import-ttidef", file]);
    assert.equal(imported.code, 0, imported.stderr);
    const warnings = imported.stderr.split("\n").filter((line) => line.includes(": warning: "));
    assert.deepEqual(warnings.map((line) => line.slice(file.length + 1).replace(/: warning: .*/, "")), [
      "7",
      "8",
      "9",
      "10",
      "11",
      "12",
    ]);
    assert.match(warnings[0], /Extract of the whole line \(offset 0\) into "description" has no equivalent/);
    assert.match(warnings[1], /field "mountTime" needs a date format/);
    assert.match(
      warnings[2],
      /AddRepositoryOnWriteTime .* spans as documented "7" = 7 days, "0:0:1" = 1 year/,
    );
    assert.match(warnings[3], /AddRepositoryOnMoveDate has no tapesync equivalent/);
    assert.match(warnings[4], /statement SetVariable is not known/);
    assert.match(warnings[5], /AddString\(HEADER\) has no equivalent for CSV input/);
    for (const line of [7, 8, 9, 10, 11, 12]) {
      const original = (await Deno.readTextFile(file)).split("\n")[line - 1];
      assert.ok(imported.stdout.includes(`\n#     ${original}\n`), `line ${line} is kept as a comment`);
    }
    const yaml = `${dir}/unsupported.yaml`;
    await Deno.writeTextFile(yaml, imported.stdout);
    const check = await cli(["check", "--definition", yaml]);
    assert.equal(check.code, 0, check.stderr);
    assert.match(imported.stdout, /# Input file: D:\\TapeTrack Sync\\var\\vault\.csv \(line 2: /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
