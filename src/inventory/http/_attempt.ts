/**
 * @module
 * The pieces of one HTTP attempt the client shares between its calls: the failure that deserves another
 * attempt, the answer with its idle timer, the message of an error answer, and query strings.
 */
import { errorBodySchema } from "./wire_schemas.ts";

/** A failure worth another attempt (connection error, timeout, 5xx). */
export class RetryableFailure extends Error {
  override name = "RetryableFailure";
}

/** One attempt's answer with the idle timer that guards reading its body. */
export interface Attempt {
  response: Response;
  /** Restart the idle timer (a chunk arrived). */
  touch(): void;
  /** Stop the idle timer. */
  release(): void;
}

/** The message of an error answer, or empty when the body is not ours. */
export async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  try {
    const parsed = errorBodySchema.safeParse(await response.json());
    if (parsed.success) return { code: parsed.data.error.code, message: parsed.data.error.message };
  } catch {
    // Not a JSON body (a proxy's page): the status alone describes it.
  }
  return { code: "", message: "" };
}

/** The message of an error and of its causes ("fetch failed: invalid peer certificate: ..."). */
export function describe(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; current !== undefined && parts.length < 4;) {
    parts.push(current instanceof Error ? current.message : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(": ");
}

export function queryString(query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}
