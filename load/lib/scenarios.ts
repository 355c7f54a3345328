/** Requests the benchmarks make: tokens, batch checks, direct calls to each simulator, cleanup. */
import { existsSync } from "node:fs";
import { Redis } from "ioredis";
import { request } from "undici";
import type { LoadOptions } from "./measure.ts";
import { BENCH_METRICS_TOKEN, type RunningSimulators, type SourceId } from "./processes.ts";

export const CLIENTS_FILE = "load/bench-clients.json";

/** Secrets of load/bench-clients.json (published, benchmark only). */
export const BENCH_CLIENTS = {
  load: { id: "bench-load", secret: "bench-load-secret-not-for-deployment-0001" },
  dinsosA: { id: "bench-dinsos-a", secret: "bench-dinsos-a-secret-not-for-deployment-02" },
  dinsosB: { id: "bench-dinsos-b", secret: "bench-dinsos-b-secret-not-for-deployment-03" },
  bank: { id: "bench-bank", secret: "bench-bank-secret-not-for-deployment-000004" },
} as const;

/** One access token (client credentials, HTTP Basic). */
export async function getToken(
  gatewayUrl: string,
  client: { id: string; secret: string },
): Promise<string> {
  const response = await fetch(`${gatewayUrl}/oauth/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${btoa(`${client.id}:${client.secret}`)}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
  const body = (await response.json()) as { access_token?: string };
  if (!response.ok || !body.access_token) {
    throw new Error(`token for ${client.id}: ${response.status} ${JSON.stringify(body)}`);
  }
  return body.access_token;
}

export const bearer = (token: string, purpose = "eligibility-verification") => ({
  authorization: `Bearer ${token}`,
  "simpul-purpose": purpose,
});

/** Cycles through a list forever (each request asks about the next NIK). */
export function cycle<T>(items: readonly T[]): () => T {
  let i = 0;
  return () => items[i++ % items.length] as T;
}

export interface BatchOutcome {
  readonly niks: number;
  readonly seconds: number;
  readonly niksPerSecond: number;
  readonly lines: number;
  readonly errorLines: number;
  readonly complete: boolean;
  readonly firstLineMs: number;
}

/** Sends one NDJSON batch check and reads the stream to its end, as a client would. */
export async function runBatch(
  gatewayUrl: string,
  token: string,
  niks: readonly string[],
): Promise<BatchOutcome> {
  const started = performance.now();
  const response = await request(`${gatewayUrl}/v1/enrolments/check-batch`, {
    method: "POST",
    headers: { ...bearer(token, "data-reconciliation"), "content-type": "application/json" },
    body: JSON.stringify({ niks }),
    headersTimeout: 120_000,
    bodyTimeout: 120_000,
  });
  if (response.statusCode !== 200) {
    throw new Error(`batch: ${response.statusCode} ${await response.body.text()}`);
  }
  let lines = 0;
  let errorLines = 0;
  let firstLineMs = 0;
  let last = "";
  let tail = "";
  for await (const chunk of response.body) {
    const text = tail + (chunk as Buffer).toString("utf8");
    let from = 0;
    for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", from)) {
      if (lines === 0) firstLineMs = performance.now() - started;
      last = text.slice(from, at);
      lines++;
      if (last.includes('"error":')) errorLines++;
      from = at + 1;
    }
    tail = text.slice(from);
  }
  const seconds = (performance.now() - started) / 1000;
  const complete = lines === niks.length + 1 && last.startsWith('{"done":true');
  return {
    niks: niks.length,
    seconds: Math.round(seconds * 100) / 100,
    niksPerSecond: Math.round(niks.length / seconds),
    lines,
    errorLines,
    complete,
    firstLineMs: Math.round(firstLineMs),
  };
}

/** How to ask one simulator about one NIK directly, in its native format. */
export async function directSourceRequest(
  sims: RunningSimulators,
  id: SourceId,
  nextNik: () => string,
): Promise<Pick<LoadOptions, "url" | "path" | "headers" | "body">> {
  const source = sims.sources[id];
  const c = source.credentials;
  const basic = (user?: string, password?: string) => `Basic ${btoa(`${user}:${password}`)}`;
  switch (id) {
    case "dukcapil": {
      const url = new URL(source.url);
      return {
        url: source.origin,
        path: `${url.pathname}/CALL_NIK`,
        body: () => JSON.stringify({ NIK: nextNik(), ...c }),
      };
    }
    case "kemensos":
      return {
        url: source.origin,
        path: "/api/v1/dtks/nik",
        headers: { "x-api-key": c.apiKey ?? "" },
        body: () => JSON.stringify({ nik: nextNik() }),
      };
    case "kemnaker": {
      const response = await fetch(`${source.origin}/oauth/token`, {
        method: "POST",
        headers: {
          authorization: basic(c.clientId, c.clientSecret),
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "grant_type=client_credentials",
      });
      const { access_token } = (await response.json()) as { access_token: string };
      return {
        url: source.origin,
        path: "/api/v1/penerima/cek",
        headers: { authorization: `Bearer ${access_token}` },
        body: () => JSON.stringify({ nik: nextNik() }),
      };
    }
    case "kemenkopukm":
      return {
        url: source.origin,
        path: "/bpum/v1/inquiry",
        headers: { authorization: basic(c.username, c.password) },
        body: () => JSON.stringify({ nik: nextNik() }),
      };
  }
}

/** Deletes every key under a run's own prefix (never a whole database). Returns how many. */
export async function deletePrefix(redisUrl: string, prefix: string): Promise<number> {
  if (!/^simpul-bench:[\w-]+:$/.test(prefix)) throw new Error(`refusing to delete ${prefix}*`);
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
  return deleted;
}

/** Redis's version, and its PID when it runs on this machine (to sample its CPU too). */
export async function redisInfo(redisUrl: string): Promise<{ version: string; pid?: number }> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    const info = await redis.info("server");
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? "unknown";
    const pid = Number(/process_id:(\d+)/.exec(info)?.[1]);
    const local = /^redis:\/\/(127\.0\.0\.1|localhost)(:|\/|$)/.test(redisUrl);
    return local && existsSync(`/proc/${pid}/stat`) ? { version, pid } : { version };
  } finally {
    redis.disconnect();
  }
}

/**
 * The gateway's `/metrics` as numbers by series (with several workers, one worker's), e.g.
 * `simpul_audit_append_duration_seconds_sum` or
 * `simpul_source_call_duration_seconds_count{source="kemensos",outcome="ok"}`.
 */
export async function scrapeMetrics(gatewayUrl: string): Promise<Map<string, number>> {
  const response = await request(`${gatewayUrl}/metrics`, {
    headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` },
  });
  const text = await response.body.text();
  if (response.statusCode !== 200)
    throw new Error(`/metrics answered ${response.statusCode}: ${text}`);
  const series = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

/** The mean (ms) of a histogram's observations between two scrapes; NaN without any. */
export function meanBetween(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
  histogram: string,
  labels = "",
): number {
  const delta = (suffix: string) => {
    const key = `${histogram}_${suffix}${labels === "" ? "" : `{${labels}}`}`;
    return (after.get(key) ?? 0) - (before.get(key) ?? 0);
  };
  const count = delta("count");
  return count === 0 ? Number.NaN : Math.round((delta("sum") / count) * 1e5) / 100;
}
