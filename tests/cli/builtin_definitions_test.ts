import assert from "node:assert/strict";
import { renderBuiltins } from "../../scripts/gen_builtins.ts";
import { builtinDefinition, builtinNames } from "../../src/definition/builtin.ts";
import { DefinitionError, loadDefinition } from "../../src/definition/mod.ts";

Deno.test("builtin definitions: the generated module matches definitions/*.yaml", async () => {
  const current = await Deno.readTextFile(
    new URL("../../src/definition/builtin_definitions.ts", import.meta.url),
  );
  assert.equal(current, await renderBuiltins(), "run: deno run -A scripts/gen_builtins.ts");
});

Deno.test("builtin definitions: each loads with only customer set, and refuses to load without it", async (t) => {
  const names = builtinNames();
  assert.ok(names.includes("generic-csv") && names.includes("tsm-drmedia"), names.join(", "));
  for (const name of names) {
    await t.step(name, () => {
      const text = builtinDefinition(name)!;
      const definition = loadDefinition(
        text,
        `builtin:${name}`,
        text.includes("${customer}") ? { customer: "ACME" } : {},
      );
      assert.equal(definition.version, 1);
      if (text.includes("${customer}")) {
        assert.throws(
          () => loadDefinition(text, `builtin:${name}`, {}),
          (error: unknown) =>
            error instanceof DefinitionError && /customer/.test(error.message) && /--set/.test(error.message),
        );
      }
    });
  }
});
