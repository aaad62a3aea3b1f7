/**
 * @module
 * Every `source:` example in docs/definitions-source.md is a valid source section, so the documentation
 * cannot drift from the schema.
 */
import assert from "node:assert/strict";
import { parseDocument } from "../../src/deps/yaml.ts";
import { sourceSchema } from "../../src/definition/source_schema.ts";

const doc = await Deno.readTextFile(new URL("../../docs/definitions-source.md", import.meta.url));
const examples = [...doc.matchAll(/```yaml\n(source:[\s\S]*?)```/g)].map((match) => match[1]);

Deno.test("docs/definitions-source.md: every source example passes the schema", async (t) => {
  assert.ok(examples.length >= 15, `found ${examples.length} examples`);
  for (const [i, example] of examples.entries()) {
    const format = /format: (\w+)/.exec(example)?.[1] ?? "?";
    await t.step(`example ${i + 1} (${format})`, () => {
      const parsed = parseDocument(example);
      assert.deepEqual(parsed.errors, []);
      const result = sourceSchema.safeParse((parsed.toJS() as { source: unknown }).source);
      assert.equal(result.success, true, JSON.stringify(result.error?.issues));
    });
  }
});
