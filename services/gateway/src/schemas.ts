import { rest } from "@quire/contracts";

// The REST schemas live in @quire/contracts (`rest`); webhook-routes.ts still imports these two from here.
export const { DeliveriesQuery, WebhookCreate } = rest;
