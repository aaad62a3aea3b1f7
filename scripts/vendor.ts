/**
 * @module
 * Writes src/deps/vendor/: packages bundled into one ES module file each, at the version deno.json pins
 * (or from sources vendored unchanged), because loading them from npm or as many modules costs a large
 * part of every cold start (docs/agent.md, "Cold start"):
 * - `yaml.js`: the `yaml` package's ES module build. Deno resolves `npm:yaml` to the CommonJS build (its
 *   exports map lists "node" before the ES build): about 55 ms against 4 ms for this file.
 * - `zod.js`: the `z.` functions tapesync's code calls (found by `zodNamesUsed` in src/ and tests/), so the
 *   bundler leaves out every schema type, the 40-odd message locales other than English, JSON Schema
 *   conversion and the `core` namespace. From npm, zod costs about 40 ms to load; all of its exports in one
 *   file about 14 ms; only the used ones about 8.5 ms.
 * - `croner.js`: the package's ES module build. The agent's commands (`agent --check` too) load it; from npm
 *   it costs about 5 ms of Deno's npm resolution, this file about 2 ms, and `agent --check` then loads no
 *   npm package at all.
 * - `std_yaml.js`: `@std/yaml`'s parser, from its sources vendored unchanged in src/deps/vendor/std_yaml/
 *   (19 modules): one file loads in about 6 ms against 10 ms for the modules.
 * - `postgres.js`: the package's ES module build, its Node built-ins (`node:net`, `node:tls`, ...) taken
 *   with `process.getBuiltinModule` when the file is first evaluated instead of by `import` statements
 *   (`nodeBuiltinsOnUse`). Only `serve --db postgres://...` evaluates it; but a one-file bundle
 *   (dist/tapesync.js) hoists every `import` of a built-in to its start, and Deno's Node layer then costs
 *   every command about 40 ms (`version` from the bundle: 135 against 93 ms).
 *
 * The types stay the packages' own (`// @ts-types` in src/deps/). `tests/deps/vendor_test.ts` fails when a
 * file is not what this script writes, so a version bump in deno.json cannot leave a stale copy behind.
 *
 * @example
 * ```sh
 * deno run -A scripts/vendor.ts           # rewrite src/deps/vendor/*.js
 * deno run -A scripts/vendor.ts --check   # exit 1 when a file is out of date
 * ```
 */

const root = decodeURIComponent(new URL("../", import.meta.url).pathname).replace(/^\/([A-Za-z]:)/, "$1");

/** A package vendored into one file. */
export interface VendoredPackage {
  /** The npm package name, also the key in deno.json's imports; or, with `folder`, the file's own name. */
  name: string;
  /**
   * Built from sources vendored unchanged into this folder of src/deps/vendor/ (a package JSR publishes,
   * which cannot be reached here) instead of from npm.
   */
  folder?: string;
  /** Where the vendored file lives. */
  path: string;
  /** Its license text, which must go with every copy. */
  license: string;
  /** What the file holds, said in its header. */
  holds: string;
  /** The entry module bundled, given `sourceOf(package)`. */
  entry(source: string): Promise<string>;
  /** The bundler's platform: `browser` (default) picks a package's ES module build, `deno` keeps `node:`. */
  platform?: "browser" | "deno";
  /** A change made to the bundled text. */
  rewrite?(text: string): string;
}

/**
 * The `import` statements of Node built-ins in a bundled text, rewritten to take each built-in with
 * `process.getBuiltinModule` (the same objects: a default import is the module itself) when the text is
 * evaluated, so a bundle that holds it loads Deno's Node layer only when the code that needs it runs.
 * @throws when an import is left that this does not know how to rewrite
 */
