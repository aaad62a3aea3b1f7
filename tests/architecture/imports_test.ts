import assert from "node:assert/strict";

/** Which src/ folders each folder may import (STYLE.md section 2), besides itself and deps/. */
const ALLOWED: Record<string, string[]> = {
  definition: [],
  inventory: [],
  source: ["definition"],
  transform: ["definition", "source"],
  engine: ["definition", "source", "transform", "inventory"],
  server: ["inventory"],
  agent: ["engine", "definition", "source", "inventory"],
  cli: ["definition", "source", "transform", "engine", "inventory", "server", "agent"],
  deps: [],
};

const srcDir = new URL("../../src/", import.meta.url);

async function* sourceFiles(dir: URL, prefix = ""): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory) yield* sourceFiles(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`);
    else if (entry.name.endsWith(".ts")) yield `${prefix}${entry.name}`;
  }
}

/** Import specifiers of a file (static and dynamic, type-only included). */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)[^"';]*?from\s+["']([^"']+)["']/g)) {
    found.push(match[1]);
  }
  for (const match of text.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)) found.push(match[1]);
  return found;
}

function resolveFolder(file: string, specifier: string): string | undefined {
  const url = new URL(specifier, new URL(file, srcDir));
  const path = url.pathname.slice(srcDir.pathname.length);
  return url.pathname.startsWith(srcDir.pathname) ? path.split("/")[0] : "(outside src)";
}

Deno.test("src/ imports follow the data path of STYLE.md: no backward or sideways edges", async (t) => {
  const violations: string[] = [];
  let files = 0;
  for await (const file of sourceFiles(srcDir)) {
    files++;
    const folder = file.split("/")[0];
    const text = await Deno.readTextFile(new URL(file, srcDir));
    for (const specifier of specifiers(text)) {
      if (!specifier.startsWith(".")) {
        if (folder !== "deps" && !specifier.startsWith("node:")) {
          violations.push(`${file}: third-party "${specifier}" outside src/deps`);
        }
        continue;
      }
      const target = resolveFolder(file, specifier);
      if (target === undefined || target === folder || target === "deps") continue;
      if (target.endsWith(".ts") && folder === target) continue;
      if (!(ALLOWED[folder] ?? []).includes(target)) violations.push(`${file} -> ${target} ("${specifier}")`);
      const privateImport = /\/_[^/]+\.ts$/.test(specifier) && target !== folder;
      if (privateImport) violations.push(`${file}: imports private module "${specifier}" of ${target}/`);
    }
  }
  await t.step("the scan saw the source tree", () => assert.ok(files > 20, `only ${files} files found`));
  await t.step("no forbidden edge", () => assert.deepEqual(violations, []));
});

Deno.test("node:sqlite is reached only through src/deps", async () => {
  const violations: string[] = [];
  for await (const file of sourceFiles(srcDir)) {
    const folder = file.split("/")[0];
    const text = await Deno.readTextFile(new URL(file, srcDir));
    for (const specifier of specifiers(text)) {
      if (specifier === "node:sqlite" && folder !== "deps") {
        violations.push(`${file}: node:sqlite outside deps`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

Deno.test("no catch-all module names (utils, helpers, common, misc) in src/", async () => {
  const bad: string[] = [];
  for await (const file of sourceFiles(srcDir)) {
    if (file.startsWith("deps/vendor/")) continue; // other projects' code, kept as they wrote it
    if (/(^|\/)_?(utils?|helpers?|common|misc)(\.ts|\/)/.test(file)) bad.push(file);
  }
  assert.deepEqual(bad, []);
});
