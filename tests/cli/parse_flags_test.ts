import assert from "node:assert/strict";
import { intFlag, parseFlags, setFlags } from "../../src/cli/parse_flags.ts";
import { UsageError } from "../../src/cli/usage_error.ts";

const SPEC = {
  definition: { type: "string", short: "d" },
  input: { type: "string", short: "i" },
  set: { type: "string", multiple: true },
  "dry-run": { type: "boolean", short: "n" },
  quiet: { type: "boolean", short: "q" },
  limit: { type: "string" },
} as const;

function parse(args: string[], maxPositionals = 0) {
  return parseFlags(args, SPEC, "sync", maxPositionals);
}

function usageError(args: string[], maxPositionals = 0): UsageError {
  try {
    parse(args, maxPositionals);
  } catch (error) {
    assert.ok(error instanceof UsageError, String(error));
    return error;
  }
  assert.fail(`parsed ${JSON.stringify(args)} without an error`);
}

Deno.test("flags: long, short, inline and separate values, grouped switches, repeats", () => {
  assert.deepEqual(
    parse(["--definition", "d.yaml", "-i", "-", "--set=a=1", "--set", "b=", "-nq", "--limit=20"]),
    {
      flags: {
        definition: "d.yaml",
        input: "-",
        set: ["a=1", "b="],
        "dry-run": true,
        quiet: true,
        limit: "20",
      },
      positionals: [],
    },
  );
  assert.deepEqual(parse(["-dd.yaml", "-qi", "x.csv"]).flags, {
    definition: "d.yaml",
    quiet: true,
    input: "x.csv",
  });
  assert.deepEqual(parse(["--input="]).flags, { input: "" });
  assert.deepEqual(parse(["--limit", "007"]).flags, { limit: "007" }, "a number-like value stays a string");
  assert.deepEqual(parse(["--input", "a", "--input", "b"]).flags, { input: "b" }, "the last one wins");
});

Deno.test("flags: a flag not given is absent, not false, so a definition's own value stands", () => {
  const { flags } = parse(["-d", "d.yaml"]);
  assert.deepEqual(flags, { definition: "d.yaml" });
  assert.equal(flags["dry-run"], undefined);
  assert.equal(flags.set, undefined);
});

Deno.test("flags: arguments, everything after -- included, up to the number the command takes", () => {
  assert.deepEqual(parse(["-q", "one", "--", "--two", "-"], 3), {
    flags: { quiet: true },
    positionals: ["one", "--two", "-"],
  });
  assert.deepEqual(parse(["12"], 1).positionals, ["12"], "a number-like argument stays a string");
  const error = usageError(["-q", "extra"]);
  assert.equal(error.message, 'Cannot use argument "extra": sync takes only options');
});

Deno.test("flags: what cannot be parsed is a usage error that names the flag", () => {
  const cases: [string[], string, string][] = [
    [["--frobnicate"], "--frobnicate", 'unknown option "--frobnicate"'],
    [["--frobnicate=1"], "--frobnicate", 'unknown option "--frobnicate"'],
    [["-x"], "-x", 'unknown option "-x"'],
    [["-qx"], "-x", 'unknown option "-x"'],
    [["--definition"], "--definition", 'option "-d, --definition <value>" needs a value'],
    [["-d"], "-d", 'option "-d, --definition <value>" needs a value'],
    [["--limit", "--quiet"], "--limit", 'option "--limit <value>" needs a value, found option "--quiet"'],
    [["-nd"], "-d", 'option "-d, --definition <value>" needs a value'],
    [["--quiet=yes"], "--quiet", 'option "--quiet" does not take a value'],
  ];
  for (const [args, flag, problem] of cases) {
    const error = usageError(args);
    assert.equal(error.message, `Cannot parse the arguments of "sync": ${problem}`, args.join(" "));
    assert.equal(error.flag, flag, args.join(" "));
  }
});

Deno.test("flags: whole numbers and NAME=VALUE pairs", () => {
  assert.equal(intFlag("20", "--limit"), 20);
  assert.equal(intFlag(undefined, "--limit"), undefined);
  assert.throws(() => intFlag("-1", "--limit"), /expected a whole number of at least 0, found "-1"/);
  assert.throws(() => intFlag("0", "--limit", 1), /at least 1/);
  assert.deepEqual(setFlags(["a=1", "b=x=y", "c="]), { a: "1", b: "x=y", c: "" });
  assert.throws(() => setFlags(["novalue"]), /expected NAME=VALUE/);
});
