import assert from "node:assert/strict";
import { runCli } from "../../src/cli/main.ts";
import type { SyncStats } from "../../src/engine/mod.ts";
import { repoPath, sample, testIo } from "./_test_io.ts";

const DEFINITION = repoPath("tests/fixtures/integration/tsm-drmedia.yaml");
const TSM = sample("tsm-drmedia.csv");

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-cli-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function sync(
  args: string[],
  stdin?: string,
): Promise<{ code: number; stats: SyncStats; stderr: string }> {
  const io = testIo({ stdin });
  const code = await runCli(["sync", ...args, "--stats-json", "-"], io);
  return { code, stats: JSON.parse(io.stdout.slice(io.stdout.indexOf("{"))) as SyncStats, stderr: io.stderr };
}

async function volumes(db: string): Promise<Record<string, Record<string, string>>> {
  const io = testIo();
  assert.equal(await runCli(["volumes", "--db", db, "--format", "json"], io), 0);
  const list = JSON.parse(io.stdout) as {
    customer: string;
    media: string;
    volume: string;
    fields: Record<string, string>;
  }[];
  return Object.fromEntries(list.map((v) => [`${v.customer}/${v.media}/${v.volume}`, v.fields]));
}

async function digest(path: string): Promise<string> {
  const bytes = await Deno.readFile(path);
  return Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)), (b) => b.toString(16)).join(
    "",
  );
}

Deno.test("tapesync sync of the Storage Protect DRMEDIA sample: contents, statistics, re-run, one change, dry run", async (t) => {
  await withDir(async (dir) => {
    const db = `${dir}/inventory.db`;
    await t.step("first run adds every good record and accounts for every line", async () => {
      const { code, stats } = await sync(["-d", DEFINITION, "-i", TSM, "--db", db]);
      assert.equal(code, 0);
      assert.equal(stats.linesRead, 28);
      assert.equal(stats.recordsRead, 24);
      assert.deepEqual(stats.recordsSkipped, {
        total: 4,
        byReason: { "blank line": 2, "server message": 2 },
      });
      assert.equal(stats.errors, 1);
      assert.equal(stats.errorSamples[0].line, 23);
      assert.equal(stats.duplicates, 1);
      assert.deepEqual(stats.duplicateSamples, ["ACME/LTO7/TA0002L7@10"]);
      assert.equal(stats.volumesAdded, 22);
      assert.equal(stats.scopesLoaded, 2);
      assert.equal(stats.batchesApplied, 2);
    });
    await t.step("the inventory holds exactly what the export says", async () => {
      const all = await volumes(db);
      assert.equal(Object.keys(all).length, 22);
      assert.equal(Object.keys(all).filter((key) => key.startsWith("ACME/LTO8/")).length, 5);
      assert.deepEqual(all["ACME/LTO7/TA0005L7"], {
        repository: "OFFS",
        description: "Iron Mountain, Bay 4",
        writeTime: "2025-10-20 09:29",
      });
      assert.deepEqual(all["ACME/LTO7/TA0016L7"], { repository: "LIBR", writeTime: "2025-11-04 06:41" });
      assert.deepEqual(all["ACME/LTO7/TA0011L7"], {
        repository: "TRAN",
        description: "Joe's Courier Service",
        writeTime: "2025-11-03 16:02",
      });
      assert.equal(all["ACME/LTO8/TB0105L8"], undefined);
    });
    await t.step("volumes --limit and --volume prefix page through the listing", async () => {
      const io = testIo();
      assert.equal(await runCli(["volumes", "--db", db, "--format", "json", "--limit", "5"], io), 0);
      assert.equal((JSON.parse(io.stdout) as unknown[]).length, 5);
      const prefix = testIo();
      assert.equal(await runCli(["volumes", "--db", db, "--format", "csv", "--volume", "TB*"], prefix), 0);
      assert.equal(prefix.stdout.trim().split("\r\n").length, 1 + 5);
    });
    await t.step("a re-run updates nothing", async () => {
      const { code, stats } = await sync(["-d", DEFINITION, "-i", TSM, "--db", db]);
      assert.equal(code, 0);
      assert.equal(stats.volumesUpdated, 0);
      assert.equal(stats.volumesAdded, 0);
      assert.equal(stats.batchesApplied, 0);
    });
    const changed = `${dir}/changed.csv`;
    const text = await Deno.readTextFile(TSM);
    await Deno.writeTextFile(changed, text.replace("TA0001L7,VAULT,", "TA0001L7,COURIERRETRIEVE,"));
    await t.step("--dry-run prints the plan and leaves the database file byte-identical", async () => {
      const before = await digest(db);
      const io = testIo();
      const code = await runCli([
        "sync",
        "-d",
        DEFINITION,
        "-i",
        changed,
        "--db",
        db,
        "-n",
        "--detailed-exitcode",
      ], io);
      assert.equal(code, 4);
      assert.equal(io.stdout, '~ ACME/LTO7/TA0001L7 (line 8) repository: "OFFS" -> "TRAN"\n');
      assert.equal(await digest(db), before);
    });
    await t.step("one changed field: exactly one update and one audit row", async () => {
      const { code, stats } = await sync(["-d", DEFINITION, "-i", changed, "--db", db]);
      assert.equal(code, 0);
      assert.equal(stats.volumesUpdated, 1);
      assert.deepEqual(stats.fieldsUpdated, { repository: 1 });
      const io = testIo();
      assert.equal(await runCli(["history", "--db", db, "--run", stats.runId, "--format", "json"], io), 0);
      const rows = JSON.parse(io.stdout) as { volume: string; field: string; old: string; new: string }[];
      assert.deepEqual(rows.map((r) => [r.volume, r.field, r.old, r.new]), [[
        "TA0001L7",
        "repository",
        "OFFS",
        "TRAN",
      ]]);
    });
    await t.step(
      "a table listing that matches nothing says so on stderr; CSV and JSON stay silent",
      async () => {
        const table = testIo();
        assert.equal(await runCli(["history", "--db", db, "--volume", "NOPE01"], table), 0);
        assert.equal(
          table.stdout.split("\n")[0].trimEnd(),
          "at  runId  customer  media  volume  field  old  new",
        );
        assert.equal(table.stderr, "No audit rows match --volume NOPE01\n");
        const volumes = testIo();
        assert.equal(
          await runCli(["volumes", "--db", db, "--customer", "NOPE", "--media", "LTO7"], volumes),
          0,
        );
        assert.equal(volumes.stderr, "No volumes match --customer NOPE --media LTO7\n");
        const csv = testIo();
        assert.equal(await runCli(["volumes", "--db", db, "--customer", "NOPE", "--format", "csv"], csv), 0);
        assert.deepEqual([csv.stdout, csv.stderr], ["customer,media,volume,updatedAt\r\n", ""]);
      },
    );
    await t.step("standard input works like --input", async () => {
      const { code, stats } = await sync(["-d", DEFINITION, "--db", db], text);
      assert.equal(code, 0);
      assert.equal(stats.recordsRead, 24);
      assert.equal(stats.volumesUpdated, 1);
    });
    await t.step("--max-changes refuses a run over the limit and writes nothing", async () => {
      const io = testIo();
      const code = await runCli(
        ["sync", "-d", DEFINITION, "-i", changed, "--db", db, "--max-changes", "0"],
        io,
      );
      assert.equal(code, 1);
      assert.match(io.stderr, /would change more than 0 volume\(s\).*nothing was written/);
      assert.equal((await volumes(db))["ACME/LTO7/TA0001L7"].repository, "OFFS");
    });
  });
});

