/** The request headers every personal-data operation documents. */
import { z } from "@hono/zod-openapi";
import { PURPOSES } from "../clients/client.ts";

// Checked by requirePurpose (403 codes) rather than the validator (400), so the schema is loose.
export const PurposeHeaders = z.object({
  "simpul-purpose": z.enum(PURPOSES).optional().openapi({
    description:
      "Why this personal data is processed; must be one of the client's purposes. Required.",
  }),
  "simpul-end-user": z.string().optional().openapi({
    description: "Who, inside the calling organisation, asked (recorded in the audit trail).",
  }),
  "simpul-case-id": z.string().optional().openapi({
    description: "The case or letter this request belongs to (recorded in the audit trail).",
  }),
});
