/**
 * Registers an operation from its route definition: documented exactly as `app.openapi` documents
 * it, and its request checked against the same zod schemas in one synchronous step.
 */
import type { OpenAPIHono, RouteConfig, RouteHandler } from "@hono/zod-openapi";
import type { Handler, MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { ZodType } from "zod";
import type { GatewayEnv } from "../env.ts";
import { problemFromZod } from "../errors/handler.ts";
import { requestHeader } from "../http/request-access.ts";

const JSON_MEDIA_TYPE = "application/json";

type ValidationTarget = "param" | "query" | "header" | "json";
interface Part {
  readonly target: ValidationTarget;
  readonly schema: ZodType;
  read(c: Parameters<MiddlewareHandler<GatewayEnv>>[0]): unknown;
}

function zodSchema(value: unknown, where: string): ZodType {
  if (value === null || typeof value !== "object" || !("safeParse" in value)) {
    throw new TypeError(`${where} must be a zod schema`);
  }
  return value as ZodType;
}

/** The header names a schema declares, as the request carries them (case-insensitive). */
function declaredHeaders(schema: ZodType): string[] {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  if (shape === undefined) throw new TypeError("request headers must be a z.object");
  return Object.keys(shape);
}

/**
 * The parts of a request a route declares, in the order @hono/zod-openapi validates them
 * (params, query, headers, then the body), so the first failing part is the same one.
 */
function partsOf(route: RouteConfig): Part[] {
  const request = route.request;
  if (request === undefined) return [];
  if (request.cookies !== undefined) throw new TypeError(`${route.path}: cookies are not used`);
  const parts: Part[] = [];
  if (request.params !== undefined) {
    parts.push({
      target: "param",
      schema: zodSchema(request.params, "params"),
      read: (c) => c.req.param(),
    });
  }
  if (request.query !== undefined) {
    parts.push({
      target: "query",
      schema: zodSchema(request.query, "query"),
      // As Hono's validator reads it: a name given once is a string, given more often an array.
      read: (c) => {
        const query: Record<string, string | string[]> = {};
        for (const [name, values] of Object.entries(c.req.queries())) {
          query[name] = values.length === 1 ? (values[0] as string) : values;
        }
        return query;
      },
    });
  }
  if (request.headers !== undefined) {
    const schema = zodSchema(request.headers, "headers");
    const names = declaredHeaders(schema);
    parts.push({
      target: "header",
      schema,
      // Only the declared names: the schemas strip the rest, so the outcome is the same, and no
      // record of every header is built for each request.
      read: (c) => {
        const headers: Record<string, string> = {};
        for (const name of names) {
          const value = requestHeader(c, name);
          if (value !== undefined) headers[name] = value;
        }
        return headers;
      },
    });
  }
  const body = request.body;
  if (body !== undefined) {
    const mediaTypes = Object.keys(body.content);
    const media = body.content[JSON_MEDIA_TYPE];
    const schema = media !== undefined && "schema" in media ? media.schema : undefined;
    if (mediaTypes.length !== 1 || schema === undefined || body.required !== true) {
      throw new TypeError(`${route.path}: operations take one required ${JSON_MEDIA_TYPE} body`);
    }
    parts.push({
      target: "json",
      schema: zodSchema(schema, "the body schema"),
      // The body was read, measured and parsed once already by the jsonBody middleware.
      read: (c) => c.get("jsonBody"),
    });
  }
  return parts;
}

/**
 * One middleware for every declared part. @hono/zod-openapi adds a media-type gate plus one
 * asynchronous validator per part, each running zod's async parse and an async hook; for a
 * lookup those layers cost about a tenth of the gateway's CPU per request (`load/compare.ts`,
 * load/PROFILE.md fifth round), while these schemas need no async parse.
 */
function validateRequest(route: RouteConfig): MiddlewareHandler<GatewayEnv> {
  const parts = partsOf(route);
  return createMiddleware<GatewayEnv>(async (c, next) => {
    for (const part of parts) {
      if (part.target === "json" && c.get("jsonBody") === undefined) {
        // A wiring fault, not the caller's: every JSON operation runs jsonBody before this.
        throw new Error(`${route.path}: a JSON operation must run jsonBody before validation`);
      }
      const result = part.schema.safeParse(part.read(c));
      // The one validation hook: the same problem with JSON pointers as every other route.
      if (!result.success) throw problemFromZod(result.error);
      c.req.addValidatedData(part.target, result.data as object);
    }
    await next();
  });
}

/**
 * Registers `handler` for `route`: the OpenAPI document lists the operation as `app.openapi`
 * would, and the route's middleware runs before one synchronous validation step.
 *
 * @example
 * registerOperation(app, lookupRoute, async (c) => {
 *   const { nik } = c.req.valid("json");
 *   ...
 * });
 */
export function registerOperation<R extends RouteConfig>(
  app: OpenAPIHono<GatewayEnv>,
  route: R,
  handler: RouteHandler<R, GatewayEnv>,
): void {
  const { middleware, hide, ...documented } = route;
  if (!hide) app.openAPIRegistry.registerPath(documented);
  const before =
    middleware === undefined ? [] : Array.isArray(middleware) ? middleware : [middleware];
  const validation = route.request === undefined ? [] : [validateRequest(route)];
  app.on(
    [route.method],
    [route.path.replaceAll(/\/{(.+?)}/g, "/:$1")],
    ...(before as MiddlewareHandler<GatewayEnv>[]),
    ...validation,
    handler as unknown as Handler<GatewayEnv>,
  );
}