export function nodeBuiltinsOnUse(text: string): string {
  const rewritten = text
    .replace(
      /^import (\w+) from "(node:[\w/]+)";$/gm,
      (_, name, builtin) => `const ${name} = process.getBuiltinModule("${builtin}");`,
    )
    .replace(
      /^import \{ ([\w ,]+) \} from "(node:[\w/]+)";$/gm,
      (_, names: string, builtin) =>
        `const { ${names.replace(/(\w+) as (\w+)/g, "$1: $2")} } = process.getBuiltinModule("${builtin}");`,
    );
  const left = rewritten.match(/^import .*$/m);
  if (left) throw new Error(`nodeBuiltinsOnUse cannot rewrite: ${left[0]}`);
  return rewritten;
}

/** The MIT license's text under a package's own title and copyright lines. */
function mitLicense(heading: string): string {
  return `${heading}

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.`;
}

/** zod's exports never vendored, even if named (the package itself twice, and what they would cost). */
export const ZOD_LEFT_OUT = ["default", "z", "core", "locales", "toJSONSchema", "fromJSONSchema"];

/**
 * The names tapesync's code calls as `z.name` (in src/ and tests/) that are run-time exports of zod, less
 * `ZOD_LEFT_OUT`: what the vendored zod holds. A `z.name` that only a type uses (`z.infer`) is not an
 * export and drops out.
 */
export async function zodNamesUsed(specifier: string): Promise<string[]> {
  const exported = new Set(Object.keys(await import(specifier)));
  const used = new Set<string>();
  for (const dir of ["src", "tests"]) {
    for await (const path of typeScriptFiles(`${root}${dir}`)) {
      for (const match of (await Deno.readTextFile(path)).matchAll(/\bz\.([A-Za-z_$][\w$]*)/g)) {
        used.add(match[1]);
      }
    }
  }
  return [...used].filter((name) => exported.has(name) && !ZOD_LEFT_OUT.includes(name)).sort();
}

async function* typeScriptFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory && entry.name !== "vendor") yield* typeScriptFiles(path);
    else if (entry.isFile && entry.name.endsWith(".ts")) yield path;
  }
}

/** The vendored packages. */
export const VENDORED: VendoredPackage[] = [
  {
    name: "yaml",
    path: `${root}src/deps/vendor/yaml.js`,
    holds: "the package's ES module build in one file",
    license: `Copyright Eemeli Aro <eemeli@gmail.com>

Permission to use, copy, modify, and/or distribute this software for any purpose
with or without fee is hereby granted, provided that the above copyright notice
and this permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES WITH
REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF MERCHANTABILITY AND
FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR ANY SPECIAL, DIRECT,
INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS
OF USE, DATA OR PROFITS, WHETHER IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER
TORTIOUS ACTION, ARISING OUT OF OR IN CONNECTION WITH THE USE OR PERFORMANCE OF
THIS SOFTWARE.`,
    entry: (specifier) => Promise.resolve(`export * from "${specifier}";\n`),
  },
  {
    name: "zod",
    path: `${root}src/deps/vendor/zod.js`,
    holds: "the exports tapesync calls (scripts/vendor.ts, zodNamesUsed) in one file",
    license: mitLicense("MIT License\n\nCopyright (c) 2025 Colin McDonnell"),
    // Named re-exports, unlike `export *`, let the bundler drop every schema type no used export reaches.
    entry: async (specifier) => {
      const names = await zodNamesUsed(specifier);
      return `export {\n${names.map((name) => `  ${name},\n`).join("")}} from "${specifier}";\n`;
    },
  },
  {
    name: "croner",
    path: `${root}src/deps/vendor/croner.js`,
    holds: "the package's ES module build in one file",
    license: mitLicense("The MIT License (MIT)\n\nCopyright (c) 2015-2026 Hexagon <github.com/Hexagon>"),
    entry: (specifier) => Promise.resolve(`export * from "${specifier}";\n`),
  },
  {
    name: "std_yaml",
    folder: "std_yaml",
    path: `${root}src/deps/vendor/std_yaml.js`,
    holds: "the parser and its error class in one file",
    license: mitLicense(
      "MIT License\n\nCopyright 2018-2026 the Deno authors.\n" +
        "Ported from js-yaml v3.13.1: Copyright 2011-2015 by Vitaly Puzrin. All rights reserved.",
    ),
    entry: (source) =>
      Promise.resolve(
        `export { parse } from "${root}${source}/parse.ts";\nexport { YamlSyntaxError } from "${root}${source}/types.ts";\n`,
      ),
  },
  {
    name: "postgres",
    path: `${root}src/deps/vendor/postgres.js`,
    holds: "the package's ES module build in one file, its Node built-ins taken when first evaluated",
    license:
      "The Unlicense (public domain), as the package's package.json says; the package ships no license text.",
    platform: "deno",
    rewrite: nodeBuiltinsOnUse,
    entry: (specifier) => Promise.resolve(`export { default } from "${specifier}";\n`),
  },
];

