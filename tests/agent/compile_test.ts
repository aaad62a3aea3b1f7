/**
 * The compiled binary for this machine's target: built with `deno compile` when Deno's runtime for it is
 * available (DENORT_BIN or Deno's cache), otherwise skipped with the reason.
 */
import assert from "node:assert/strict";
import { compile, runtimeFor } from "../../scripts/build.ts";

const runtime = runtimeFor(Deno.build.target);
if (runtime.kind === "missing") console.warn(`skipped compiled-binary test: ${runtime.reason}`);

Deno.test({
  name: "deno compile builds a binary that prints its version and checks an agent config",
  ignore: runtime.kind === "missing",
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "tapesync-compile-" });
    try {
      const result = await compile(Deno.build.target, dir);
      assert.ok("built" in result, JSON.stringify(result));
      const run = async (...args: string[]) => {
        const out = await new Deno.Command(result.built, { args, stdout: "piped", stderr: "piped" }).output();
        return {
          code: out.code,
          text: new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr),
        };
      };
      const version = await run("version", "--json");
      assert.equal(version.code, 0, version.text);
      assert.equal(JSON.parse(version.text).target, Deno.build.target);
      const config = new URL("../fixtures/agent/agent.yaml", import.meta.url).pathname;
      const check = await run("agent", "--config", config, "--check");
      assert.equal(check.code, 0, check.text);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("deno compile with a runtime that is not denort (the deno program itself) fails the build and leaves no file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-compile-" });
  const saved = Deno.env.get("DENORT_BIN");
  const variable = `DENORT_BIN_${Deno.build.target.toUpperCase().replace(/-/g, "_")}`;
  const savedTarget = Deno.env.get(variable);
  try {
    Deno.env.delete(variable);
    Deno.env.set("DENORT_BIN", Deno.execPath());
    await assert.rejects(
      compile(Deno.build.target, dir),
      (error: Error) =>
        error.message.includes("the built file does not run as tapesync") &&
        error.message.includes(`not the denort of Deno ${Deno.version.deno}`),
    );
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    if (saved === undefined) Deno.env.delete("DENORT_BIN");
    else Deno.env.set("DENORT_BIN", saved);
    if (savedTarget !== undefined) Deno.env.set(variable, savedTarget);
    await Deno.remove(dir, { recursive: true });
  }
});
