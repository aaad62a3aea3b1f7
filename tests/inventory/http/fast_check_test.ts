import assert from "node:assert/strict";
import {
  batchBodySchema,
  checkBatchBody,
  checkScopeLine,
  scopeLineSchema,
} from "../../../src/inventory/http/mod.ts";

const change = { volume: "A00001L7", op: "update", changes: { repository: { old: "LIBR", new: "OFFS" } } };
const body = { runId: "20261125-070000-1a2b3c4d", customer: "ACME", media: "LTO", changes: [change] };

const batchCases: { name: string; value: unknown; fast: boolean }[] = [
  { name: "a valid batch", value: body, fast: true },
  {
    name: "an add with null old values",
    value: { ...body, changes: [{ ...change, op: "add", changes: { slot: { old: null, new: "7" } } }] },
    fast: true,
  },
  {
    name: "a removal (new null)",
    value: { ...body, changes: [{ ...change, changes: { slot: { old: "7", new: null } } }] },
    fast: true,
  },
  { name: "no changes", value: { ...body, changes: [] }, fast: true },
  { name: "an unknown top-level key", value: { ...body, force: true }, fast: false },
  { name: "a missing key", value: { runId: "r", customer: "ACME", changes: [] }, fast: false },
  { name: "a customer with a slash", value: { ...body, customer: "AC/ME" }, fast: false },
  { name: "a run ID starting with a dot", value: { ...body, runId: ".r" }, fast: false },
  { name: "an unknown op", value: { ...body, changes: [{ ...change, op: "delete" }] }, fast: false },
  {
    name: "a volume with a control character",
    value: { ...body, changes: [{ ...change, volume: "A\u0000" }] },
    fast: false,
  },
  { name: "an empty volume", value: { ...body, changes: [{ ...change, volume: "" }] }, fast: false },
  {
    name: "a volume of 65 characters",
    value: { ...body, changes: [{ ...change, volume: "A".repeat(65) }] },
    fast: false,
  },
  { name: "an unknown key in a change", value: { ...body, changes: [{ ...change, extra: 1 }] }, fast: false },
  {
    name: "a field name with a dash",
    value: { ...body, changes: [{ ...change, changes: { "re-po": { old: null, new: "X" } } }] },
    fast: false,
  },
  {
    name: "a field change without old",
    value: { ...body, changes: [{ ...change, changes: { slot: { new: "X", was: "Y" } } }] },
    fast: false,
  },
  {
    name: "a number as a value",
    value: { ...body, changes: [{ ...change, changes: { slot: { old: null, new: 7 } } }] },
    fast: false,
  },
  {
    name: "a value over 4096 characters",
    value: { ...body, changes: [{ ...change, changes: { slot: { old: null, new: "x".repeat(4097) } } }] },
    fast: false,
  },
  { name: "changes as an array", value: { ...body, changes: [{ ...change, changes: [] }] }, fast: false },
  { name: "not an object", value: [body], fast: false },
];

Deno.test("checkBatchBody() passes only what batchBodySchema accepts", async (t) => {
  for (const c of batchCases) {
    await t.step(c.name, () => {
      const fast = checkBatchBody(c.value);
      assert.equal(fast !== undefined, c.fast);
      assert.equal(batchBodySchema.safeParse(c.value).success, c.fast);
    });
  }
});

const rows = [{ volume: "A00001L7", fields: { repository: "LIBR", moveDate: "2026-12-01" } }, {
  volume: "B1",
  fields: {},
}];
const lineCases: { name: string; value: unknown; fast: boolean }[] = [
  { name: "a chunk of rows", value: { rows }, fast: true },
  { name: "an empty chunk", value: { rows: [] }, fast: true },
  { name: "the closing line", value: { end: true, volumes: 12 }, fast: true },
  { name: "a closing line with a negative count", value: { end: true, volumes: -1 }, fast: false },
  { name: "a closing line with a fractional count", value: { end: true, volumes: 1.5 }, fast: false },
  { name: "a closing line with end false", value: { end: false, volumes: 1 }, fast: false },
  { name: "a closing line with an extra key", value: { end: true, volumes: 1, more: 1 }, fast: false },
  { name: "rows and an extra key", value: { rows, next: "x" }, fast: false },
  { name: "a row without fields", value: { rows: [{ volume: "A1" }] }, fast: false },
  {
    name: "a row with a number value",
    value: { rows: [{ volume: "A1", fields: { slot: 7 } }] },
    fast: false,
  },
  {
    name: "a row with a bad field name",
    value: { rows: [{ volume: "A1", fields: { "1slot": "7" } }] },
    fast: false,
  },
  { name: "a row with a backslash volume", value: { rows: [{ volume: "A\\1", fields: {} }] }, fast: false },
  { name: "null", value: null, fast: false },
];

Deno.test("checkScopeLine() passes only what scopeLineSchema accepts", async (t) => {
  for (const c of lineCases) {
    await t.step(c.name, () => {
      assert.equal(checkScopeLine(c.value) !== undefined, c.fast);
      assert.equal(scopeLineSchema.safeParse(c.value).success, c.fast);
    });
  }
});
