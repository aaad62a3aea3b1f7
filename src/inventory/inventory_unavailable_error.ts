/**
 * @module
 * Raised when an inventory cannot be reached or opened; the CLI maps it to exit code 3.
 */

/** The inventory cannot be reached (server down, file unreadable). Carries the location without userinfo. */
export class InventoryUnavailableError extends Error {
  override name = "InventoryUnavailableError";
  /**
   * @param location file path or URL without userinfo
   * @param attempts how many times the call was tried
   * @param detail what failed, without secrets
   */
  constructor(readonly location: string, readonly attempts: number, detail: string, options?: ErrorOptions) {
    super(`Cannot reach the inventory at "${location}" after ${attempts} attempt(s): ${detail}`, options);
  }
}