Deno.test("tapesync sync reports bad input with its line and the documented exit code, writing nothing", async (t) => {
  await withDir(async (dir) => {
    const db = `${dir}/inventory.db`;
    const write = async (name: string, content: string | Uint8Array) => {
      const path = `${dir}/${name}`;
      if (typeof content === "string") await Deno.writeTextFile(path, content);
      else await Deno.writeFile(path, content);
      return path;
    };
    const generic = repoPath("definitions/generic-csv.yaml");
    const cases: {
      name: string;
      args: () => Promise<string[]>;
      code: number;
      stderr: RegExp;
      stdin?: string;
    }[] = [
      {
        name: "malformed definition: file:line:col and path, exit 2",
        args: async () => [
          "-d",
          await write(
            "bad.yaml",
            "version: 1\nsource: { format: csv }\nfields:\n  volume: { column: 1, steps: [shout] }\n",
          ),
          "-i",
          TSM,
        ],
        code: 2,
        stderr: /bad\.yaml:4:32 fields\.volume\.steps\[0\]: unknown step "shout"/,
      },
      {
        name: "unknown column: the header line and the column, exit 2",
        args: async () => ["-d", generic, "-i", await write("nocustomer.csv", "volume,media\nA1,LTO7\n")],
        code: 2,
        stderr: /customer/,
      },
      {
        name: "unparseable date: counted with its line, run goes on (policy skip), exit 0",
        args: async () => [
          "-d",
          generic,
          "-i",
          await write("date.csv", "volume,customer,media,moveDate\nA1,ACME,LTO7,31/12/2026\n"),
        ],
        code: 0,
        stderr: /date\.csv:2 moveDate: cannot parse "31\/12\/2026"/,
      },
      {
        name: "binary garbage: the line, exit 1, nothing written",
        args: async () => [
          "-d",
          generic,
          "-i",
          await write("binary.csv", new Uint8Array([118, 111, 108, 10, 0, 255, 254, 0, 10])),
        ],
        code: 1,
        stderr: /binary\.csv:\d+/,
      },
      {
        name: "empty input: nothing to do, said as a warning, exit 0",
        args: async () => ["-d", generic, "-i", await write("empty.csv", "")],
        code: 0,
        stderr:
          /records read\s+0[^]*\nWarning: the input ".*empty\.csv" is empty \(not one line\): nothing was compared or written\. Check that the export ran/,
      },
      {
        name: "missing input file: exit 2",
        args: () => Promise.resolve(["-d", generic, "-i", `${dir}/nope.csv`]),
        code: 2,
        stderr: /Cannot open input ".*nope\.csv": no such file/,
      },
      {
        name: "unknown flag: exit 2",
        args: () => Promise.resolve(["-d", generic, "--frobnicate"]),
        code: 2,
        stderr: /frobnicate/,
      },
    ];
    for (const c of cases) {
      await t.step(c.name, async () => {
        const io = testIo({ stdin: c.stdin });
        const code = await runCli(["sync", ...(await c.args()), "--db", db, "--add-volumes"], io);
        assert.equal(code, c.code, io.stderr);
        assert.match(io.stderr, c.stderr);
        assert.doesNotMatch(io.stderr, /\n\s+at /, "no stack trace");
      });
    }
    await t.step("nothing was written by any of them", async () => {
      assert.deepEqual(Object.keys(await volumes(db)), []);
    });
  });
});

