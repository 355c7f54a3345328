import { describe, expect, it } from "vitest";
import { MAX_LINE_BYTES, readLines } from "./ndjson.ts";

function streamOf(...parts: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) {
        controller.enqueue(typeof part === "string" ? encoder.encode(part) : part);
      }
      controller.close();
    },
  });
}

async function all(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of readLines(stream)) out.push(line);
  return out;
}

describe("readLines", () => {
  it("splits lines across chunk boundaries, with CRLF and blank lines", async () => {
    expect(await all(streamOf('{"a":', "1}\r\n\n", '{"b":2}\n{"c"', ":3}"))).toEqual([
      '{"a":1}',
      '{"b":2}',
      '{"c":3}',
    ]);
  });

  it("decodes a multi-byte character split between chunks", async () => {
    const bytes = new TextEncoder().encode('{"nama":"Siti Aisyah — Bandung"}\n');
    const dash = bytes.indexOf(0xe2);
    expect(await all(streamOf(bytes.slice(0, dash + 1), bytes.slice(dash + 1)))).toEqual([
      '{"nama":"Siti Aisyah — Bandung"}',
    ]);
  });

  it("refuses a line longer than its cap instead of buffering it", async () => {
    await expect(all(streamOf("x".repeat(MAX_LINE_BYTES + 10)))).rejects.toBeInstanceOf(RangeError);
  });
});
