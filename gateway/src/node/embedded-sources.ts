/** The embedded default: one synthetic world and its ministry simulators on loopback. */

import type { DukcapilCredentials } from "../../../adapters/dukcapil/native.ts";
import { startSimulators } from "../../../adapters/simulators/index.ts";
import { generateWorld, type World } from "../../../adapters/world/index.ts";

export interface EmbeddedSources {
  readonly world: World;
  readonly dukcapil: { readonly baseUrl: string; readonly credentials: DukcapilCredentials };
  close(): Promise<void>;
}

export async function startEmbeddedSources(options: {
  seed: number;
  size: number;
}): Promise<EmbeddedSources> {
  const world = generateWorld(options);
  const simulators = await startSimulators({ world });
  return {
    world,
    dukcapil: {
      baseUrl: simulators.dukcapil.url,
      credentials: simulators.dukcapil.credentials,
    },
    close: () => simulators.close(),
  };
}
