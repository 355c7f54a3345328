/** Shapes shared by the oversight routes. */
import { z } from "@hono/zod-openapi";
import { MAX_AUDIT_PAGE } from "../../stores/audit/port.ts";
import { AUDIT_OUTCOMES, SOURCE_STATUSES } from "../../stores/audit/record.ts";

export const AuditEntry = z
  .object({
    sequence: z.number().int(),
    time: z.string(),
    requestId: z.string(),
    clientId: z.string(),
    purpose: z.string().optional(),
    endUserId: z.string().optional(),
    caseId: z.string().optional(),
    route: z.string(),
    nikHmac: z.string().optional(),
    nikHmacs: z.array(z.string()).optional().openapi({
      description: "For a batch chunk: the digest of every NIK whose data the record released.",
    }),
    nikCount: z.number().int().optional(),
    sources: z.array(z.object({ id: z.string(), status: z.enum(SOURCE_STATUSES) })),
    outcome: z.enum(AUDIT_OUTCOMES),
    httpStatus: z.number().int(),
    errorCode: z.string().optional(),
    fieldsReleased: z.array(z.string()),
    previousHash: z.string(),
    hash: z.string(),
  })
  .openapi("AuditEntry");

export const AuditPage = z
  .object({ entries: z.array(AuditEntry), nextCursor: z.string().optional() })
  .openapi("AuditPage");

const isoInstant = z.iso.datetime({ offset: true });

/** Filters by query string; none of them can carry a NIK. */
export const AuditFilterQuery = z
  .object({
    clientId: z.string().min(1).max(200).optional(),
    from: isoInstant.optional().openapi({ description: "ISO 8601 instant, inclusive." }),
    to: isoInstant.optional().openapi({ description: "ISO 8601 instant, exclusive." }),
  })
  .strict();

export const AuditPageQuery = AuditFilterQuery.extend({
  limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE).default(100),
  cursor: z.string().max(200).optional(),
}).strict();
