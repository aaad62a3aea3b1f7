/**
 * @module
 * The error for a run that found its job's lock held by another live run (a hook or the scheduler).
 */

/** Another run of the job holds the lock. Carries the holder so the message says who. */
export class LockBusyError extends Error {
  override name = "LockBusyError";
  /**
   * @param job the job name
   * @param holderPid process id of the holder
   * @param since when the holder took the lock (ms since the epoch)
   * @param waitedSeconds how long this run waited before giving up (0: it did not wait)
   */
  constructor(
    readonly job: string,
    readonly holderPid: number,
    readonly since: number,
    readonly waitedSeconds = 0,
  ) {
    const waited = waitedSeconds > 0 ? ` after waiting ${waitedSeconds} s` : "";
    super(
      `Cannot start job "${job}"${waited}: another run (pid ${holderPid}, since ${
        new Date(since).toISOString()
      }) holds its lock; this run was skipped`,
    );
  }
}