/** The `npm:name@x.y.z` specifier deno.json pins for a package. */
export function pinned(name: string): string {
  const config = JSON.parse(Deno.readTextFileSync(`${root}deno.json`));
  const specifier = config.imports?.[name];
  if (typeof specifier !== "string" || !new RegExp(`^npm:${name}@\\d+\\.\\d+\\.\\d+$`).test(specifier)) {
    throw new Error(
      `deno.json must pin "${name}" to an exact npm version, found ${JSON.stringify(specifier)}`,
    );
  }
  return specifier;
}

/** What a vendored file is built from: the `npm:name@x.y.z` deno.json pins, or its folder of sources. */
export function sourceOf(pkg: VendoredPackage): string {
  return pkg.folder === undefined ? pinned(pkg.name) : `src/deps/vendor/${pkg.folder}`;
}

/**
 * Build a vendored file's text: `deno bundle --platform browser` picks the package's ES module build; the
 * paths esbuild writes in its comments are made relative to the package, so the text does not depend on
 * where Deno's cache is.
 */
export async function buildVendored(pkg: VendoredPackage): Promise<string> {
  const source = sourceOf(pkg);
  // The folder esbuild's path comments are shown from, and how.
  const [folder, shown] = pkg.folder === undefined
    ? [`${pkg.name}/${source.slice(`npm:${pkg.name}@`.length)}`, source.slice("npm:".length)]
    : [source, pkg.folder];
  const dir = await Deno.makeTempDir({ prefix: "tapesync-vendor-" });
  try {
    const entry = `${dir}/entry.ts`;
    const output = `${dir}/${pkg.name}.js`;
    await Deno.writeTextFile(entry, await pkg.entry(source));
    const result = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--quiet", "--platform", pkg.platform ?? "browser", "--output", output, entry],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!result.success) {
      throw new Error(`deno bundle of ${source} failed:\n${new TextDecoder().decode(result.stderr)}`);
    }
    const packagePath = new RegExp(`^// .*?/${folder.replaceAll(".", "\\.")}/`, "gm");
    const text = (await Deno.readTextFile(output))
      .replace(packagePath, `// ${shown}/`)
      .replace(/^\/\/ .*entry\.ts$/gm, "// entry");
    const bundled = pkg.rewrite ? pkg.rewrite(text) : text;
    return `// Generated by scripts/vendor.ts from ${source}: ${pkg.holds}.
// Do not edit; run the script.
//
${pkg.license.split("\n").map((line) => `// ${line}`.trimEnd()).join("\n")}
${bundled}`;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  let stale = 0;
  for (const pkg of VENDORED) {
    const text = await buildVendored(pkg);
    if (Deno.args.includes("--check")) {
      let current = "";
      try {
        current = await Deno.readTextFile(pkg.path);
      } catch { /* missing: out of date */ }
      if (current === text) {
        console.log(`${pkg.path} is up to date (${sourceOf(pkg)})`);
      } else {
        console.error(`${pkg.path} is out of date: run "deno run -A scripts/vendor.ts"`);
        stale++;
      }
    } else {
      await Deno.mkdir(`${root}src/deps/vendor`, { recursive: true });
      await Deno.writeTextFile(pkg.path, text);
      console.log(`wrote ${pkg.path} from ${sourceOf(pkg)}`);
    }
  }
  if (stale > 0) Deno.exit(1);
}
