/** Load generation (autocannon) with exact per-response latencies, process sampling and medians. */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import autocannon from "autocannon";

export interface Percentiles {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly mean: number;
  readonly max: number;
}

export interface LoadResult {
  readonly connections: number;
  readonly seconds: number;
  /** Responses by status code. */
  readonly statuses: Readonly<Record<string, number>>;
  /** Socket errors and timeouts. */
  readonly errors: number;
  /** 2xx responses per second. */
  readonly throughput: number;
  /** Latency of 2xx responses, in milliseconds. */
  readonly latencyMs: Percentiles;
  /** Latency of 429 responses, when there were any. */
  readonly refusedLatencyMs?: Percentiles;
}

export interface LoadOptions {
  readonly url: string;
  readonly path: string;
  readonly connections: number;
  readonly seconds: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A fresh body per request (each one asks about another NIK). */
  readonly body: () => string;
  /** Requests per second across all connections (open model); closed loop when absent. */
  readonly rate?: number;
}

/** Percentiles by sorting (exact; sample counts here are at most a few hundred thousand). */
export function percentiles(samples: Float64Array | number[]): Percentiles {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  if (n === 0) return { p50: Number.NaN, p90: Number.NaN, p99: Number.NaN, mean: 0, max: 0 };
  const at = (q: number) => sorted[Math.min(n - 1, Math.ceil(q * n) - 1)] as number;
  let sum = 0;
  for (const value of sorted) sum += value;
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    p50: round(at(0.5)),
    p90: round(at(0.9)),
    p99: round(at(0.99)),
    mean: round(sum / n),
    max: round(sorted[n - 1] as number),
  };
}

/** Runs autocannon and records every response's latency itself (autocannon's are whole ms). */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const ok: number[] = [];
  const refused: number[] = [];
  const statuses: Record<string, number> = {};
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        ...(options.rate === undefined ? {} : { overallRate: options.rate }),
        timeout: 30,
        requests: [
          {
            method: "POST",
            path: options.path,
            headers: { "content-type": "application/json", ...options.headers },
            setupRequest: (request) => ({ ...request, body: options.body() }),
          },
        ],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (statusCode >= 200 && statusCode < 300) ok.push(responseTime);
      else if (statusCode === 429) refused.push(responseTime);
    });
  });
  const seconds = (performance.now() - started) / 1000;
  return {
    connections: options.connections,
    seconds: Math.round(seconds * 100) / 100,
    statuses,
    errors: result.errors + result.timeouts,
    throughput: Math.round(ok.length / seconds),
    latencyMs: percentiles(ok),
    ...(refused.length > 0 ? { refusedLatencyMs: percentiles(refused) } : {}),
  };
}

/**
 * What to measure: one process by PID, or `{ tree: pid }` for that process and every process
 * under it. A gateway or forwarder running several workers is a cluster primary plus its
 * children, so its CPU and memory are those of the whole tree.
 */
export type Measured = number | { readonly tree: number };

/** A process's children, from /proc/<pid>/task/<tid>/children, else by scanning for its PID as parent. */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8")
        .split(" ")
        .filter((field) => field !== "")
        .map(Number),
    );
  } catch {
    // A kernel without CONFIG_PROC_CHILDREN (or a thread that just ended): the slow way.
    return readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .filter((name) => {
        try {
          return Number(statFields(Number(name))[1]) === pid;
        } catch {
          return false;
        }
      })
      .map(Number);
  }
}

/** A PID and its descendants' (children, their children, …). */
export function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...childrenOf(tree[i] as number));
  return tree;
}

/**
 * The sum of `read` over the measured processes. A tree's workers may come and go between listing
 * and reading (one that ended counts as zero); the root, or a single process, must be there.
 */
function sumOver(target: Measured, read: (pid: number) => number): number {
  if (typeof target === "number") return read(target);
  const [root, ...descendants] = processTree(target.tree);
  let sum = read(root as number);
  for (const pid of descendants) {
    try {
      sum += read(pid);
    } catch {
      // ended meanwhile
    }
  }
  return sum;
}

/**
 * Resident memory now and at its peak (VmHWM), in MB, from /proc. For a tree, the sum over its
 * processes of each one's RSS and of each one's own peak (the peaks need not coincide, and
 * shared pages count once per process, so a tree's sum is an upper bound).
 */
export function memoryOf(target: Measured): { rssMb: number; peakRssMb: number } {
  const kb = (pid: number, name: string) => {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1]);
  };
  return {
    rssMb: Math.round(sumOver(target, (pid) => kb(pid, "VmRSS")) / 1024),
    peakRssMb: Math.round(sumOver(target, (pid) => kb(pid, "VmHWM")) / 1024),
  };
}

