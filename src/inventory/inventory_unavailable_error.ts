/**
 * @module
 * Raised when an inventory cannot be reached or opened; the CLI maps it to exit code 3.
 */

/** Options of {@link InventoryUnavailableError}. */
export interface InventoryUnavailableOptions extends ErrorOptions {
  /**
   * The inventory is a database file opened by this process (the embedded store), not a server: the
   * message says it cannot be opened, and the detail says what to do about the file.
   */
  file?: boolean;
}

/** The inventory cannot be reached (server down, file unreadable). Carries the location without userinfo. */
export class InventoryUnavailableError extends Error {
  override name = "InventoryUnavailableError";
  /** True for a database file of the embedded store (see {@link InventoryUnavailableOptions.file}). */
  readonly file: boolean;
  /**
   * @param location file path or URL without userinfo
   * @param attempts how many times the call was tried
   * @param detail what failed, without secrets
   */
  constructor(
    readonly location: string,
    readonly attempts: number,
    detail: string,
    options?: InventoryUnavailableOptions,
  ) {
    super(
      options?.file === true
        ? `Cannot open the inventory at "${location}": ${detail}`
        : `Cannot reach the inventory at "${location}" after ${attempts} attempt(s): ${detail}`,
      options,
    );
    this.file = options?.file === true;
  }
}
