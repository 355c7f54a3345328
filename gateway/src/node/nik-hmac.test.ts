import { describe, expect, it } from "vitest";
import { createNikHasher } from "../stores/audit/nik-hmac.ts";
import { createNodeNikHasher } from "./nik-hmac.ts";

describe("Node NIK hasher", () => {
  const key = "a-test-key-that-is-at-least-32-bytes-long";

  it("gives exactly the WebCrypto digest, so Node and Workers trails agree", async () => {
    const web = createNikHasher(key);
    const node = createNodeNikHasher(key);
    for (const nik of ["3273014501900001", "1101010101010001", "9471015212990009"]) {
      expect(await node(nik)).toBe(await web(nik));
    }
  });

  it("refuses short keys and anything but 16 ASCII digits", async () => {
    expect(() => createNodeNikHasher("short")).toThrow(RangeError);
    await expect(createNodeNikHasher(key)("327301450190000")).rejects.toThrow(TypeError);
  });
});
