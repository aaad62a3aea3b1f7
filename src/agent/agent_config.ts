/**
 * @module
 * The agent config file (`agent.yaml`): its zod schema, the typed `AgentConfig`, and `parseAgentConfig`,
 * which reports every problem as a `DefinitionError` with file, line, column and YAML path.
 */
import { Cron } from "../deps/croner.ts";
import { z, type ZodError } from "../deps/zod.ts";
import { DefinitionError, positionOf, readYamlText } from "../definition/mod.ts";
import { parseDuration } from "./_duration.ts";

const duration = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({
      code: "custom",
      message: `a duration must be seconds or a value such as "30s", "5m", "1h": current value is "${value}"`,
    });
    return z.NEVER;
  }
  return ms;
});

const listen = z.string().transform((value, ctx) => {
  const match = /^(\[[0-9a-fA-F:]+\]|[^:\s]+):(\d{1,5})$/.exec(value.trim());
  const port = match ? Number(match[2]) : -1;
  if (match === null || port > 65535) {
    ctx.addIssue({
      code: "custom",
      message:
        `"listen" must be HOST:PORT such as "127.0.0.1:9464" (port 0 picks a free one): current value is "${value}"`,
    });
    return z.NEVER;
  }
  return { hostname: match[1].replace(/^\[|\]$/g, ""), port };
});

const GLOB_CHARS = /[*?[]/;

/** Where a job's export comes from: a file, the newest file matching a glob, or a command's output. */
export type JobInput =
  | { kind: "file"; path: string }
  | { kind: "glob"; pattern: string }
  | { kind: "command"; run: string | string[]; timeoutMs?: number };

const commandInput = z.strictObject({
  run: z.union([z.string().min(1), z.array(z.string()).min(1)]),
  timeout: duration.optional(),
});

const input = z.union([
  z.string().min(1).transform((path): JobInput =>
    GLOB_CHARS.test(path) ? { kind: "glob", pattern: path } : { kind: "file", path }
  ),
  z.strictObject({ file: z.string().min(1) }).transform((v): JobInput => ({ kind: "file", path: v.file })),
  z.strictObject({ glob: z.string().min(1) }).transform((v): JobInput => ({ kind: "glob", pattern: v.glob })),
  commandInput.transform((v): JobInput => ({ kind: "command", run: v.run, timeoutMs: v.timeout })),
], { error: "an input is a path, a glob, { file }, { glob } or { run, timeout }" });

const job = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
    error: "a job name must be letters, digits, '.', '_' or '-' (at most 64, used as a file name)",
  }),
  definition: z.string().min(1),
  input,
  schedule: z.string().min(1),
  timezone: z.string().min(1).optional(),
  jitter: duration.default(0),
  timeout: duration.optional(),
  retry: z.strictObject({
    count: z.int().min(0).max(100).default(0),
    backoff: duration.default(30_000),
    onExitCodes: z.array(z.int()).default([3, 70]),
  }).default({ count: 0, backoff: 30_000, onExitCodes: [3, 70] }),
  runOnStart: z.boolean().default(false),
  catchUp: z.boolean().default(false),
  server: z.string().min(1).optional(),
  db: z.string().min(1).optional(),
  passwordFile: z.string().min(1).optional(),
  set: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}),
  addVolumes: z.boolean().optional(),
  maxChanges: z.int().min(0).optional(),
}).superRefine((value, ctx) => {
  if (value.timezone !== undefined && !isTimeZone(value.timezone)) {
    ctx.addIssue({
      code: "custom",
      path: ["timezone"],
      message: `unknown time zone "${value.timezone}": use an IANA name such as Europe/Berlin or UTC`,
    });
  }
  // The pattern alone: whether it can fire does not depend on the zone, and croner with a named zone
  // starts ICU's time zone data (~20 ms of every `agent --check`).
  try {
    new Cron(value.schedule, { paused: true }).nextRun();
  } catch (error) {
    const reason = (error as Error).message.replace(/^Cron\w*:\s*/, "").split(". Original error")[0];
    ctx.addIssue({
      code: "custom",
      path: ["schedule"],
      message: `cannot use schedule "${value.schedule}": ${reason}`,
    });
  }
});

/** UTC's usual names, which V8's list of canonical zones leaves out. */
const UTC_NAMES = new Set(["UTC", "Etc/UTC", "GMT", "Etc/GMT"]);

/**
 * Whether a name is a time zone this runtime knows: the canonical IANA names are listed without loading
 * ICU's zone data; an alias (`US/Eastern`, `Etc/GMT+1`) is tried the slow way.
 */
