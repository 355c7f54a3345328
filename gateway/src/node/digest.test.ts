import { afterEach, describe, expect, it } from "vitest";
import { sha256Hex, useSha256 } from "../crypto/digest.ts";
import { useNodeSha256 } from "./digest.ts";

describe("Node SHA-256", () => {
  const web = async (text: string) => {
    const bytes = new Uint8Array(
      await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
    );
    return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  };
  afterEach(() => useSha256(web));

  it("hashes exactly as WebCrypto does, so chains verify on either runtime", async () => {
    useNodeSha256();
    for (const text of ["", "abc", '{"nik":"327301…","é":"ü"}', "x".repeat(10_000)]) {
      expect(await sha256Hex(text)).toBe(await web(text));
    }
  });
});
