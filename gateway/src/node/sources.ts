/** Builds the four ministry adapters, pointed at the simulators or at configured real sources. */
import type { EnrolmentAdapter } from "../../../adapters/core/enrolment-source.ts";
import { createDukcapilAdapter, type DukcapilAdapter } from "../../../adapters/dukcapil/adapter.ts";
import { createKemenkopUkmAdapter } from "../../../adapters/kemenkopukm/adapter.ts";
import { createKemensosAdapter } from "../../../adapters/kemensos/adapter.ts";
import { createKemnakerAdapter } from "../../../adapters/kemnaker/adapter.ts";
import type { Simulators } from "../../../adapters/simulators/index.ts";
import type { GatewayMetrics } from "../metrics/gateway-metrics.ts";
import type { NodeConfig } from "./config.ts";
import { nodeSourceClient } from "./source-clients.ts";

export interface SourceAdapters {
  readonly dukcapil: DukcapilAdapter;
  readonly enrolmentSources: readonly EnrolmentAdapter[];
}

type Targets = Pick<Simulators, "dukcapil" | "kemensos" | "kemnaker" | "kemenkopukm">;

/** Where each source lives and how to sign in, from configuration (external mode). */
function configuredTargets(config: NodeConfig): Targets {
  const required = (name: keyof NodeConfig) => {
    const value = config[name];
    if (typeof value !== "string" || value === "") throw new Error(`${name} is required`);
    return value;
  };
  const endpoint = <C>(url: string, credentials: C) => ({ url, credentials }) as never;
  return {
    dukcapil: endpoint(required("SIMPUL_DUKCAPIL_URL"), {
      user_id: required("SIMPUL_DUKCAPIL_USER"),
      password: required("SIMPUL_DUKCAPIL_PASSWORD"),
      ip_user: config.SIMPUL_DUKCAPIL_IP,
    }),
    kemensos: endpoint(required("SIMPUL_KEMENSOS_URL"), {
      apiKey: required("SIMPUL_KEMENSOS_API_KEY"),
    }),
    kemnaker: endpoint(required("SIMPUL_KEMNAKER_URL"), {
      clientId: required("SIMPUL_KEMNAKER_CLIENT_ID"),
      clientSecret: required("SIMPUL_KEMNAKER_CLIENT_SECRET"),
    }),
    kemenkopukm: endpoint(required("SIMPUL_KEMENKOPUKM_URL"), {
      username: required("SIMPUL_KEMENKOPUKM_USER"),
      password: required("SIMPUL_KEMENKOPUKM_PASSWORD"),
    }),
  };
}

export function buildSourceAdapters(
  config: NodeConfig,
  simulators?: Simulators,
  metrics?: GatewayMetrics,
): SourceAdapters {
  const targets: Targets = simulators ?? configuredTargets(config);
  return {
    dukcapil: createDukcapilAdapter({
      client: nodeSourceClient("dukcapil", targets.dukcapil.url, metrics),
      baseUrl: targets.dukcapil.url,
      credentials: targets.dukcapil.credentials,
    }),
    enrolmentSources: [
      createKemensosAdapter({
        client: nodeSourceClient("kemensos", targets.kemensos.url, metrics),
        baseUrl: targets.kemensos.url,
        credentials: targets.kemensos.credentials,
      }),
      createKemnakerAdapter({
        client: nodeSourceClient("kemnaker", targets.kemnaker.url, metrics),
        baseUrl: targets.kemnaker.url,
        credentials: targets.kemnaker.credentials,
      }),
      createKemenkopUkmAdapter({
        client: nodeSourceClient("kemenkopukm", targets.kemenkopukm.url, metrics),
        baseUrl: targets.kemenkopukm.url,
        credentials: targets.kemenkopukm.credentials,
      }),
    ],
  };
}
