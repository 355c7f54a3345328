/** POST /v1/audit/subject — "who read this person's data": the trail for one NIK. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { GatewayEnv } from "../../env.ts";
import { MAX_AUDIT_PAGE } from "../../stores/audit/port.ts";
import { NikSchema } from "../../validation/nik.ts";
import { registerOperation } from "../operation.ts";
import { personalData } from "../personal-data.ts";
import { NIK_PROBLEMS, PERSONAL_DATA, problemResponses } from "../problems.ts";
import { PurposeHeaders } from "../purpose-headers.ts";
import { AuditPage } from "./schemas.ts";

const SubjectRequest = z
  .object({
    nik: NikSchema,
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    limit: z.number().int().min(1).max(MAX_AUDIT_PAGE).default(100),
    cursor: z.string().max(200).optional(),
  })
  .strict()
  .openapi("AuditSubjectRequest");

export const subjectRoute = createRoute({
  method: "post",
  path: "/v1/audit/subject",
  operationId: "audit.subject",
  tags: ["Audit"],
  summary: "Who processed this person's data",
  description:
    "The NIK travels in the body and is turned into its keyed digest at query time; the trail itself never holds it.",
  security: [{ oauth2: ["audit:read"] }],
  middleware: personalData("audit.subject", "audit:read"),
  request: {
    headers: PurposeHeaders,
    body: { required: true, content: { "application/json": { schema: SubjectRequest } } },
  },
  responses: {
    200: {
      description: "Entries about this person, oldest first",
      content: { "application/json": { schema: AuditPage } },
    },
    ...problemResponses([...PERSONAL_DATA, ...NIK_PROBLEMS]),
  },
});

export function registerSubject(app: OpenAPIHono<GatewayEnv>): void {
  registerOperation(app, subjectRoute, async (c) => {
    const { nik, ...window } = c.req.valid("json");
    const services = c.get("services");
    c.set("audit", { nik, fieldsReleased: ["auditEntries"] });
    const page = await services.audit.query({ ...window, nikHmac: await services.nikHmac(nik) });
    return c.json(
      { entries: [...page.entries], ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) },
      200,
    );
  });
}
