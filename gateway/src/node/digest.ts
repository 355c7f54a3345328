/** Node's synchronous SHA-256, installed for the audit chain in place of WebCrypto's. */
import { createHash } from "node:crypto";
import { useSha256 } from "../crypto/digest.ts";

export function useNodeSha256(): void {
  useSha256(async (text) => createHash("sha256").update(text, "utf8").digest("hex"));
}
