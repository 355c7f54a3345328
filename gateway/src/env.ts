/** The Hono environment every route and middleware shares. */
import type { AccessClaims } from "./auth/tokens.ts";
import type { Client, Purpose } from "./clients/client.ts";
import type { AnswerHeaders } from "./http/answer-headers.ts";
import type { ChargeOutcome } from "./middleware/rate-limit.ts";
import type { TraceContext } from "./middleware/trace-context.ts";
import type { Services } from "./services.ts";
import type { AuditSource } from "./stores/audit/record.ts";

/** What a personal-data handler tells the audit trail about the request it served. */
export interface AuditNote {
  readonly nik?: string;
  readonly nikCount?: number;
  readonly sources?: readonly AuditSource[];
  readonly fieldsReleased?: readonly string[];
  /** Set when the handler released nothing personal although it answered 200. */
  readonly outcome?: "NOT_FOUND" | "PARTIAL";
}

/** What a personal-data request declared about itself (X-Road's userId and issue, in spirit). */
export interface DeclaredPurpose {
  readonly purpose: Purpose;
  readonly endUserId?: string;
  readonly caseId?: string;
}

export interface GatewayEnv {
  Variables: {
    services: Services;
    requestId: string;
    client: Client;
    claims: AccessClaims;
    declared: DeclaredPurpose;
    audit: AuditNote;
    trace: TraceContext;
    /** The request's JSON body, parsed once by the jsonBody middleware, before validation. */
    jsonBody: unknown;
    /** Fields every answer to this request carries (see http/answer-headers.ts). */
    answerHeaders: AnswerHeaders;
    /** A rate-limit charge still being decided while the route asks its sources. */
    pendingCharge: Promise<ChargeOutcome> | undefined;
  };
}
