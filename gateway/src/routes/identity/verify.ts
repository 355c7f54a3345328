/** POST /v1/identity/verify — verify, don't reveal: a verdict per supplied element, nothing else. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { auditSource } from "../../enrolments/source-statuses.ts";
import type { GatewayEnv } from "../../env.ts";
import { ProblemError } from "../../errors/problem.ts";
import { answerJson } from "../../http/answer-headers.ts";
import { requestAccessOf } from "../../http/request-access.ts";
import { settleCharge } from "../../middleware/rate-limit.ts";
import { NikSchema } from "../../validation/nik.ts";
import { registerOperation } from "../operation.ts";
import { personalData } from "../personal-data.ts";
import { NIK_PROBLEMS, PERSONAL_DATA, problemResponses } from "../problems.ts";
import { PurposeHeaders } from "../purpose-headers.ts";
import { sourceProblem } from "../source-problem.ts";

const ELEMENTS = ["fullName", "birthDate", "birthPlace", "sex", "motherName", "street"] as const;

const VerifyRequest = z
  .object({
    nik: NikSchema,
    fullName: z.string().min(1).max(120).optional(),
    birthDate: z.iso.date().optional(),
    birthPlace: z.string().min(1).max(80).optional(),
    sex: z.enum(["MALE", "FEMALE"]).optional(),
    motherName: z.string().min(1).max(120).optional(),
    street: z.string().min(1).max(200).optional(),
    threshold: z.number().int().min(50).max(100).default(90).openapi({
      description: "Similarity (0-100) at or above which an element counts as matching.",
    }),
  })
  .strict()
  .refine((body) => ELEMENTS.some((element) => body[element] !== undefined), {
    message: `Supply at least one of: ${ELEMENTS.join(", ")}.`,
  })
  .openapi("IdentityVerifyRequest");

const Verdict = z.object({ match: z.boolean(), score: z.number().int().min(0).max(100) }).strict();

export const VerifyResponse = z
  .object({
    verdicts: z.object(Object.fromEntries(ELEMENTS.map((e) => [e, Verdict.optional()]))).strict(),
    threshold: z.number().int(),
    source: z.object({ id: z.literal("dukcapil"), retrievedAt: z.iso.datetime() }).strict(),
  })
  .strict()
  .openapi("IdentityVerifyResponse");

export const verifyRoute = createRoute({
  method: "post",
  path: "/v1/identity/verify",
  operationId: "identity.verify",
  tags: ["Identity"],
  summary: "Verify supplied identity elements against the civil registry",
  description:
    "For clients that may not read personal data: returns a match verdict and a similarity score per supplied element, and nothing else from the record. Requires `identity:verify` and a declared purpose.",
  security: [{ oauth2: ["identity:verify"] }],
  middleware: personalData("identity.verify", "identity:verify", { charge: "alongside-sources" }),
  request: {
    headers: PurposeHeaders,
    body: { required: true, content: { "application/json": { schema: VerifyRequest } } },
  },
  responses: {
    200: { description: "Verdicts", content: { "application/json": { schema: VerifyResponse } } },
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

export function registerVerify(app: OpenAPIHono<GatewayEnv>): void {
  registerOperation(app, verifyRoute, async (c) => {
    const services = c.get("services");
    const { nik, threshold, ...elements } = c.req.valid("json");
    const result = await services.dukcapil.verify(nik, elements, threshold, {
      signal: requestAccessOf(c).signal(c),
      traceparent: c.get("trace").traceparent,
    });
    c.set("audit", {
      nik,
      sources: [auditSource("dukcapil", result)],
      fieldsReleased: Object.keys(elements).map((element) => `verdict:${element}`),
    });
    await settleCharge(c);
    if (!result.ok)
      throw sourceProblem("dukcapil", result.error, services.logger, c.get("requestId"));
    if (result.value.status === "NOT_FOUND") throw new ProblemError("PERSON_NOT_FOUND");
    if (result.value.status === "MULTIPLE") {
      throw new ProblemError(
        "DUPLICATE_NIK",
        "The civil registry cannot verify a NIK it holds twice.",
      );
    }
    return answerJson(
      c,
      {
        verdicts: result.value.verdicts,
        threshold,
        source: { id: "dukcapil" as const, retrievedAt: new Date().toISOString() },
      },
      200,
      { "Cache-Control": "no-store" },
    );
  });
}
