import { describe, expect, it } from "vitest";
import { createJsonLogger } from "./logger.ts";

describe("JSON logger", () => {
  it("writes one JSON object per line with the given fields", () => {
    const lines: string[] = [];
    createJsonLogger("info", (line) => lines.push(line)).log("info", "request", { status: 200 });
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({
      level: "info",
      message: "request",
      status: 200,
    });
  });

  it("drops lines below the minimum level", () => {
    const lines: string[] = [];
    createJsonLogger("warn", (line) => lines.push(line)).log("info", "noise");
    expect(lines).toEqual([]);
  });

  it("masks any 16-digit run that slipped into a field", () => {
    const lines: string[] = [];
    createJsonLogger("info", (line) => lines.push(line)).log("error", "oops", {
      url: "/x/3273014501900001",
    });
    expect(lines[0]).not.toContain("3273014501900001");
    expect(lines[0]).toContain("327301**********");
  });
});
