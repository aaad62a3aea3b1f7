/**
 * @module
 * The agent's log: one line per event, as text or JSON, filtered by level, written through a function the
 * CLI passes in (stderr or a file). Never given secrets: callers log names, counts and messages only.
 */

/** Log levels, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Structured details of an event. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** Where the agent logs. */
export interface AgentLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Options of `createAgentLogger`. */
export interface AgentLoggerOptions {
  /** `text` (default): `TIME LEVEL message key=value`; `json`: one object per line. */
  format?: "text" | "json";
  /** Lowest level written (default `info`). */
  level?: LogLevel;
  /** Receives each line, newline included. */
  write: (line: string) => void;
  /** Time source for the stamp (default `Date.now`). */
  now?: () => number;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

function textValue(value: string | number | boolean | null): string {
  const text = String(value);
  return /^[^\s"=]+$/.test(text) ? text : JSON.stringify(text);
}

/**
 * Build a logger.
 * @param options format, level and the line writer
 * @returns a logger that drops events below the level
 * @example
 * ```ts
 * const log = createAgentLogger({ format: "json", write: (line) => Deno.stderr.writeSync(new TextEncoder().encode(line)) });
 * log.info("job finished", { job: "tsm", exitCode: 0 });
 * ```
 */
export function createAgentLogger(options: AgentLoggerOptions): AgentLogger {
  const min = RANK[options.level ?? "info"];
  const now = options.now ?? Date.now;
  const emit = (level: LogLevel, message: string, fields: LogFields = {}) => {
    if (RANK[level] < min) return;
    const time = new Date(now()).toISOString();
    const defined = Object.entries(fields).filter((
      entry,
    ): entry is [string, string | number | boolean | null] => entry[1] !== undefined);
    if (options.format === "json") {
      options.write(`${JSON.stringify({ time, level, message, ...Object.fromEntries(defined) })}\n`);
    } else {
      const tail = defined.map(([key, value]) => ` ${key}=${textValue(value)}`).join("");
      options.write(`${time} ${level.toUpperCase().padEnd(5)} ${message}${tail}\n`);
    }
  };
  return {
    debug: (message, fields) => emit("debug", message, fields),
    info: (message, fields) => emit("info", message, fields),
    warn: (message, fields) => emit("warn", message, fields),
    error: (message, fields) => emit("error", message, fields),
  };
}
