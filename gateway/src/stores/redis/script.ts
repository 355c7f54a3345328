/** Lua scripts run with EVALSHA (loaded on first use per connection) through ioredis `defineCommand`. */
import type { RedisConnection } from "./connection.ts";

export type RedisScript = (
  keys: readonly string[],
  args: readonly (string | number)[],
) => Promise<unknown>;

type ScriptCommand = (
  numberOfKeys: number,
  ...keysAndArgs: (string | number)[]
) => Promise<unknown>;

/**
 * Registers `lua` on `connection` under `name` and returns a caller. The number of keys is passed
 * per call, so one script serves a variable number of windows or index keys; every key must still
 * be declared in KEYS, which is what lets Redis Cluster route the call.
 */
export function defineScript(connection: RedisConnection, name: string, lua: string): RedisScript {
  connection.defineCommand(name, { lua });
  const command = (connection as unknown as Record<string, ScriptCommand | undefined>)[name];
  if (command === undefined) throw new Error(`ioredis did not register the script ${name}`);
  return (keys, args) => command.call(connection, keys.length, ...keys, ...args);
}
