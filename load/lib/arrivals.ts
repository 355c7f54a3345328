/**
 * An open-model load: requests sent at evenly spaced arrival times whatever the answers do, each
 * one's latency counted from its arrival time, not from when a connection was free to send it.
 * autocannon's `overallRate` cannot stand in for this: each connection sends its share of a
 * second back to back as the second begins and then waits, so a spike of 1,500 a second arrives
 * as bursts, and a slow answer holds back the requests behind it without their wait being
 * counted (coordinated omission).
 */
import { Pool } from "undici";
import { type LoadOptions, type LoadResult, percentiles } from "./measure.ts";

/** As {@link LoadOptions}, with the rate required; `connections` is the most the pool opens. */
export interface ArrivalOptions extends LoadOptions {
  /** Arrivals per second, evenly spaced; arrivals no free connection can take wait, counted. */
  readonly rate: number;
}

/** Sends `rate × seconds` POSTs at their arrival times and waits for every answer. */
export async function arrivals(options: ArrivalOptions): Promise<LoadResult> {
  const pool = new Pool(options.url, { connections: options.connections, pipelining: 1 });
  const headers = { "content-type": "application/json", ...options.headers };
  const ok: number[] = [];
  const refused: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  const total = Math.round(options.rate * options.seconds);
  const intervalMs = 1000 / options.rate;
  const requests: Promise<void>[] = [];
  const started = performance.now();
  const send = (arrivalMs: number) =>
    pool
      .request({ method: "POST", path: options.path, headers, body: options.body() })
      .then(async (response) => {
        await response.body.dump();
        const latency = performance.now() - arrivalMs;
        const code = response.statusCode;
        statuses[code] = (statuses[code] ?? 0) + 1;
        if (code >= 200 && code < 300) ok.push(latency);
        else if (code === 429) refused.push(latency);
      })
      .catch(() => {
        errors++;
      });
  try {
    for (let i = 0; i < total; ) {
      const now = performance.now();
      // Everything due by now goes out, so a late timer sends its backlog at once.
      for (; i < total && started + i * intervalMs <= now; i++) {
        requests.push(send(started + i * intervalMs));
      }
      if (i < total) {
        const wait = started + i * intervalMs - performance.now();
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
      }
    }
    await Promise.all(requests);
  } finally {
    await pool.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    connections: options.connections,
    seconds: Math.round(seconds * 100) / 100,
    statuses,
    errors,
    throughput: Math.round(ok.length / seconds),
    latencyMs: percentiles(ok),
    ...(refused.length > 0 ? { refusedLatencyMs: percentiles(refused) } : {}),
  };
}
