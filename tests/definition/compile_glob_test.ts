/**
 * @module
 * Tests of `compileGlob`: the SPEC.md 3.2 pattern syntax and the errors for malformed patterns.
 */
import assert from "node:assert/strict";
import { compileGlob } from "../../src/definition/mod.ts";

Deno.test("compileGlob() matches whole values with the SPEC.md 3.2 syntax", async (t) => {
  const cases: { pattern: string; yes: string[]; no: string[] }[] = [
    { pattern: "*", yes: ["", "anything"], no: [] },
    { pattern: "Vault*", yes: ["Vault", "Vault-2", "Vault Iron Mountain"], no: ["vault-2", "My Vault"] },
    { pattern: "??????L4", yes: ["A00001L4"], no: ["A0001L4", "A00001L5", "A000001L4"] },
    { pattern: "[12]*", yes: ["1", "2AB"], no: ["3", ""] },
    { pattern: "[4-7]?", yes: ["4A", "7Z"], no: ["3A", "8A", "4"] },
    { pattern: "[4|5]", yes: ["4", "5"], no: ["|", "6"] },
    { pattern: "[!0-9]*", yes: ["A1", "-"], no: ["1A", ""] },
    { pattern: "*(OFFS|LEGL|DEST)", yes: ["OFFS", "XLEGL", "ADEST"], no: ["OFFSX", "LIBR"] },
    { pattern: "!(OFFS|LEGL)", yes: ["LIBR", "OFFSX"], no: ["OFFS", "LEGL"] },
    { pattern: "!([0-9]*)", yes: ["A1"], no: ["1A"] },
    { pattern: "A.B+", yes: ["A.B+"], no: ["AxB+", "A.BB"] },
    { pattern: "CLN*", yes: ["CLN003", "CLN003L7"], no: ["XCLN003"] },
    { pattern: "exact", yes: ["exact"], no: ["Exact", "exactly"] },
  ];
  for (const c of cases) {
    await t.step(c.pattern, () => {
      const glob = compileGlob(c.pattern);
      for (const value of c.yes) assert.equal(glob.test(value), true, `${c.pattern} should match "${value}"`);
      for (const value of c.no) {
        assert.equal(glob.test(value), false, `${c.pattern} should not match "${value}"`);
      }
    });
  }
});

Deno.test("compileGlob() rejects malformed patterns with the position", async (t) => {
  const cases = [
    { pattern: "[12", want: `"[" at position 1 is not closed with "]"` },
    { pattern: "*(A|B", want: `"(" at position 2 is not closed with ")"` },
    { pattern: "!([0-9]*", want: `"(" at position 2 is not closed with ")"` },
    { pattern: "A)(", want: `")" at position 2 has no matching "("` },
    { pattern: "[9-0]", want: `range "9-0" at position 2 runs backwards` },
  ];
  for (const c of cases) {
    await t.step(c.pattern, () => assert.throws(() => compileGlob(c.pattern), new SyntaxError(c.want)));
  }
});
