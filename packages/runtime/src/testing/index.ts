// Test helpers, exported as "@quire/runtime/testing".
export { startNatsServer } from "../nats-server.js";
export type { NatsServer } from "../nats-server.js";
export { waitFor } from "./wait.js";
