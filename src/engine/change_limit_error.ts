/**
 * @module
 * The guard of `--max-changes`: a run that would change more volumes than allowed is refused before anything
 * is written (a wrong export must not rewrite the inventory).
 */

/** The run would change more volumes than `--max-changes` allows; nothing was written. */
export class ChangeLimitError extends Error {
  override name = "ChangeLimitError";
  constructor(readonly limit: number, readonly found: number, readonly line: number) {
    super(
      `Cannot apply the run: it would change more than ${limit} volume(s) (${found} by input line ${line}); nothing was written`,
    );
  }
}