/** Resets the peak RSS of a process (or of every process of a tree) (Linux clear_refs 5); false when the kernel refuses. */
export function resetPeakRss(target: Measured): boolean {
  let ok = true;
  for (const pid of typeof target === "number" ? [target] : processTree(target.tree)) {
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, "5");
    } catch {
      ok = false;
    }
  }
  return ok;
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces): state first. */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/**
 * CPU seconds used (user + system), from /proc/<pid>/stat (utime/stime are fields 14/15). For a
 * tree, each process's own time plus that of children it has already reaped (cutime/cstime, 16/17),
 * so a worker that exits during a measurement keeps counting.
 */
export function cpuSeconds(target: Measured): number {
  const ticks = sumOver(target, (pid) => {
    const fields = statFields(pid);
    const own = Number(fields[11]) + Number(fields[12]);
    return typeof target === "number" ? own : own + Number(fields[13]) + Number(fields[14]);
  });
  return ticks / 100;
}

/** Polls VmRSS while `work` runs; returns its result and the highest RSS seen (MB). */
export async function withRssPeak<T>(
  target: Measured,
  work: () => Promise<T>,
): Promise<{ value: T; polledPeakRssMb: number; peakRssMb: number; resetOk: boolean }> {
  const resetOk = resetPeakRss(target);
  let polled = memoryOf(target).rssMb;
  const timer = setInterval(() => {
    polled = Math.max(polled, memoryOf(target).rssMb);
  }, 25);
  try {
    const value = await work();
    polled = Math.max(polled, memoryOf(target).rssMb);
    const peak = resetOk ? memoryOf(target).peakRssMb : polled;
    return { value, polledPeakRssMb: polled, peakRssMb: Math.max(peak, polled), resetOk };
  } finally {
    clearInterval(timer);
  }
}

/** CPU used by each process while `work` runs, as a share of one core (1 = one core busy). */
export async function withCpu<T>(
  pids: Readonly<Record<string, Measured>>,
  work: () => Promise<T>,
): Promise<{ value: T; cores: Record<string, number> }> {
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
  const selfBefore = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  const wall = (performance.now() - started) / 1000;
  const cores: Record<string, number> = {};
  for (const [k, pid] of Object.entries(pids)) {
    cores[k] = Math.round(((cpuSeconds(pid) - (before[k] ?? 0)) / wall) * 100) / 100;
  }
  const self = process.cpuUsage(selfBefore);
  cores.loadGenerator = Math.round(((self.user + self.system) / 1e6 / wall) * 100) / 100;
  return { value, cores };
}

/** The median of each number across runs, keeping the shape of the first run. */
export function medianOf<T>(runs: readonly T[]): T {
  const first = runs[0];
  if (typeof first === "number") {
    const values = (runs as readonly number[])
      .filter((v) => !Number.isNaN(v))
      .sort((a, b) => a - b);
    if (values.length === 0) return Number.NaN as T;
    const mid = values.length >> 1;
    const median =
      values.length % 2 === 1
        ? (values[mid] as number)
        : ((values[mid - 1] as number) + (values[mid] as number)) / 2;
    return (Math.round(median * 100) / 100) as T;
  }
  if (first !== null && typeof first === "object" && !Array.isArray(first)) {
    const keys = new Set(runs.flatMap((run) => Object.keys(run as object)));
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const values = runs
        .map((run) => (run as Record<string, unknown>)[key])
        .filter((v) => v !== undefined);
      out[key] = medianOf(values);
    }
    return out as T;
  }
  return first as T;
}

/**
 * The lower and upper quartiles (medians of the lower and upper halves), rounded like
 * {@link medianOf}: where the middle half of a set of paired ratios lies, so a reader can tell a
 * change from the machine's spread.
 */
export function quartilesOf(values: readonly number[]): [number, number] {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const half = sorted.length >> 1;
  const lower = sorted.slice(0, half);
  const upper = sorted.slice(sorted.length - half);
  return [medianOf(lower.length > 0 ? lower : sorted), medianOf(upper.length > 0 ? upper : sorted)];
}

/** How many answers a load got, whatever their status (socket errors are not answers). */
export const answered = (result: Pick<LoadResult, "statuses">) =>
  Object.values(result.statuses).reduce((a, b) => a + b, 0);

/**
 * CPU microseconds a process (or tree) spent per request, or per NIK, from the cores it kept busy
 * over `seconds` ({@link withCpu}): robust to other load on the machine.
 */
export const cpuUsPerItem = (cores: number | undefined, seconds: number, items: number) =>
  Math.round(((cores ?? 0) * seconds * 1e6) / Math.max(1, items));

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How busy the machine is besides us: the 1-minute load average and the share of the last 10 s
 * in which some runnable task waited for a CPU (Linux PSI). Numbers from a busy machine are
 * reported, but flagged.
 */
export function machineLoad(): { loadAverage1m: number; cpuPressurePercent: number } {
  let pressure = Number.NaN;
  try {
    pressure = Number(/avg10=([\d.]+)/.exec(readFileSync("/proc/pressure/cpu", "utf8"))?.[1]);
  } catch {
    // no PSI on this kernel
  }
  return {
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    cpuPressurePercent: pressure,
  };
}
