/** Parses a client file (the committed development one, or an operator's). */
import { z } from "@hono/zod-openapi";
import { importJWK, type JWK } from "jose";
import { PERSON_FIELDS, type PersonField } from "../../../schemas/src/person.ts";
import { CLIENT_ASSERTION_ALGORITHMS } from "../auth/client-assertion.ts";
import { sha256Hex } from "../crypto/digest.ts";
import { type Client, PURPOSES, SCOPES } from "./client.ts";

/** Members only a private or symmetric JWK has (RFC 7518 §6.2.2, §6.3.2, §6.4). */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] as const;
/** RFC 7518 §3.3: RSA keys of at least 2048 bits; base64url of 256 bytes is 342 characters. */
const MIN_RSA_MODULUS_CHARS = 342;

/** A client's public signing key for `private_key_jwt`: P-256, Ed25519 or RSA ≥ 2048 bits. */
const PublicJwk = z
  .looseObject({
    kty: z.enum(["EC", "OKP", "RSA"]),
    kid: z.string().min(1).max(128).optional(),
    alg: z.enum(CLIENT_ASSERTION_ALGORITHMS).optional(),
    use: z.literal("sig").optional(),
    crv: z.string().optional(),
    n: z.string().optional(),
  })
  .refine((jwk) => PRIVATE_MEMBERS.every((member) => !(member in jwk)), {
    message: "a client key must be public: remove d, p, q, dp, dq, qi, oth and k",
  })
  .refine(
    (jwk) =>
      (jwk.kty === "EC" && jwk.crv === "P-256") ||
      (jwk.kty === "OKP" && jwk.crv === "Ed25519") ||
      (jwk.kty === "RSA" && (jwk.n?.length ?? 0) >= MIN_RSA_MODULUS_CHARS),
    { message: "use an EC P-256, OKP Ed25519 or RSA (at least 2048 bits) key" },
  );

const ClientEntry = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,62}$/),
    name: z.string().min(1),
    secret: z.string().min(24).optional(),
    secretSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    /** Public keys for `private_key_jwt` (a JWK Set, RFC 7517 §5). */
    jwks: z
      .object({ keys: z.array(PublicJwk).min(1).max(10) })
      .strict()
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
  .refine((entry) => entry.secret === undefined || entry.secretSha256 === undefined, {
    message: "give at most one of secret or secretSha256",
  })
  .refine(
    (entry) =>
      entry.secret !== undefined || entry.secretSha256 !== undefined || entry.jwks !== undefined,
    { message: "give a secret, a secretSha256 or a jwks, so the client can authenticate" },
  );

export const ClientFile = z
  .object({ description: z.string().optional(), clients: z.array(ClientEntry).min(1) })
  .strict();

function algorithmOf(jwk: JWK): (typeof CLIENT_ASSERTION_ALGORITHMS)[number] {
  if (jwk.kty === "EC") return "ES256";
  if (jwk.kty === "OKP") return "EdDSA";
  return "RS256";
}

/** Reads a client file's JSON into clients; secrets given in clear are hashed on the way in. */
export async function parseClientFile(json: unknown): Promise<Client[]> {
  const file = ClientFile.parse(json);
  return Promise.all(
    file.clients.map(async ({ secret, secretSha256, jwks, ...rest }) => {
      const keys = (jwks?.keys ?? []) as JWK[];
      // Fails at start-up, naming the client, rather than at its first token request.
      await Promise.all(
        keys.map((jwk) =>
          importJWK(jwk, jwk.alg ?? algorithmOf(jwk)).catch((error: unknown) => {
            throw new Error(`Client ${rest.id}: unusable key: ${(error as Error).message}`);
          }),
        ),
      );
      const hash = secretSha256 ?? (secret === undefined ? undefined : await sha256Hex(secret));
      return {
        ...rest,
        ...(hash === undefined ? {} : { secretSha256: hash }),
        ...(jwks === undefined ? {} : { jwks: { keys } }),
      };
    }),
  );
}
