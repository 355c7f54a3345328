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
  // Plain loops rather than map/filter/join: every audit record is hashed through here, so
  // its intermediate arrays showed up in the lookup path's garbage collection.
  if (Array.isArray(value)) {
    let text = "[";
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      text += `${i === 0 ? "" : ","}${item === undefined ? "null" : canonicalJson(item)}`;
    }
    return `${text}]`;
  }
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    let text = "{";
    for (const key of keys) {
      const member = record[key];
      if (member === undefined) continue;
      text += `${text.length === 1 ? "" : ","}${JSON.stringify(key)}:${canonicalJson(member)}`;
    }
    return `${text}}`;
  }
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}
