/** The simulated world: one deterministic synthetic population that every simulator serves. */
export * from "./generate.ts";
