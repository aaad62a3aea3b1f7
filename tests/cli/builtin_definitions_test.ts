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

Deno.test("tapesync definitions lists the ready definitions and shows one, and refuses an unknown name", async (t) => {
  const { runCli } = await import("../../src/cli/main.ts");
  const { testIo } = await import("./_test_io.ts");
  await t.step("list: one line per definition with its description", async () => {
    const io = testIo();
    assert.equal(await runCli(["definitions", "list"], io), 0);
    const lines = io.stdout.trim().split("\n");
    assert.equal(lines.length, builtinNames().length);
    assert.match(io.stdout, /^tsm-drmedia\s+IBM Storage Protect DRMEDIA/m);
  });
  await t.step("show: the YAML text", async () => {
    const io = testIo();
    assert.equal(await runCli(["definitions", "show", "tsm-drmedia"], io), 0);
    assert.equal(io.stdout, builtinDefinition("tsm-drmedia"));
  });
  await t.step("show of an unknown name: exit 2", async () => {
    const io = testIo();
    assert.equal(await runCli(["definitions", "show", "nope"], io), 2);
    assert.match(io.stderr, /Cannot show definition "nope"/);
  });
});
