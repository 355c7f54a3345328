import { describeSchemaRegistryStoreContract } from "./contract.ts";
import { createMemorySchemaRegistryStore } from "./memory.ts";

describeSchemaRegistryStoreContract("memory", async (seed = []) =>
  createMemorySchemaRegistryStore({ seed }),
);
