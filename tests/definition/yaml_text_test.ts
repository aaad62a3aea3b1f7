import assert, { deepEqual, equal, throws } from "node:assert/strict";
import { DefinitionError, readYamlText } from "../../src/definition/mod.ts";
import { isMap, isScalar, isSeq, parseDocument, parseYaml } from "../../src/deps/yaml.ts";

const root = new URL("../../", import.meta.url);

/** Every YAML file shipped or used by the tests: definitions, agent configs, fixtures. */
async function yamlFiles(dir: URL, found: URL[] = []): Promise<URL[]> {
  for await (const entry of Deno.readDir(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory && !["node_modules", "dist", ".git"].includes(entry.name)) {
      await yamlFiles(url, found);
    } else if (entry.isFile && /\.ya?ml$/.test(entry.name)) found.push(url);
  }
  return found;
}

/** `yaml`'s value of a text, with a `null:` key read as the text "null" (as definitions mean it). */
function treeValue(text: string): unknown {
  const tree = parseDocument(text, { uniqueKeys: true });
  const nullKeysAsText = (node: unknown): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isScalar(pair.key) && pair.key.value === null) pair.key.value = "null";
        nullKeysAsText(pair.value);
      }
    } else if (isSeq(node)) node.items.forEach(nullKeysAsText);
  };
  nullKeysAsText(tree.contents);
  return tree.errors.length > 0 ? undefined : tree.toJS();
}

Deno.test("the value parser and the position parser agree on every YAML file of the repository", async () => {
  const files = [
    ...await yamlFiles(new URL("definitions/", root)),
    ...await yamlFiles(new URL("tests/", root)),
    ...await yamlFiles(new URL("docs/", root)).catch(() => []),
  ];
  assert(files.length >= 10, `only ${files.length} YAML files found`);
  for (const file of files) {
    const text = await Deno.readTextFile(file);
    const expected = treeValue(text);
    if (expected === undefined) continue; // a fixture that is broken on purpose
    deepEqual(parseYaml(text), expected, file.pathname);
  }
});

Deno.test("YAML 1.2 core schema: dates, yes/no and merge keys stay text; null keys are the text null", () => {
  const text = [
    "moveDate: 2026-12-01",
    "answer: yes",
    "off: no",
    "on: true",
    "nothing: ~",
    "empty:",
    "octal: 0o17",
    "hex: 0x1F",
    "float: 1.5e3",
    "quoted: '007'",
    "table: { null: EMPTY, 1: one }",
    "merge: { <<: { a: 1 }, b: 2 }",
    "",
  ].join("\n");
  const expected = treeValue(text);
  const value = parseYaml(text) as Record<string, unknown>;
  deepEqual(value, expected);
  equal(value.moveDate, "2026-12-01");
  equal(value.answer, "yes");
  equal(value.on, true);
  equal(value.nothing, null);
  equal(value.octal, 15);
  deepEqual(value.table, { null: "EMPTY", 1: "one" });
  deepEqual(value.merge, { "<<": { a: 1 }, b: 2 });
});

Deno.test("readYamlText gives the value, and the position tree on demand, parsed once", () => {
  const yaml = readYamlText("jobs:\n  - name: a\n    schedule: '* * * * *'\n", "agent.yaml");
  deepEqual(yaml.value, { jobs: [{ name: "a", schedule: "* * * * *" }] });
  const tree = yaml.tree();
  equal(yaml.tree(), tree, "the tree is parsed once");
  const { line, col } = tree.counter.linePos(
    (tree.document.getIn(["jobs", 0, "schedule"], true) as { range: number[] }).range[0],
  );
  deepEqual([line, col], [3, 15]);
});

Deno.test("readYamlText: not YAML is a DefinitionError at the problem's line and column", () => {
  const cases: [string, number, RegExp][] = [
    ["a: 1\nb: [1, 2\nc: 3\n", 3, /invalid YAML/],
    ["a: 1\nb: 2\na: 3\n", 3, /invalid YAML: Map keys must be unique/],
    ["a: 1\n---\nb: 2\n", 0, /invalid YAML/],
    ['key: "unterminated\n', 2, /invalid YAML: Missing closing "quote/],
  ];
  for (const [text, line, message] of cases) {
    throws(() => readYamlText(text, "bad.yaml"), (error: unknown) => {
      if (!(error instanceof DefinitionError)) return false;
      assert(message.test(error.problem), error.message);
      if (line > 0) equal(error.line, line, error.message);
      return true;
    });
  }
});