Deno.test("tapesync sync with policy stop ends at the first bad record with exit 1 and writes nothing", async () => {
  await withDir(async (dir) => {
    const definition = `${dir}/stop.yaml`;
    await Deno.writeTextFile(
      definition,
      (await Deno.readTextFile(DEFINITION)).replace("onBadRecord: skip", "onBadRecord: stop"),
    );
    const io = testIo();
    const code = await runCli(["sync", "-d", definition, "-i", TSM, "--db", `${dir}/i.db`], io);
    assert.equal(code, 1);
    assert.match(io.stderr, /tsm-drmedia\.csv:23 description: the record has 3 values/);
    assert.match(io.stderr, /22 pending change\(s\) were not written/);
    assert.match(io.stderr, /records read\s+23\n/);
    assert.deepEqual(Object.keys(await volumes(`${dir}/i.db`)), []);
  });
});

Deno.test("tapesync sync reads a definition's command as the input and fails the run when the command fails", async (t) => {
  await withDir(async (dir) => {
    const base = await Deno.readTextFile(DEFINITION);
    const withCommand = (run: string[]) =>
      base.replace(
        "  format: csv\n",
        `  format: csv\n  command: { run: ${JSON.stringify(run)}, timeout: 5 }\n`,
      );
    await t.step("the command's output is synced like a file", async () => {
      const definition = `${dir}/cmd.yaml`;
      await Deno.writeTextFile(definition, withCommand(["cat", TSM]));
      const { code, stats } = await sync(["-d", definition, "--db", `${dir}/a.db`]);
      assert.equal(code, 0);
      assert.equal(stats.recordsRead, 24);
      assert.equal(stats.volumesAdded, 22);
    });
    await t.step("a failing command stops the run with its exit code, exit 1, nothing written", async () => {
      const definition = `${dir}/fail.yaml`;
      await Deno.writeTextFile(
        definition,
        withCommand(["sh", "-c", `cat ${TSM}; echo 'ANR0000E broken pipe' >&2; exit 3`]),
      );
      const io = testIo();
      const code = await runCli(["sync", "-d", definition, "--db", `${dir}/b.db`], io);
      assert.equal(code, 1);
      assert.match(io.stderr, /exit(ed with)? (code )?3/);
      assert.match(io.stderr, /ANR0000E broken pipe/);
      assert.deepEqual(Object.keys(await volumes(`${dir}/b.db`)), []);
    });
  });
});