function isTimeZone(name: string): boolean {
  if (UTC_NAMES.has(name) || Intl.supportedValuesOf("timeZone").includes(name)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const config = z.strictObject({
  server: z.string().min(1).optional(),
  db: z.string().min(1).optional(),
  passwordFile: z.string().min(1).optional(),
  stateDir: z.string().min(1).default("tapesync-state"),
  history: z.int().min(1).max(10_000).default(50),
  shutdownGrace: duration.default(30_000),
  health: z.strictObject({
    listen: listen.default({ hostname: "127.0.0.1", port: 0 }),
    token: z.string().min(16, { error: "a token must have at least 16 characters" }).optional(),
    tokenFile: z.string().min(1).optional(),
    failureThreshold: z.int().min(1).default(3),
  }).default({ listen: { hostname: "127.0.0.1", port: 0 }, failureThreshold: 3 }),
  log: z.strictObject({
    format: z.enum(["text", "json"]).default("text"),
    file: z.string().min(1).optional(),
    level: z.enum(["debug", "info", "warn", "error"]).default("info"),
  }).default({ format: "text", level: "info" }),
  jobs: z.array(job).min(1, { error: "the agent needs at least one job" }),
}).superRefine((value, ctx) => {
  const seen = new Set<string>();
  value.jobs.forEach((j, index) => {
    if (seen.has(j.name)) {
      ctx.addIssue({
        code: "custom",
        path: ["jobs", index, "name"],
        message: `job name "${j.name}" is used twice`,
      });
    }
    seen.add(j.name);
  });
});

/** The validated agent config, with durations in milliseconds and relative paths resolved. */
export type AgentConfig = z.infer<typeof config> & { file: string };
/** One scheduled job of the config. */
export type AgentJob = AgentConfig["jobs"][number];

function isAbsolute(path: string): boolean {
  return path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith("\\\\");
}

function resolvePath(baseDir: string, path: string): string {
  if (isAbsolute(path) || baseDir === "") return path;
  return `${baseDir.replace(/[\\/]+$/, "")}/${path}`;
}

function resolveJob(
  job: AgentJob,
  baseDir: string,
  config: { server?: string; db?: string; passwordFile?: string },
): AgentJob {
  const definition = job.definition.startsWith("builtin:")
    ? job.definition
    : resolvePath(baseDir, job.definition);
  const input: JobInput = job.input.kind === "file"
    ? { kind: "file", path: resolvePath(baseDir, job.input.path) }
    : job.input.kind === "glob"
    ? { kind: "glob", pattern: resolvePath(baseDir, job.input.pattern) }
    : job.input;
  const server = job.server ?? config.server;
  const db = job.db ?? config.db;
  const passwordFile = job.passwordFile ?? config.passwordFile;
  return {
    ...job,
    definition,
    input,
    server: server?.startsWith("file:") ? `file:${resolvePath(baseDir, server.slice(5))}` : server,
    db: db === undefined ? undefined : resolvePath(baseDir, db),
    passwordFile: passwordFile === undefined ? undefined : resolvePath(baseDir, passwordFile),
  };
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** zod's default messages in the project's message style; custom messages pass through. */
function issueMessage(issue: ZodError["issues"][number], data: unknown): string {
  switch (issue.code) {
    case "invalid_type": {
      const value = valueAt(data, issue.path);
      if (value === undefined) return "is required";
      const expected = `must be ${issue.expected === "array" ? "a list" : `a ${issue.expected}`}`;
      // A key written without a value (`schedule:`) reads as null in YAML.
      return value === null ? `${expected}: current value is empty` : expected;
    }
    case "too_small":
      if (issue.origin === "number" || issue.origin === "int") return `must be at least ${issue.minimum}`;
      return issue.origin === "string" && issue.minimum === 1 ? "must not be empty" : issue.message;
    case "too_big":
      return `must be at most ${issue.maximum}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => `"${String(v)}"`).join(", ")}`;
    default:
      return issue.message;
  }
}

/**
 * Parse and validate an agent config.
 * @param text the YAML text
 * @param file the file name for messages; relative paths in the config resolve against its folder
 * @returns the typed config
 * @throws {DefinitionError} with line, column and YAML path of the first problem
 * @example
 * ```ts
 * const config = parseAgentConfig(await Deno.readTextFile("agent.yaml"), "agent.yaml");
 * ```
 */
export function parseAgentConfig(text: string, file: string): AgentConfig {
  const yaml = readYamlText(text, file, "agent config");
  const data: unknown = yaml.value ?? {};
  // jitless: one parse of a small document; compiling zod's fast path for it costs more than it saves.
  const result = config.safeParse(data, { jitless: true });
  if (!result.success) {
    const issue = result.error.issues[0];
    const unknown = issue.code === "unrecognized_keys" ? issue.keys[0] : undefined;
    const { document, counter } = yaml.tree();
    // zod's path holds keys and list indexes (a symbol key cannot come from YAML); an unknown key is
    // pointed at itself.
    const keys = issue.path.filter((part): part is string | number => typeof part !== "symbol");
    const at = unknown === undefined ? keys : [...keys, unknown];
    const position = positionOf(document, counter, at, unknown !== undefined);
    const path = at.map(String).join(".");
    const problem = unknown === undefined ? issueMessage(issue, data) : `unknown key "${unknown}"`;
    throw new DefinitionError(file, position.line, position.column, path, problem, {
      subject: "agent config",
    });
  }
  const baseDir = file.includes("/") || file.includes("\\") ? file.replace(/[\\/][^\\/]*$/, "") : "";
  const value = result.data;
  return {
    ...value,
    file,
    server: value.server?.startsWith("file:")
      ? `file:${resolvePath(baseDir, value.server.slice(5))}`
      : value.server,
    db: value.db === undefined ? undefined : resolvePath(baseDir, value.db),
    passwordFile: value.passwordFile === undefined ? undefined : resolvePath(baseDir, value.passwordFile),
    stateDir: resolvePath(baseDir, value.stateDir),
    health: {
      ...value.health,
      tokenFile: value.health.tokenFile && resolvePath(baseDir, value.health.tokenFile),
    },
    log: { ...value.log, file: value.log.file && resolvePath(baseDir, value.log.file) },
    jobs: value.jobs.map((j) => resolveJob(j, baseDir, value)),
  };
}
