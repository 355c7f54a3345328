/** The in-memory client registry: the embedded default, loaded from a client file. */
import type { Client, ClientRegistry } from "./client.ts";

export function createMemoryClientRegistry(clients: readonly Client[]): ClientRegistry {
  const byId = new Map(clients.map((client) => [client.id, client]));
  return {
    get: async (id) => byId.get(id),
    list: async () => [...byId.values()],
  };
}
