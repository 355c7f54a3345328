import { describe, expect, it } from "vitest";
import { encodeLines } from "./encode-lines.ts";

describe("encodeLines", () => {
  it("gives the UTF-8 of the texts joined, multi-byte characters included", () => {
    const texts = ['{"name":"SITI AMINAH"}\n', '{"note":"Sukabumi – é ✓ 🇮🇩"}\n', "", "done\n"];
    const bytes = encodeLines(texts);
    expect(bytes).toEqual(new TextEncoder().encode(texts.join("")));
    expect(new TextDecoder().decode(bytes)).toBe(texts.join(""));
  });

  it("gives an empty buffer for no texts", () => {
    expect(encodeLines([])).toEqual(new Uint8Array(0));
  });
});
