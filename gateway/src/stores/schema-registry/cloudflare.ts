/** The schema registry on Cloudflare Workers: one Durable Object, so publishes stay atomic. */
import { DurableObject } from "cloudflare:workers";
import type { CompatibilityMode } from "../../schema-registry/compatibility.ts";
import { StoreUnavailableError } from "../errors.ts";
import { createMemorySchemaRegistryStore } from "./memory.ts";
import {
  type SchemaDeprecation,
  type SchemaPublication,
  type SchemaRegistryStore,
  type SchemaSeed,
  type SchemaVersionRecord,
  seedSchemaRegistry,
} from "./port.ts";

const versionKey = (subject: string, version: string) => `version:${subject}\u0000${version}`;
const modeKey = (subject: string) => `mode:${subject}`;

/**
 * Every subject of one registry. The memory store does the work (its publish has no `await`
 * between check and write, and an object runs one event at a time, so compare-and-publish is
 * atomic); each change is also written to the object's storage, from which the memory store is
 * rebuilt when the object wakes.
 */
export class SchemaRegistry extends DurableObject {
  #store: SchemaRegistryStore = createMemorySchemaRegistryStore();
  #loaded: Promise<void>;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    this.#loaded = ctx.blockConcurrencyWhile(async () => {
      const versions = await ctx.storage.list<SchemaVersionRecord>({ prefix: "version:" });
      this.#store = createMemorySchemaRegistryStore({ seed: [...versions.values()] });
      const modes = await ctx.storage.list<CompatibilityMode>({ prefix: "mode:" });
      for (const [key, mode] of modes) await this.#store.setMode(key.slice(5), mode);
    });
  }

  async #ready(): Promise<SchemaRegistryStore> {
    await this.#loaded;
    return this.#store;
  }

  async listSubjects() {
    return (await this.#ready()).listSubjects();
  }
  async listVersions(subject: string) {
    return (await this.#ready()).listVersions(subject);
  }
  async getVersion(subject: string, version: string) {
    return (await this.#ready()).getVersion(subject, version);
  }
  async getMode(subject: string) {
    return (await this.#ready()).getMode(subject);
  }
  async publish(subject: string, publication: SchemaPublication, expectedLatest: string | null) {
    const outcome = await (await this.#ready()).publish(subject, publication, expectedLatest);
    if (outcome.ok)
      void this.ctx.storage.put(versionKey(subject, publication.version), outcome.record);
    return outcome;
  }
  async setMode(subject: string, mode: CompatibilityMode) {
    await (await this.#ready()).setMode(subject, mode);
    void this.ctx.storage.put(modeKey(subject), mode);
  }
  async deprecate(subject: string, version: string, deprecation: SchemaDeprecation) {
    const outcome = await (await this.#ready()).deprecate(subject, version, deprecation);
    if (outcome.ok) void this.ctx.storage.put(versionKey(subject, version), outcome.record);
    return outcome;
  }
  /** Publishes the seeds this registry lacks, in one call (see `seedSchemaRegistry`). */
  async seed(seeds: readonly SchemaSeed[]): Promise<void> {
    const store = await this.#ready();
    const persisting: SchemaRegistryStore = {
      ...store,
      publish: (subject, publication, expectedLatest) =>
        this.publish(subject, publication, expectedLatest),
    };
    await seedSchemaRegistry(persisting, seeds);
  }
}

export interface CloudflareSchemaRegistryOptions {
  /** The registry's object name; default `schema-registry`. */
  readonly registry?: string;
  /** Loaded and applied once per isolate (one call) before the first operation. */
  readonly seed?: () => Promise<readonly SchemaSeed[]>;
}

/**
 * The Workers implementation of {@link SchemaRegistryStore}: one subrequest per operation.
 *
 * @example
 * const registry = createCloudflareSchemaRegistryStore(env.SCHEMAS, { seed: loadSeeds });
 * await registry.getVersion("person", "1.0.0");
 */
export function createCloudflareSchemaRegistryStore(
  namespace: DurableObjectNamespace<SchemaRegistry>,
  options: CloudflareSchemaRegistryOptions = {},
): SchemaRegistryStore {
  const object = () => namespace.get(namespace.idFromName(options.registry ?? "schema-registry"));
  // A flag, not a shared promise: a Workers request must not wait on another request's I/O, so
  // until one seeding has finished, each request seeds (it is idempotent).
  let seeded = false;
  const call = async <T>(run: (stub: ReturnType<typeof object>) => Promise<T>): Promise<T> => {
    try {
      if (options.seed && !seeded) {
        await object().seed(await options.seed());
        seeded = true;
      }
      return await run(object());
    } catch (error) {
      throw new StoreUnavailableError("schema-registry", (error as Error).message, {
        cause: error,
      });
    }
  };
  return {
    listSubjects: () => call(async (stub) => (await stub.listSubjects()) as never),
    listVersions: (subject) => call(async (stub) => (await stub.listVersions(subject)) as never),
    getVersion: (subject, version) =>
      call(async (stub) => (await stub.getVersion(subject, version)) as never),
    publish: (subject, publication, expectedLatest) =>
      call(async (stub) => (await stub.publish(subject, publication, expectedLatest)) as never),
    setMode: (subject, mode) => call((stub) => stub.setMode(subject, mode)),
    getMode: (subject) => call((stub) => stub.getMode(subject)),
    deprecate: (subject, version, deprecation) =>
      call(async (stub) => (await stub.deprecate(subject, version, deprecation)) as never),
  };
}
