/**
 * @module
 * Streaming decode of input bytes into batches of physical lines (LF, CRLF or bare CR), one batch per
 * chunk of input, with the 1-based number of the first line. Input that is not text in the chosen
 * encoding (NUL bytes, invalid UTF-8) stops the read with an `InputRecordError` naming its line.
 */
import type { LineRulesSpec } from "./_line_rules.ts";
import { InputRecordError } from "./input_record_error.ts";

/** Consecutive complete lines of the input, without their terminators. */
export interface LineBatch {
  /** 1-based line number of `lines[0]`. */
  first: number;
  lines: string[];
}

type Encoding = LineRulesSpec["encoding"];

const LINE_BREAKS = /\r\n?|\n/;

/** Split text that ends with a line terminator into its lines (the empty tail is dropped). */
function splitLines(text: string): string[] {
  const lines = text.indexOf("\r") === -1 ? text.split("\n") : text.split(LINE_BREAKS);
  lines.pop();
  return lines;
}

function countBreaks(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) count++;
  }
  return count;
}

function notText(inputName: string, line: number, encoding: Encoding, what: string): InputRecordError {
  return new InputRecordError(
    inputName,
    line,
    "",
    `Cannot read input: input is not text in encoding "${encoding}" (${what}); set source.encoding to the ` +
      `encoding of the export, or check that the file is the export and not a binary file`,
  );
}

/**
 * Decode a byte stream and yield its lines in batches.
 *
 * A UTF-8 or UTF-16 byte-order mark is removed. `latin1` is decoded as windows-1252, as the WHATWG Encoding
 * standard (and so `TextDecoder`) defines it; the two differ only in 0x80..0x9F, which latin1 leaves to
 * control characters that exports do not contain. A last line without a terminator is still a line.
 *
 * @param stream the input bytes
 * @param encoding the text encoding of the input
 * @param inputName the input's name for messages
 * @returns batches of complete lines, in input order
 * @throws {InputRecordError} NUL characters, byte sequences invalid in UTF-8 or UTF-16, or a UTF-16
 * byte-order mark under another encoding, with the line where they occur
 */
export async function* readLines(
  stream: ReadableStream<Uint8Array>,
  encoding: Encoding,
  inputName: string,
): AsyncGenerator<LineBatch> {
  const label = encoding === "latin1" ? "windows-1252" : encoding;
  const utf16 = label.startsWith("utf-16");
  const decoder = new TextDecoder(label, { fatal: label === "utf-8" || utf16 });
  let carry = "";
  let next = 1;
  let first = true;
  const failAt = (before: string, what: string): InputRecordError =>
    notText(inputName, next + countBreaks(carry + before), encoding, what);
  for await (const bytes of stream) {
    if (first && !utf16 && bytes.length >= 2 && bytes[0] + bytes[1] === 0x1fd && bytes[0] >= 0xfe) {
      throw failAt("", `it starts with a UTF-16 byte-order mark, so it is probably "utf-16le" or "utf-16be"`);
    }
    first = false;
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch {
      const loose = new TextDecoder(label).decode(bytes);
      throw failAt(loose.slice(0, Math.max(0, loose.indexOf("\uFFFD"))), "invalid byte sequence");
    }
    const nul = text.indexOf("\0");
    if (nul !== -1) throw failAt(text.slice(0, nul), "NUL byte");
    text = carry + text;
    // A CR at the very end may be the first half of a CRLF split across chunks: keep it for later.
    const end = text.charCodeAt(text.length - 1) === 13 ? text.length - 1 : text.length;
    const cut = end === 0
      ? 0
      : Math.max(text.lastIndexOf("\n", end - 1), text.lastIndexOf("\r", end - 1)) + 1;
    if (cut === 0) {
      carry = text;
      continue;
    }
    carry = text.slice(cut);
    const lines = splitLines(text.slice(0, cut));
    yield { first: next, lines };
    next += lines.length;
  }
  let tail: string;
  try {
    tail = carry + decoder.decode();
  } catch {
    throw notText(inputName, next + countBreaks(carry), encoding, "incomplete byte sequence at the end");
  }
  if (tail.length > 0) {
    const last = tail.charCodeAt(tail.length - 1);
    yield { first: next, lines: splitLines(last === 10 || last === 13 ? tail : tail + "\n") };
  }
}
