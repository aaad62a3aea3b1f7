/**
 * @module
 * Builders shared by the agent tests: a job with defaults, a quiet or capturing logger, a temp state dir.
 */
import { type AgentJob, type AgentLogger, createAgentLogger } from "../../src/agent/mod.ts";

/** A job with the defaults the config schema would give, overridden by `fields`. */
export function makeJob(fields: Partial<AgentJob> & Pick<AgentJob, "name" | "schedule">): AgentJob {
  return {
    definition: "builtin:generic-csv",
    input: { kind: "file", path: "/dev/null" },
    jitter: 0,
    retry: { count: 0, backoff: 30_000, onExitCodes: [3, 70] },
    runOnStart: false,
    catchUp: false,
    set: {},
    ...fields,
  };
}

/** A logger that keeps its lines. */
export function memoryLogger(): AgentLogger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(
    createAgentLogger({ format: "json", level: "debug", write: (line) => lines.push(line) }),
    {
      lines,
    },
  );
}

/** Run `body` with a fresh temp directory, removed afterwards. */
export async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-agent-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
