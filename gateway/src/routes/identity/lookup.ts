/** POST /v1/identity/lookup — who is this person, limited to the fields the client is granted. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { Person, type PersonField } from "../../../../schemas/src/person.ts";
import { auditSource } from "../../enrolments/source-statuses.ts";
import type { GatewayEnv } from "../../env.ts";
import { ProblemError } from "../../errors/problem.ts";
import { answerJson } from "../../http/answer-headers.ts";
import { requestAccessOf } from "../../http/request-access.ts";
import { settleCharge } from "../../middleware/rate-limit.ts";
import { regionWarnings } from "../../regions/region-warnings.ts";
import { NikSchema } from "../../validation/nik.ts";
import { registerOperation } from "../operation.ts";
import { personalData } from "../personal-data.ts";
import { NIK_PROBLEMS, PERSONAL_DATA, problemResponses } from "../problems.ts";
import { PurposeHeaders } from "../purpose-headers.ts";
import { sourceProblem } from "../source-problem.ts";

const LookupRequest = z.object({ nik: NikSchema }).strict().openapi("IdentityLookupRequest");

const LookupResponse = z
  .object({
    person: Person.partial().strict().openapi("GrantedPerson", {
      description: "The person, with only the fields this client is granted.",
    }),
    source: z.object({ id: z.literal("dukcapil"), retrievedAt: z.iso.datetime() }).strict(),
    warnings: z.array(z.object({ code: z.string(), message: z.string() }).strict()),
  })
  .strict()
  .openapi("IdentityLookupResponse");

export const lookupRoute = createRoute({
  method: "post",
  path: "/v1/identity/lookup",
  operationId: "identity.lookup",
  tags: ["Identity"],
  summary: "Look a NIK up in the civil registry",
  description:
    "Returns the person as Dukcapil records them, reduced to the fields granted to the calling client. Requires the `identity:lookup` scope and a declared purpose.",
  security: [{ oauth2: ["identity:lookup"] }],
  middleware: personalData("identity.lookup", "identity:lookup", { charge: "alongside-sources" }),
  request: {
    headers: PurposeHeaders,
    body: { required: true, content: { "application/json": { schema: LookupRequest } } },
  },
  responses: {
    200: { description: "The person", content: { "application/json": { schema: LookupResponse } } },
    ...problemResponses([
      ...PERSONAL_DATA,
      ...NIK_PROBLEMS,
      "PERSON_NOT_FOUND",
      "DUPLICATE_NIK",
      "SOURCE_UNAVAILABLE",
      "SOURCE_TIMEOUT",
    ]),
  },
});

function granted(person: Person, fields: readonly PersonField[]): Partial<Person> {
  const out: Partial<Record<PersonField, unknown>> = {};
  for (const field of fields) out[field] = person[field];
  return out as Partial<Person>;
}

export function registerLookup(app: OpenAPIHono<GatewayEnv>): void {
  registerOperation(app, lookupRoute, async (c) => {
    const services = c.get("services");
    const client = c.get("client");
    const { nik } = c.req.valid("json");
    const result = await services.dukcapil.lookup(nik, {
      signal: requestAccessOf(c).signal(c),
      traceparent: c.get("trace").traceparent,
    });
    c.set("audit", {
      nik,
      sources: [auditSource("dukcapil", result)],
      fieldsReleased: client.fields,
    });
    await settleCharge(c);
    if (!result.ok)
      throw sourceProblem("dukcapil", result.error, services.logger, c.get("requestId"));
    const outcome = result.value;
    if (outcome.status === "NOT_FOUND") throw new ProblemError("PERSON_NOT_FOUND");
    if (outcome.status === "MULTIPLE") {
      throw new ProblemError(
        "DUPLICATE_NIK",
        "The civil registry holds more than one record for this NIK; it must be resolved there.",
      );
    }
    return answerJson(
      c,
      {
        person: granted(outcome.person, client.fields),
        source: { id: "dukcapil" as const, retrievedAt: new Date().toISOString() },
        warnings: regionWarnings(nik),
      },
      200,
      { "Cache-Control": "no-store" },
    );
  });
}