Deno.test("tapesync sync --job skips with exit 75 while another run of the job holds its lock, and runs once it is free", async () => {
  await withDir(async (dir) => {
    const { acquireJobLock } = await import("../../src/agent/mod.ts");
    const lock = await acquireJobLock(`${dir}/state`, "nightly", {});
    const args = [
      "sync",
      "-d",
      DEFINITION,
      "-i",
      TSM,
      "--db",
      `${dir}/i.db`,
      "--job",
      "nightly",
      "--state-dir",
      `${dir}/state`,
    ];
    try {
      const io = testIo();
      assert.equal(await runCli(args, io), 75);
      assert.match(io.stderr, /nightly/);
      await assert.rejects(Deno.stat(`${dir}/i.db`), Deno.errors.NotFound);
    } finally {
      await lock.release();
    }
    const io = testIo();
    assert.equal(await runCli(args, io), 0, io.stderr);
    assert.equal(Object.keys(await volumes(`${dir}/i.db`)).length, 22);
  });
});

Deno.test("tapesync sync --site: one site file serves several definitions, --set wins and must be declared", async () => {
  await withDir(async (dir) => {
    const site = `${dir}/site.yaml`;
    await Deno.writeTextFile(site, "customer: SITE\nvault: VLT1\nlibrary: LIB1\nsomethingElse: 42\n");
    const demo = repoPath("scripts/demo/drmedia.csv");
    const { code, stats } = await sync([
      "-d",
      "builtin:tsm-drmedia",
      "-i",
      demo,
      "--db",
      `${dir}/i.db`,
      "--site",
      site,
      "--set",
      "library=LIB2",
      "--add-volumes",
    ]);
    assert.equal(code, 0);
    assert.equal(stats.volumesAdded, 10);
    const all = await volumes(`${dir}/i.db`);
    assert.equal(all["SITE/LTO8/DM0001L8"].repository, "LIB2");
    assert.equal(all["SITE/LTO8/DM0005L8"].repository, "VLT1");
    const io = testIo();
    const bad = await runCli([
      "sync",
      "-d",
      "builtin:tsm-drmedia",
      "-i",
      demo,
      "--db",
      `${dir}/i.db`,
      "--set",
      "customer=X",
      "--set",
      "colour=red",
    ], io);
    assert.equal(bad, 2);
    assert.match(io.stderr, /colour/);
    await Deno.writeTextFile(site, "customer: SITE\nvault: [VLT1\n");
    const broken = testIo();
    const args = ["sync", "-d", "builtin:tsm-drmedia", "-i", demo, "--db", `${dir}/i.db`, "--site", site];
    assert.equal(await runCli(args, broken), 2);
    assert.match(
      broken.stderr,
      /^Error: .*site\.yaml:3:1: invalid YAML: .*\nFix the site file and run again; nothing was read or written\n/,
    );
    await Deno.writeTextFile(site, "- customer\n");
    const list = testIo();
    assert.equal(await runCli(args, list), 2);
    assert.match(
      list.stderr,
      /site\.yaml: a site file must be a map of parameter names to values\nFix the site file/,
    );
  });
});

Deno.test("tapesync sync --dry-run before the first sync compares with an empty inventory and creates no file", async () => {
  await withDir(async (dir) => {
    const io = testIo();
    const code = await runCli(
      [
        "sync",
        "-d",
        "builtin:tsm-drmedia",
        "--set",
        "customer=ACME",
        "-i",
        TSM,
        "--db",
        `${dir}/new.db`,
        "--dry-run",
        "--add-volumes",
      ],
      io,
    );
    assert.equal(code, 0, io.stderr);
    assert.match(io.stderr, /does not exist yet: comparing with an empty inventory/);
    assert.match(io.stderr, /volumes to add\s+22\n/);
    assert.equal(io.stdout.split("\n").filter((line) => line.startsWith("+ ")).length, 22);
    await assert.rejects(Deno.stat(`${dir}/new.db`), Deno.errors.NotFound);
  });
});

Deno.test("commands that take only options refuse a stray argument with exit 2 and name it", async (t) => {
  for (const command of ["sync", "check", "volumes", "history", "version"]) {
    await t.step(command, async () => {
      const io = testIo();
      assert.equal(await runCli([command, "stray"], io), 2);
      assert.match(io.stderr, new RegExp(`Cannot use argument "stray": ${command} takes only options`));
    });
  }
});

Deno.test("a database file that cannot be opened: exit 3 and what to do about the file, no server advice", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const io = testIo();
    assert.equal(await runCli(["volumes", "--db", `${dir}/missing.db`], io), 3);
    assert.equal(
      io.stderr.trim(),
      `Error: Cannot open the inventory at "${dir}/missing.db": the database file does not exist: check the path, or run a sync without --dry-run to create it`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
