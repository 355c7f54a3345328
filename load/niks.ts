/**
 * Writes the NIKs the k6 scenarios ask about (load/k6/niks.json) from the same synthetic world
 * the gateway serves: `npx tsx load/niks.ts [--seed N] [--size N] [--kind CLEAN] [--n 5000]`.
 * The defaults match `npm start` (seed 20240101, 20,000 persons).
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { EXAMPLE_KINDS, type ExampleKind, generateWorld } from "../adapters/world/index.ts";

const { values } = parseArgs({
  options: {
    seed: { type: "string", default: "20240101" },
    size: { type: "string", default: "20000" },
    kind: { type: "string", default: "CLEAN" },
    n: { type: "string", default: "5000" },
    out: { type: "string", default: new URL("k6/niks.json", import.meta.url).pathname },
  },
});
if (!(EXAMPLE_KINDS as readonly string[]).includes(values.kind)) {
  console.error(`--kind must be one of ${EXAMPLE_KINDS.join(", ")}`);
  process.exit(2);
}
const world = generateWorld({ seed: Number(values.seed), size: Number(values.size) });
const niks = world.examples(values.kind as ExampleKind, Number(values.n));
writeFileSync(values.out, `${JSON.stringify(niks)}\n`);
console.log(
  `${niks.length} ${values.kind} NIKs of world ${values.seed}/${values.size} → ${values.out}`,
);
