/**
 * Checks a value against a zod schema with its precompiled validator answering first
 * (`scripts/gen-validators.ts`). A value the compiled check accepts is returned as it is; any other
 * goes to zod, which stays the judge of what fails and says why. On the request path the compiled
 * check costs a fraction of zod's parse, which builds a copy of every object it checks.
 */
import type { ZodType, z } from "zod";

type CompiledCheck = (value: unknown) => boolean;

/**
 * @example
 * const checkPerson = precompiled(validatePerson, Person);
 * const result = checkPerson(mapped); // zod's SafeParseResult
 */
export function precompiled<S extends ZodType>(
  compiled: CompiledCheck,
  schema: S,
): (value: unknown) => z.ZodSafeParseResult<z.output<S>> {
  return (value) =>
    compiled(value)
      ? { success: true, data: value as z.output<S> }
      : (schema.safeParse(value) as z.ZodSafeParseResult<z.output<S>>);
}

/**
 * A string's length as JSON Schema counts it (code points, as zod does too), for the compiled
 * validators: Ajv's own helper is a CommonJS module, and the generated ones must be plain ESM.
 */
export function codePointLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++, length++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
  }
  return length;
}
