import type { Hono } from "hono";
import type { CompatDeps, CompatEnv } from "./common.js";
import { createExtendRoutes } from "./extend/routes.js";
import { createReductoRoutes } from "./reducto/routes.js";

/** The vendor-compatible APIs: `/reducto` (reductoai SDK) and `/extend` (extend-ai SDK), over the same operations as /v1. */
export function mountCompat(app: Hono<CompatEnv>, deps: CompatDeps): void {
  app.route("/reducto", createReductoRoutes(deps));
  app.route("/extend", createExtendRoutes(deps));
}
