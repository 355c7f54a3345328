/** Prints example NIKs per anomaly kind: `npx tsx scripts/world-examples.ts [--seed N] [--size N] [--per 5]`. */
import { parseArgs } from "node:util";
import { ANOMALY_RATES, EXAMPLE_KINDS, generateWorld } from "../adapters/world/index.ts";

const { values } = parseArgs({
  options: {
    // The same world `npm start` serves, unless told otherwise (SIMPUL_WORLD_SEED / _SIZE).
    seed: { type: "string", default: process.env.SIMPUL_WORLD_SEED ?? "20240101" },
    size: { type: "string", default: process.env.SIMPUL_WORLD_SIZE ?? "20000" },
    per: { type: "string", default: "5" },
    json: { type: "boolean", default: false },
  },
});

const world = generateWorld({ seed: Number(values.seed), size: Number(values.size) });
const per = Number(values.per);
const counts = world.counts();
const examples = Object.fromEntries(EXAMPLE_KINDS.map((kind) => [kind, world.examples(kind, per)]));

if (values.json) {
  console.log(JSON.stringify({ seed: world.seed, size: world.size, counts, examples }, null, 2));
} else {
  // Synthetic NIKs from the simulated world only; they identify no real person.
  console.log(
    `world seed ${world.seed}, ${world.size} persons, generated in ${Math.round(world.generationMs)} ms\n`,
  );
  for (const kind of EXAMPLE_KINDS) {
    const rate =
      kind in ANOMALY_RATES ? ` (rate ${ANOMALY_RATES[kind as keyof typeof ANOMALY_RATES]})` : "";
    console.log(`${kind} — ${counts[kind]} persons${rate}`);
    for (const nik of examples[kind] ?? []) console.log(`  ${nik}`);
  }
}
