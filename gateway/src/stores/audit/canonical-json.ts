/** Canonical JSON (RFC 8785 JCS) for the values audit records hold, so hashes are reproducible. */

/*
 * Written by hand because the subset needed is small and a dependency for it would be larger
 * than this: object keys sorted by UTF-16 code units (RFC 8785 §3.2.3, which is what
 * Array.prototype.sort does on strings), no whitespace, strings and numbers as ECMAScript's
 * JSON.stringify writes them (§3.2.2.2 and §3.2.2.3 are defined by ECMA-262). Properties whose
 * value is undefined are left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") {
    return JSON.stringify(value);
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError("canonical JSON has no NaN or Infinity");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? "null" : canonicalJson(item))).join(",")}]`;
  }
  if (typeof value === "object") {
    const members = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map(
        (key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
      );
    return `{${members.join(",")}}`;
  }
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}
