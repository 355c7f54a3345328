/** Multi-process mode: SIMPUL_WORKERS gateway processes on one port, forked and kept running. */
import cluster, { type Worker } from "node:cluster";
import type { Logger } from "../logging/logger.ts";

export interface SupervisorOptions {
  readonly workers: number;
  readonly logger: Logger;
  /** SIMPUL_MAINTENANCE: the state workers start in until SIGUSR2 flips it. */
  readonly maintenance: boolean;
  /** How long a worker may take to drain (grace plus shutdown timeout) before it is killed. */
  readonly drainMs: number;
  /** Called once, when every worker of the first generation is listening. */
  onListening(address: { address: string; port: number }): void;
}

/** A worker that dies sooner than this after it was forked has most likely failed to start. */
const EARLY_DEATH_MS = 10_000;
/** Early deaths in a row before the primary gives up: the next fork would only fail the same way. */
const MAX_EARLY_DEATHS = 5;
/** Delay before replacing a worker, doubled for each early death in a row. */
const RESTART_DELAY_MS = 250;
const MAX_RESTART_DELAY_MS = 4_000;
/** On top of a worker's own drain: closing its pools and Redis connection, then exiting. */
const STOP_MARGIN_MS = 10_000;

interface Slot {
  readonly worker: Worker;
  readonly forkedAt: number;
  /** Listening implies its signal handlers are in place (serveGateway sets them as it listens). */
  listening: boolean;
  /** The maintenance state this worker is in, as far as the primary has told it. */
  maintenance: boolean;
}

/**
 * Forks the workers and supervises them; this process itself builds no app and opens no Redis
 * connection. Each worker runs `serveGateway` on the same HOST:PORT, and node:cluster shares the
 * listening socket between them. SIGTERM and SIGINT are forwarded to every worker (each drains
 * exactly as a single process does) and the primary exits once all of them have: 0 when every
 * worker stopped cleanly, 1 otherwise. SIGUSR2 (maintenance) is forwarded to every worker.
 */
export function superviseWorkers(options: SupervisorOptions): void {
  const { logger } = options;
  const slots = new Map<number, Slot>();
  const restartTimers = new Set<NodeJS.Timeout>();
  let maintenance = options.maintenance;
  let earlyDeaths = 0;
  let announced = false;
  let stopping: NodeJS.Signals | undefined;
  let failed = false;

  // Round-robin: the primary accepts and hands each connection to the next worker. Left to the
  // kernel (SCHED_NONE), wake-ups favour a few processes and the load spreads unevenly. The
  // price: a connection handed to a worker in the instant it dies is not taken back by Node and
  // hangs until the client gives up (a dying worker's own connections are lost either way).
  cluster.schedulingPolicy = cluster.SCHED_RR;

  const fork = () => {
    // A replacement starts in the current maintenance state, not the one at start-up.
    const worker = cluster.fork({ SIMPUL_MAINTENANCE: String(maintenance) });
    slots.set(worker.id, { worker, forkedAt: Date.now(), listening: false, maintenance });
    // A signal or message to a worker that has just died fails here; its exit is handled below.
    worker.on("error", () => {});
    logger.log("info", "worker started", { pid: worker.process.pid });
  };

  const finish = () => {
    logger.log(failed ? "error" : "info", "workers stopped", { signal: stopping, failed });
    process.exit(failed ? 1 : 0);
  };

  const stop = (signal: NodeJS.Signals) => {
    // Like a single process, a second signal changes nothing: the drain already under way ends it.
    if (stopping) return;
    stopping = signal;
    for (const timer of restartTimers) clearTimeout(timer);
    restartTimers.clear();
    logger.log("info", "stopping workers", { signal, workers: slots.size });
    for (const { worker } of slots.values()) worker.process.kill(signal);
    if (slots.size === 0) finish();
    // A worker stuck past its own shutdown timeout is killed, and the exit code says so.
    setTimeout(() => {
      for (const { worker } of slots.values()) {
        logger.log("error", "worker did not stop in time; killing it", {
          pid: worker.process.pid,
        });
        failed = true;
        worker.process.kill("SIGKILL");
      }
    }, options.drainMs + STOP_MARGIN_MS).unref();
  };

  cluster.on("listening", (worker, address) => {
    const slot = slots.get(worker.id);
    if (slot === undefined || slot.listening) return;
    slot.listening = true;
    // SIGUSR2 came while it was starting (and would have killed it then): catch it up now.
    if (slot.maintenance !== maintenance) {
      slot.maintenance = maintenance;
      worker.process.kill("SIGUSR2");
    }
    if (
      !announced &&
      slots.size === options.workers &&
      [...slots.values()].every((s) => s.listening)
    ) {
      announced = true;
      options.onListening(address);
    }
  });

  cluster.on("exit", (worker, code, signal) => {
    const slot = slots.get(worker.id);
    slots.delete(worker.id);
    if (stopping) {
      // A worker stopped before it was listening had no requests; the signal's default action
      // ending it is fine.
      const clean = code === 0 || (signal !== null && slot?.listening === false);
      if (!clean) {
        failed = true;
        logger.log("error", "worker did not stop cleanly", {
          pid: worker.process.pid,
          code,
          signal,
        });
      }
      if (slots.size === 0) finish();
      return;
    }
    const lived = Date.now() - (slot?.forkedAt ?? 0);
    earlyDeaths = lived < EARLY_DEATH_MS ? earlyDeaths + 1 : 0;
    if (earlyDeaths >= MAX_EARLY_DEATHS) {
      logger.log("error", "workers keep dying soon after they start; giving up", {
        pid: worker.process.pid,
        code,
        signal,
        earlyDeaths,
      });
      failed = true;
      stop("SIGTERM");
      return;
    }
    const delayMs = Math.min(RESTART_DELAY_MS * 2 ** earlyDeaths, MAX_RESTART_DELAY_MS);
    logger.log("error", "worker exited unexpectedly; replacing it", {
      pid: worker.process.pid,
      code,
      signal,
      livedMs: lived,
      restartInMs: delayMs,
    });
    const timer = setTimeout(() => {
      restartTimers.delete(timer);
      fork();
    }, delayMs);
    restartTimers.add(timer);
  });

  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGUSR2", () => {
    maintenance = !maintenance;
    // Only to listening workers: before its handler is installed, SIGUSR2 would kill a worker.
    for (const slot of slots.values()) {
      if (!slot.listening) continue;
      slot.maintenance = maintenance;
      slot.worker.process.kill("SIGUSR2");
    }
  });

  for (let i = 0; i < options.workers; i++) fork();
}
