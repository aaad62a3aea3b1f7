/**
 * @module
 * Splits a byte stream into NDJSON lines and parses each, without holding more than one line of text.
 */

/**
 * Parse an NDJSON stream line by line.
 * @param body the response body
 * @param onChunk called for every chunk of bytes received (the client resets its idle timer there)
 * @throws {SyntaxError} when a line is not JSON
 */
export async function* readNdjson(
  body: ReadableStream<Uint8Array>,
  onChunk: () => void,
): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  let buffered = "";
  for await (const bytes of body) {
    onChunk();
    buffered += decoder.decode(bytes, { stream: true });
    let start = 0;
    let end = buffered.indexOf("\n", start);
    while (end !== -1) {
      if (end > start) yield JSON.parse(buffered.slice(start, end));
      start = end + 1;
      end = buffered.indexOf("\n", start);
    }
    buffered = buffered.slice(start);
  }
  buffered += decoder.decode();
  if (buffered.trim() !== "") yield JSON.parse(buffered);
}
