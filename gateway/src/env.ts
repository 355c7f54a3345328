/** The Hono environment every route and middleware shares. */
import type { AccessClaims } from "./auth/tokens.ts";
import type { Client, Purpose } from "./clients/client.ts";
import type { Services } from "./services.ts";

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
  };
}
