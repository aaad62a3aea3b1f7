/**
 * @module
 * Reads a JSON request body with a size limit that holds whether or not the client sends Content-Length:
 * a declared length over the limit is refused before reading, a chunked body is counted as it arrives and
 * abandoned once past the limit.
 */
import { ApiError } from "./api_error.ts";

function tooLarge(limit: number): ApiError {
  return new ApiError(
    413,
    "body_too_large",
    `Cannot accept the request: the body is larger than ${limit} bytes`,
  );
}

/**
 * Read and parse a JSON body.
 * @param request the incoming request
 * @param limit most bytes accepted
 * @throws {ApiError} 413 past the limit, 415 when not JSON, 400 when the JSON does not parse
 */
export async function readJson(request: Request, limit: number): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    throw new ApiError(
      415,
      "unsupported_media_type",
      "Cannot accept the request: send the body as application/json",
    );
  }
  const header = request.headers.get("content-length");
  const length = header !== null && /^\d{1,15}$/.test(header) ? Number(header) : undefined;
  if (length !== undefined && length > limit) throw tooLarge(limit);
  if (request.body === null) {
    throw new ApiError(400, "bad_request", "Cannot accept the request: the body is empty");
  }
  // With a declared length the HTTP layer delivers exactly that many bytes: read them in one call (faster
  // than chunk by chunk). Without one (chunked), count while reading.
  const bytes = length !== undefined
    ? new Uint8Array(await request.arrayBuffer())
    : await readCounted(request.body, limit);
  if (bytes.byteLength > limit) throw tooLarge(limit);
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    // The parser's message quotes the body, which may hold a password: answer without it.
    throw new ApiError(400, "malformed_json", "Cannot accept the request: the body is not valid UTF-8 JSON", [
      { path: "body", message: "is not valid UTF-8 JSON" },
    ]);
  }
}

/** Read a body of unknown length, abandoning it past `limit` bytes. */
async function readCounted(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
