/**
 * @module
 * Test helpers of the source tests: run `openSource` over text or bytes fed in chunks of a chosen size,
 * and show events compactly as tuples for exact comparison.
 */
import { sourceSchema } from "../../src/definition/source_schema.ts";
import { openSource } from "../../src/source/mod.ts";
import type { SourceEvent } from "../../src/source/mod.ts";

/** An event as a tuple: kind, line, then names/values/reason, then `lines` when it is not 1. */
export type Shown = [string, number, string | string[]] | [string, number, string | string[], number];

/** A compact, exact view of one event. */
export function show(event: SourceEvent): Shown {
  const body = event.kind === "header" ? event.names : event.kind === "record" ? event.values : event.reason;
  const lines = event.lines ?? 1;
  return lines === 1 ? [event.kind, event.line, body] : [event.kind, event.line, body, lines];
}

/** A byte stream that delivers `bytes` in chunks of `size` (the whole input when size is 0). */
export function streamOf(bytes: Uint8Array, size = 0): ReadableStream<Uint8Array> {
  let at = 0;
  const step = size === 0 ? Math.max(bytes.length, 1) : size;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) controller.close();
      else {
        controller.enqueue(bytes.slice(at, at + step));
        at += step;
      }
    },
  });
}

/** Parse a raw `source:` section (defaults applied) and read all events of the input. */
export async function readEvents(
  source: unknown,
  input: string | Uint8Array,
  chunkSize = 0,
  inputName = "test.csv",
): Promise<SourceEvent[]> {
  const spec = sourceSchema.parse(source);
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
  const events: SourceEvent[] = [];
  for await (const batch of openSource(spec, streamOf(bytes, chunkSize), inputName)) events.push(...batch);
  return events;
}

/** Sum of the lines the events cover (must equal the input's line count). */
export function linesCovered(events: readonly SourceEvent[]): number {
  return events.reduce((sum, event) => sum + (event.lines ?? 1), 0);
}

/** Lines of a text: terminators LF, CRLF or bare CR; a last line without terminator counts. */
export function lineCount(text: string): number {
  if (text.length === 0) return 0;
  const breaks = text.match(/\r\n|\r|\n/g)?.length ?? 0;
  return /[\r\n]$/.test(text) ? breaks : breaks + 1;
}

/** A shared sample export, read as bytes. */
export function sample(name: string): Promise<Uint8Array> {
  return Deno.readFile(new URL(`../../../shared/samples/exports/${name}`, import.meta.url));
}
