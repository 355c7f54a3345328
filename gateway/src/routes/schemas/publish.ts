/** POST /v1/schemas/{subject}/versions — a data steward publishes a new version, safely. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { GatewayEnv } from "../../env.ts";
import { ProblemError } from "../../errors/problem.ts";
import { requireScope } from "../../middleware/auth.ts";
import { jsonBody } from "../../middleware/json-body.ts";
import { rateLimit } from "../../middleware/rate-limit.ts";
import { compareSemver } from "../../schema-registry/subjects.ts";
import { registerOperation } from "../operation.ts";
import { AUTHENTICATED, problemResponses } from "../problems.ts";
import {
  admitDocument,
  CompatibilityReport,
  incompatibleResponse,
  JSON_BODY_PROBLEMS,
  judge,
  MAX_SCHEMA_BODY_BYTES,
  SchemaDocument,
  SchemaVersionSummary,
  Semver,
  SubjectParams,
  summaryOf,
} from "./shared.ts";

const PublishRequest = z
  .object({ version: Semver, document: SchemaDocument })
  .strict()
  .openapi("SchemaPublishRequest");

const PublishResponse = SchemaVersionSummary.extend({ compatibility: CompatibilityReport })
  .strict()
  .openapi("SchemaPublished");

/** Publishes racing on one subject re-check against the winner this many times. */
const PUBLISH_ATTEMPTS = 3;

export const publishSchemaRoute = createRoute({
  method: "post",
  path: "/v1/schemas/{subject}/versions",
  operationId: "schemas.publish",
  tags: ["Schemas"],
  summary: "Publish a new version of a schema",
  description:
    "Needs `schemas:publish`. The version must be a semantic version after the latest one and the document's `$id` must be `urn:simpul:schema:<subject>:<version>`. A document that breaks the subject's compatibility mode is refused with 409 and the list of differences; a malformed one with 422 and the reason. Who published and when is recorded. Concurrent publishes cannot both win.",
  security: [{ oauth2: ["schemas:publish"] }],
  middleware: [
    requireScope("schemas:publish"),
    rateLimit(),
    ...jsonBody(MAX_SCHEMA_BODY_BYTES),
  ] as const,
  request: {
    params: SubjectParams,
    body: { required: true, content: { "application/json": { schema: PublishRequest } } },
  },
  responses: {
    201: {
      description: "Published",
      headers: z.object({ Location: z.string() }),
      content: { "application/json": { schema: PublishResponse } },
    },
    ...problemResponses([...AUTHENTICATED, ...JSON_BODY_PROBLEMS, "SCHEMA_INVALID"]),
    409: incompatibleResponse,
  },
});

export function registerPublishSchema(app: OpenAPIHono<GatewayEnv>): void {
  registerOperation(app, publishSchemaRoute, async (c) => {
    const { subject } = c.req.valid("param");
    const { version, document } = c.req.valid("json");
    const registry = c.get("services").schemaRegistry;
    await admitDocument(registry, subject, document, version);

    for (let attempt = 0; attempt < PUBLISH_ATTEMPTS; attempt++) {
      const versions = await registry.listVersions(subject);
      const latest = versions.at(-1)?.version ?? null;
      if (versions.some((record) => record.version === version)) {
        throw new ProblemError(
          "SCHEMA_VERSION_EXISTS",
          `${subject} ${version} is already published.`,
        );
      }
      if (latest !== null && compareSemver(version, latest) <= 0) {
        throw new ProblemError(
          "SCHEMA_VERSION_NOT_NEWER",
          `${version} does not come after the latest version, ${latest}.`,
        );
      }
      const { report } = await judge(registry, subject, document, versions);
      if (!report.compatible) {
        const breaking = report.differences.filter((difference) => difference.breaking);
        throw new ProblemError(
          "SCHEMA_INCOMPATIBLE",
          `${breaking.length} difference(s) break ${report.mode} against ${report.checkedAgainst.join(", ")}.`,
          { mode: report.mode, differences: report.differences },
        );
      }
      const outcome = await registry.publish(
        subject,
        {
          version,
          document,
          publishedBy: c.get("client").id,
          publishedAt: new Date().toISOString(),
        },
        latest,
      );
      if (outcome.ok) {
        c.header("Location", `/v1/schemas/${subject}/versions/${version}`);
        return c.json({ ...summaryOf(outcome.record), compatibility: report }, 201);
      }
      // Someone published meanwhile: judge again against what is now the latest version.
      if (outcome.reason === "STALE") continue;
      throw new ProblemError(
        outcome.reason === "VERSION_EXISTS" ? "SCHEMA_VERSION_EXISTS" : "SCHEMA_VERSION_NOT_NEWER",
        `${subject} now has ${outcome.latest ?? "no version"} as its latest version.`,
      );
    }
    throw new ProblemError(
      "SCHEMA_PUBLISH_CONFLICT",
      "Other versions kept being published at the same time; check the latest and retry.",
    );
  });
}
