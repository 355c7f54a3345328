/** Parses a client file (the committed development one, or an operator's). */
import { z } from "@hono/zod-openapi";
import { PERSON_FIELDS, type PersonField } from "../../../schemas/src/person.ts";
import { sha256Hex } from "../crypto/digest.ts";
import { type Client, PURPOSES, SCOPES } from "./client.ts";

const ClientEntry = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,62}$/),
    name: z.string().min(1),
    secret: z.string().min(24).optional(),
    secretSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    scopes: z.array(z.enum(SCOPES)),
    purposes: z.array(z.enum(PURPOSES)),
    fields: z.array(z.enum(PERSON_FIELDS as [PersonField, ...PersonField[]])),
    ratePlan: z
      .object({
        perMinute: z.number().int().positive(),
        perDay: z.number().int().positive(),
        batchCostPerNik: z.number().int().positive().default(1),
      })
      .strict(),
    region: z
      .string()
      .regex(/^\d{2}(\d{2})?$/)
      .optional(),
  })
  .strict()
  .refine((entry) => (entry.secret === undefined) !== (entry.secretSha256 === undefined), {
    message: "give exactly one of secret or secretSha256",
  });

export const ClientFile = z
  .object({ description: z.string().optional(), clients: z.array(ClientEntry).min(1) })
  .strict();

/** Reads a client file's JSON into clients; secrets given in clear are hashed on the way in. */
export async function parseClientFile(json: unknown): Promise<Client[]> {
  const file = ClientFile.parse(json);
  return Promise.all(
    file.clients.map(async ({ secret, secretSha256, ...rest }) => ({
      ...rest,
      secretSha256: secretSha256 ?? (await sha256Hex(secret ?? "")),
    })),
  );
}
