import { describe, expect, it } from "vitest";
import { createLineWriter } from "./line-writer.ts";

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("line writer", () => {
  it("writes a burst of lines in one write, in order, at the end of the turn", async () => {
    const writes: string[] = [];
    const writer = createLineWriter({ stream: { write: (chunk) => writes.push(chunk) } });
    for (let i = 0; i < 100; i++) writer.write(`line ${i}`);
    expect(writes, "nothing is written before the turn ends").toEqual([]);
    await turn();
    expect(writes).toHaveLength(1);
    expect(writes[0]?.split("\n")).toEqual([
      ...Array.from({ length: 100 }, (_, i) => `line ${i}`),
      "",
    ]);
  });

  it("keeps every write within the cap, starting a new write before a line would pass it", async () => {
    const writes: string[] = [];
    const writer = createLineWriter({
      stream: { write: (chunk) => writes.push(chunk) },
      maxWriteBytes: 25,
    });
    writer.write("0123456789");
    writer.write("0123456789");
    writer.write("0123456789");
    await turn();
    expect(writes).toEqual(["0123456789\n0123456789\n", "0123456789\n"]);
  });

  it("counts bytes, not characters, against the cap", async () => {
    const writes: string[] = [];
    const writer = createLineWriter({
      stream: { write: (chunk) => writes.push(chunk) },
      maxWriteBytes: 16,
    });
    writer.write("ééééé"); // 10 bytes + newline
    writer.write("ééééé");
    await turn();
    expect(writes).toEqual(["ééééé\n", "ééééé\n"]);
  });

  it("flush writes what is pending, and a later turn writes nothing twice", async () => {
    const writes: string[] = [];
    const writer = createLineWriter({ stream: { write: (chunk) => writes.push(chunk) } });
    writer.write("a");
    writer.flush();
    await turn();
    expect(writes).toEqual(["a\n"]);
  });
});
