/** Small WebCrypto helpers that work the same on Node and Workers. */

const encoder = new TextEncoder();

/** Two hex digits for each byte value. */
export const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) =>
  byte.toString(16).padStart(2, "0"),
);

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let hex = "";
  for (let i = 0; i < view.length; i++) hex += HEX_BYTE[view[i] as number];
  return hex;
}

/** WebCrypto's SHA-256, the default everywhere until an entry installs another. */
export const webCryptoSha256 = async (text: string): Promise<string> =>
  toHex(await crypto.subtle.digest("SHA-256", encoder.encode(text)));

let sha256Implementation = webCryptoSha256;

/** SHA-256 of UTF-8 text as lower-case hex (the audit chain's hash). */
export function sha256Hex(text: string): Promise<string> {
  return sha256Implementation(text);
}

/**
 * Lets a runtime entry supply a faster SHA-256 with the same output (Node's synchronous
 * node:crypto beats queueing a WebCrypto job per audit record); WebCrypto is the default.
 */
export function useSha256(implementation: (text: string) => Promise<string>): void {
  sha256Implementation = implementation;
}

/** Compares two equal-purpose strings without an early exit, so timing reveals nothing. */
export function timingSafeEqual(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  let difference = left.length ^ right.length;
  for (let i = 0; i < left.length; i++)
    difference |= (left[i] ?? 0) ^ (right[i % right.length] ?? 0);
  return difference === 0;
}
