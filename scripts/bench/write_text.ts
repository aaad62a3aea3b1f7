/**
 * @module
 * Writes a generated benchmark file: text pieces from a generator, buffered into chunks of about 1 MB
 * and written whole (a short write is continued), so every generator writes the same way.
 */

const CHUNK_CHARS = 1 << 20;

/**
 * Write the pieces to `path` (created or truncated).
 * @returns the bytes written
 */
export async function writeText(path: string, pieces: Iterable<string>): Promise<number> {
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const encoder = new TextEncoder();
  let bytes = 0;
  const flush = async (chunk: string) => {
    const data = encoder.encode(chunk);
    bytes += data.length;
    for (let off = 0; off < data.length;) off += await file.write(data.subarray(off));
  };
  try {
    let chunk = "";
    for (const piece of pieces) {
      chunk += piece;
      if (chunk.length > CHUNK_CHARS) {
        await flush(chunk);
        chunk = "";
      }
    }
    await flush(chunk);
  } finally {
    file.close();
  }
  return bytes;
}
