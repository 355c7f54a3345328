/** POST /v1/enrolments/check — which programs a person receives, and what conflicts. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  Finding,
  PROGRAM_CODES,
  ProgramCode,
  ProgramEnrolment,
  SourceOutcome,
} from "../../../../schemas/src/enrolment.ts";
import { checkEnrolments } from "../../enrolments/check.ts";
import { auditSources } from "../../enrolments/source-statuses.ts";
import type { GatewayEnv } from "../../env.ts";
import { answerJson } from "../../http/answer-headers.ts";
import { requestAccessOf } from "../../http/request-access.ts";
import { settleCharge } from "../../middleware/rate-limit.ts";
import { NikSchema } from "../../validation/nik.ts";
import { registerOperation } from "../operation.ts";
import { personalData } from "../personal-data.ts";
import { NIK_PROBLEMS, PERSONAL_DATA, problemResponses } from "../problems.ts";
import { PurposeHeaders } from "../purpose-headers.ts";

const CheckRequest = z
  .object({
    nik: NikSchema,
    programs: z
      .array(ProgramCode)
      .min(1)
      .max(PROGRAM_CODES.length)
      .optional()
      .openapi({ description: "Programs to check; all of them when omitted." }),
  })
  .strict()
  .openapi("EnrolmentCheckRequest");

export const EnrolmentCheckResult = z
  .object({
    checkedAt: z.iso.datetime(),
    ruleSetVersion: z.string(),
    complete: z.boolean().openapi({
      description:
        "False when a source could not be asked: its programs then have `enrolled: null`.",
    }),
    civilRegistry: z.enum(["FOUND", "DECEASED", "MULTIPLE", "NOT_FOUND", "UNKNOWN"]),
    programs: z.array(ProgramEnrolment),
    findings: z.array(Finding),
    sources: z.array(SourceOutcome),
  })
  .strict()
  .openapi("EnrolmentCheckResult");

export const checkRoute = createRoute({
  method: "post",
  path: "/v1/enrolments/check",
  operationId: "enrolments.check",
  tags: ["Enrolments"],
  summary: "Check one person's program enrolments across ministries",
  description:
    "Asks Dukcapil and every program source in parallel and applies the cross-program rules. When a source is down the answer is partial and says so (`complete: false`); it is never an error.",
  security: [{ oauth2: ["enrolments:check"] }],
  middleware: personalData("enrolments.check", "enrolments:check", { charge: "alongside-sources" }),
  request: {
    headers: PurposeHeaders,
    body: { required: true, content: { "application/json": { schema: CheckRequest } } },
  },
  responses: {
    200: {
      description: "Per-program status, findings and per-source outcome",
      content: { "application/json": { schema: EnrolmentCheckResult } },
    },
    ...problemResponses([...PERSONAL_DATA, ...NIK_PROBLEMS]),
  },
});

export function registerCheck(app: OpenAPIHono<GatewayEnv>): void {
  registerOperation(app, checkRoute, async (c) => {
    const services = c.get("services");
    const client = c.get("client");
    const { nik, programs } = c.req.valid("json");
    const check = await checkEnrolments(nik, programs ?? PROGRAM_CODES, services, {
      signal: requestAccessOf(c).signal(c),
      traceparent: c.get("trace").traceparent,
    });
    c.set("audit", {
      nik,
      sources: auditSources(check.sources),
      fieldsReleased: ["civilRegistry", "programs", "findings"],
    });
    await settleCharge(c);
    const findings = [...check.findings];
    // A regional office may check a newcomer (KTP pendatang) one by one; the answer says so.
    if (
      client.region &&
      check.domicileRegency &&
      !check.domicileRegency.startsWith(client.region)
    ) {
      findings.push({
        type: "OUTSIDE_CLIENT_REGION",
        severity: "LOW",
        message: `Registered in regency ${check.domicileRegency}, outside this client's region ${client.region}.`,
      });
    }
    const { domicileRegency: _internal, ...result } = check;
    // The rest is a fresh copy: replacing its findings saves a spread over the whole check.
    return answerJson(c, Object.assign(result, { findings }), 200, {
      "Cache-Control": "no-store",
    });
  });
}
