/**
 * @module
 * The run lock of a job, shared by scheduled runs and hook runs (`tapesync sync --job NAME`): a file in
 * `<stateDir>/locks/` created exclusively. Its holder's pid and process start time let a later run
 * recognise and take over the lock of a holder that died, even when the pid was reused.
 */
import type { Clock } from "./clock.ts";
import { LockBusyError } from "./lock_busy_error.ts";

/** What the lock file holds. */
export interface LockHolder {
  pid: number;
  /** Process start time as the OS reports it (Linux: clock ticks since boot), "" when unknown. */
  processStart: string;
  hostname: string;
  acquiredAt: number;
}

/** A held lock. */
export interface JobLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** Remove the lock file if it is still ours. Safe to call twice. */
  release(): Promise<void>;
}

/** Options of `acquireJobLock`. */
export interface AcquireOptions {
  /** Wait up to this long for a live holder to finish; 0 (default) fails at once. */
  waitSeconds?: number;
  /** Clock for waiting and the `acquiredAt` stamp (default: the system clock). */
  clock?: Clock;
  /** Stops waiting. */
  signal?: AbortSignal;
  /** Decides whether a holder is alive (tests replace it; default: `isHolderAlive`). */
  isAlive?: (holder: LockHolder) => Promise<boolean>;
}

const POLL_MS = 250;

/**
 * The start time of a process as the OS reports it, to tell a live holder from a reused pid.
 * @param pid the process id
 * @returns Linux: field 22 of /proc/PID/stat; elsewhere ""; undefined when no such process (Linux)
 */
export function processStartTime(pid: number): string | undefined {
  if (Deno.build.os !== "linux") return "";
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // The command name (field 2) may contain spaces and parentheses: fields are counted after the last ")".
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/**
 * Whether the process that wrote a lock is still running: same pid and same start time. A lock written on
 * another host is taken as alive (its process cannot be checked from here).
 */
export function isHolderAlive(holder: LockHolder): Promise<boolean> {
  if (holder.hostname !== Deno.hostname()) return Promise.resolve(true);
  if (Deno.build.os === "linux") {
    const start = processStartTime(holder.pid);
    return Promise.resolve(
      start !== undefined && (holder.processStart === "" || start === holder.processStart),
    );
  }
  return pidExists(holder.pid);
}

async function pidExists(pid: number): Promise<boolean> {
  const [cmd, args] = Deno.build.os === "windows"
    ? ["tasklist", ["/FI", `PID eq ${pid}`, "/NH", "/FO", "CSV"]]
    : ["ps", ["-p", String(pid), "-o", "pid="]];
  try {
    const { stdout } = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "null" }).output();
    return new TextDecoder().decode(stdout).includes(String(pid));
  } catch {
    return true; // cannot tell: never steal a lock that may be live
  }
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    const value = JSON.parse(await Deno.readTextFile(path)) as Partial<LockHolder>;
    if (typeof value.pid !== "number") return undefined;
    return {
      pid: value.pid,
      processStart: String(value.processStart ?? ""),
      hostname: String(value.hostname ?? ""),
      acquiredAt: Number(value.acquiredAt ?? 0),
    };
  } catch {
    return undefined;
  }
}

async function tryCreate(path: string, holder: LockHolder): Promise<boolean> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { write: true, createNew: true, mode: 0o644 });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  }
  try {
    await file.write(new TextEncoder().encode(JSON.stringify(holder)));
  } finally {
    file.close();
  }
  return true;
}

/**
 * Move a dead holder's lock aside. The rename makes only one contender win; if the file moved was not the
 * dead one (another run took over meanwhile), it is put back.
 */
async function removeStale(path: string, stale: LockHolder): Promise<void> {
  const aside = `${path}.stale-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  try {
    await Deno.rename(path, aside);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  const moved = await readHolder(aside);
  if (moved && (moved.pid !== stale.pid || moved.acquiredAt !== stale.acquiredAt)) {
    await Deno.link(aside, path).catch(() => {});
  }
  await Deno.remove(aside).catch(() => {});
}

/**
 * Take the run lock of a job, recovering the lock of a dead holder.
 * @param stateDir the agent's state directory (locks live in `locks/` under it)
 * @param job the job name
 * @param options waiting, clock, liveness check
 * @returns the held lock; call `release()` in a `finally`
 * @throws {LockBusyError} a live run holds the lock (after waiting `waitSeconds`, if given)
 * @example
 * ```ts
 * const lock = await acquireJobLock("/var/lib/tapesync", "tsm", { waitSeconds: 60 });
 * try { await runTheSync(); } finally { await lock.release(); }
 * ```
 */
export async function acquireJobLock(
  stateDir: string,
  job: string,
  options: AcquireOptions = {},
): Promise<JobLock> {
  const now = () => options.clock?.now() ?? Date.now();
  const sleep = (ms: number) =>
    options.clock?.sleep(ms, options.signal) ?? new Promise<void>((resolve) => setTimeout(resolve, ms));
  const isAlive = options.isAlive ?? isHolderAlive;
  const waitMs = (options.waitSeconds ?? 0) * 1000;
  await Deno.mkdir(`${stateDir}/locks`, { recursive: true });
  const path = `${stateDir}/locks/${job}.lock`;
  const started = now();
  const holder: LockHolder = {
    pid: Deno.pid,
    processStart: processStartTime(Deno.pid) ?? "",
    hostname: Deno.hostname(),
    acquiredAt: started,
  };
  for (;;) {
    if (await tryCreate(path, holder)) return heldLock(path, holder);
    const current = await readHolder(path);
    if (current === undefined) {
      // Being written right now, or garbage left by a crash between create and write.
      const info = await Deno.stat(path).catch(() => undefined);
      if (info?.mtime && now() - info.mtime.getTime() > 10_000) await Deno.remove(path).catch(() => {});
    } else if (!(await isAlive(current))) {
      await removeStale(path, current);
      continue;
    } else if (now() - started >= waitMs || options.signal?.aborted) {
      throw new LockBusyError(job, current.pid, current.acquiredAt, Math.round(waitMs / 1000));
    }
    await sleep(POLL_MS);
  }
}

function heldLock(path: string, holder: LockHolder): JobLock {
  let released = false;
  return {
    path,
    holder,
    async release() {
      if (released) return;
      released = true;
      const current = await readHolder(path);
      if (current && current.pid === holder.pid && current.acquiredAt === holder.acquiredAt) {
        await Deno.remove(path).catch(() => {});
      }
    },
  };
}

/**
 * Run `body` while holding a job's lock: what `tapesync sync --state-dir DIR --job NAME` does so a hook
 * run and the agent's scheduled run of the same job never overlap.
 * @param stateDir the agent's state directory
 * @param job the job name
 * @param options waiting (`waitSeconds`), clock, signal
 * @param body the run
 * @returns what `body` returns
 * @throws {LockBusyError} a live run holds the lock (after waiting, if asked); `body` did not run
 * @example
 * ```ts
 * const outcome = await withJobLock(stateDir, "drmedia", { waitSeconds: 60 }, () => runSync(options, io));
 * ```
 */
export async function withJobLock<T>(
  stateDir: string,
  job: string,
  options: AcquireOptions,
  body: () => Promise<T>,
): Promise<T> {
  const lock = await acquireJobLock(stateDir, job, options);
  try {
    return await body();
  } finally {
    await lock.release();
  }
}
