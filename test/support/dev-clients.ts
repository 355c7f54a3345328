/** The committed demo clients, read the way a README reader would. */
import { readFileSync } from "node:fs";

interface DevClient {
  id: string;
  secret: string;
  scopes: string[];
  purposes: string[];
  fields: string[];
}

export const DEV_CLIENTS: DevClient[] = JSON.parse(
  readFileSync(new URL("../../gateway/config/dev-clients.json", import.meta.url), "utf8"),
).clients;

export function devClient(id: string): DevClient {
  const client = DEV_CLIENTS.find((candidate) => candidate.id === id);
  if (!client) throw new Error(`no demo client ${id}`);
  return client;
}
