/** The closed vocabulary of schema differences reported by the compatibility engine. */

/**
 * Every code `compare` can report. Stable: clients may switch on them. Codes ending in `_ADDED`
 * or `_REMOVED` speak about a keyword appearing or disappearing; `_INCREASED`/`_DECREASED` about a
 * bound moving; the two inclusion flags on each difference, not the code, decide breakage.
 */
export const DIFFERENCE_CODES = [
  // type
  "TYPE_WIDENED",
  "TYPE_NARROWED",
  "TYPE_CHANGED",
  "TYPE_REWRITTEN",
  // enum and const
  "ENUM_ADDED",
  "ENUM_REMOVED",
  "ENUM_VALUE_ADDED",
  "ENUM_VALUE_REMOVED",
  "CONST_ADDED",
  "CONST_REMOVED",
  "CONST_CHANGED",
  // numbers
  "MINIMUM_ADDED",
  "MINIMUM_REMOVED",
  "MINIMUM_INCREASED",
  "MINIMUM_DECREASED",
  "MAXIMUM_ADDED",
  "MAXIMUM_REMOVED",
  "MAXIMUM_INCREASED",
  "MAXIMUM_DECREASED",
  "MULTIPLE_OF_ADDED",
  "MULTIPLE_OF_REMOVED",
  "MULTIPLE_OF_CHANGED",
  "BOUND_REWRITTEN",
  // strings
  "MIN_LENGTH_ADDED",
  "MIN_LENGTH_REMOVED",
  "MIN_LENGTH_INCREASED",
  "MIN_LENGTH_DECREASED",
  "MAX_LENGTH_ADDED",
  "MAX_LENGTH_REMOVED",
  "MAX_LENGTH_INCREASED",
  "MAX_LENGTH_DECREASED",
  "PATTERN_ADDED",
  "PATTERN_REMOVED",
  "PATTERN_CHANGED",
  "FORMAT_ADDED",
  "FORMAT_REMOVED",
  "FORMAT_CHANGED",
  // arrays
  "ITEMS_CLOSED",
  "ITEMS_OPENED",
  "PREFIX_ITEM_ADDED",
  "PREFIX_ITEM_REMOVED",
  "MIN_ITEMS_ADDED",
  "MIN_ITEMS_REMOVED",
  "MIN_ITEMS_INCREASED",
  "MIN_ITEMS_DECREASED",
  "MAX_ITEMS_ADDED",
  "MAX_ITEMS_REMOVED",
  "MAX_ITEMS_INCREASED",
  "MAX_ITEMS_DECREASED",
  "UNIQUE_ITEMS_ADDED",
  "UNIQUE_ITEMS_REMOVED",
  // objects
  "PROPERTY_ADDED",
  "PROPERTY_REMOVED",
  "REQUIRED_ADDED",
  "REQUIRED_REMOVED",
  "ADDITIONAL_PROPERTIES_CLOSED",
  "ADDITIONAL_PROPERTIES_OPENED",
  "MIN_PROPERTIES_ADDED",
  "MIN_PROPERTIES_REMOVED",
  "MIN_PROPERTIES_INCREASED",
  "MIN_PROPERTIES_DECREASED",
  "MAX_PROPERTIES_ADDED",
  "MAX_PROPERTIES_REMOVED",
  "MAX_PROPERTIES_INCREASED",
  "MAX_PROPERTIES_DECREASED",
  // whole subschemas
  "SCHEMA_CLOSED",
  "SCHEMA_OPENED",
  // applicators and references
  "ALL_OF_ADDED",
  "ALL_OF_REMOVED",
  "ALL_OF_BRANCH_ADDED",
  "ALL_OF_BRANCH_REMOVED",
  "ANY_OF_ADDED",
  "ANY_OF_REMOVED",
  "ANY_OF_BRANCH_ADDED",
  "ANY_OF_BRANCH_REMOVED",
  "ONE_OF_ADDED",
  "ONE_OF_REMOVED",
  "ONE_OF_BRANCH_ADDED",
  "ONE_OF_BRANCH_REMOVED",
  "ONE_OF_EXCLUSIVITY_UNPROVEN",
  "NOT_ADDED",
  "NOT_REMOVED",
  "REF_ADDED",
  "REF_REMOVED",
  "REF_CHANGED",
  "RECURSION_UNPROVEN",
  // keywords the engine does not reason about (dependentSchemas, if/then/else, unevaluated*, ...)
  "CONSTRAINT_ADDED",
  "CONSTRAINT_REMOVED",
  "CONSTRAINT_CHANGED",
  // $defs not reachable from the root
  "DEFINITION_ADDED",
  "DEFINITION_REMOVED",
  "DEFINITION_CHANGED",
  // annotations (never change the accepted set)
  "TITLE_ADDED",
  "TITLE_REMOVED",
  "TITLE_CHANGED",
  "DESCRIPTION_ADDED",
  "DESCRIPTION_REMOVED",
  "DESCRIPTION_CHANGED",
  "DEFAULT_ADDED",
  "DEFAULT_REMOVED",
  "DEFAULT_CHANGED",
  "EXAMPLES_ADDED",
  "EXAMPLES_REMOVED",
  "EXAMPLES_CHANGED",
  "DEPRECATED_ADDED",
  "DEPRECATED_REMOVED",
  "DEPRECATED_CHANGED",
  "ANNOTATION_ADDED",
  "ANNOTATION_REMOVED",
  "ANNOTATION_CHANGED",
  // safety valve
  "COMPARISON_LIMIT_REACHED",
] as const;

export type DifferenceCode = (typeof DIFFERENCE_CODES)[number];

/**
 * One difference between an older and a newer schema, judged as set inclusion of the JSON
 * documents each accepts.
 *
 * - `newerAcceptsAllOfOlder`: this change cannot make a document valid under the older schema
 *   invalid under the newer one (newer ⊇ older here). False also when inclusion could not be
 *   proven; the description then says "could not prove".
 * - `olderAcceptsAllOfNewer`: the same in the other direction (older ⊇ newer here).
 *
 * Both true means informational: the accepted set does not change because of it.
 */
export interface Difference {
  /**
   * JSON pointer (RFC 6901) into the newer schema where the difference sits. When the keyword
   * exists only in the older schema it is where it would sit in the newer one. For
   * `REQUIRED_ADDED`/`REQUIRED_REMOVED` it names the property (`.../properties/<name>`), since
   * `required` is a list. For a removed `allOf`/`anyOf`/`oneOf` branch it is the list's pointer
   * and `olderPointer` names the branch; `prefixItems` entries keep their position.
   */
  readonly pointer: string;
  /** Set when the older schema's location differs, e.g. after a `$ref` moved to another `$defs`. */
  readonly olderPointer?: string;
  readonly change: DifferenceCode;
  /** Human explanation: what changed and why it does or does not shrink either side's set. */
  readonly description: string;
  readonly newerAcceptsAllOfOlder: boolean;
  readonly olderAcceptsAllOfNewer: boolean;
}
