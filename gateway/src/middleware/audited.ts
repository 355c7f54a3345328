/**
 * Records every personal-data request in the audit trail, denied and failed ones included, and
 * fails closed: when the record cannot be written, the response is replaced by a 503, so no
 * personal data leaves unrecorded (as X-Road stops serving when it cannot log).
 */
import { createMiddleware } from "hono/factory";
import type { GatewayEnv } from "../env.ts";
import { problemResponse } from "../errors/handler.ts";
import { ProblemError } from "../errors/problem.ts";
import { requestHeader } from "../http/request-access.ts";
import type { AuditOutcome, AuditRecordInput } from "../stores/audit/record.ts";
import { PURPOSE_HEADER } from "./auth.ts";

function outcomeOf(
  status: number,
  note: GatewayEnv["Variables"]["audit"] | undefined,
): AuditOutcome {
  if (status >= 200 && status < 300) return note?.outcome ?? "RELEASED";
  if (status === 404 || status === 409) return "NOT_FOUND";
  if (status >= 500) return "FAILED";
  return "DENIED";
}

export const audited = (route: string) =>
  createMiddleware<GatewayEnv>(async (c, next) => {
    await next();
    const services = c.get("services");
    const requestId = c.get("requestId");
    const note = c.get("audit");
    const declared = c.get("declared");
    const client = c.get("client");
    const error = c.error instanceof ProblemError ? c.error : undefined;
    const status = c.res.status;
    const released = status >= 200 && status < 300;
    // The stated purpose is kept even when it was refused: oversight wants to see the attempt.
    const statedPurpose = declared?.purpose ?? requestHeader(c, PURPOSE_HEADER)?.slice(0, 200);
    let record: AuditRecordInput | undefined;
    try {
      record = {
        requestId,
        clientId: client?.id ?? "anonymous",
        ...(statedPurpose ? { purpose: statedPurpose } : {}),
        ...(declared?.endUserId ? { endUserId: declared.endUserId } : {}),
        ...(declared?.caseId ? { caseId: declared.caseId } : {}),
        route,
        ...(note?.nik ? { nikHmac: await services.nikHmac(note.nik) } : {}),
        ...(note?.nikCount === undefined ? {} : { nikCount: note.nikCount }),
        sources: [...(note?.sources ?? [])],
        outcome: outcomeOf(status, note),
        httpStatus: status,
        ...(error ? { errorCode: error.code } : released ? {} : { errorCode: "INTERNAL" }),
        fieldsReleased: released ? [...(note?.fieldsReleased ?? [])] : [],
      };
      await services.audit.append(record);
    } catch (failure) {
      // Nothing is lost silently: the record goes to the operators' log for later re-entry.
      services.logger.log("error", "audit append failed; response withheld", {
        requestId,
        route,
        auditFallback: record,
        reason: failure instanceof Error ? failure.message : String(failure),
      });
      if (released) {
        await c.res.body?.cancel();
        c.res = problemResponse(
          c,
          new ProblemError(
            "AUDIT_UNAVAILABLE",
            "The audit trail cannot be written; no data was released.",
          ),
        );
      }
    }
  });
