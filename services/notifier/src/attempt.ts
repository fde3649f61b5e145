import { create } from "@bufbuild/protobuf";
import { WebhookAttemptSchema, WebhookDeliveryStatus, type WebhookDelivery, type WebhookDue } from "@quire/contracts";
import {
  SpanKind,
  endpointSecretContext,
  inSpan,
  jobSecretContext,
  inTraceOf,
  openSealed,
  quireMetrics,
  type Keyring,
  type Logger,
} from "@quire/runtime";
import type { WebhookSettings } from "./config.js";
import { decide, nextEndpointHealth, type Decision, type Outcome } from "./retry-plan.js";
import type { Sender } from "./sender.js";
import { liveSecrets, styledHeaders } from "./signer.js";
import { encodeDue, readDelivery, readEndpoint, updateDelivery, updateEndpoint, type NotifierStore, type Versioned } from "./store.js";

export interface AttemptDeps {
  store: NotifierStore;
  sender: Sender;
  settings: WebhookSettings;
  /** Opens the sealed secrets that sign (QUIRE_SECRETS_KEY). */
  keyring: Keyring;
  logger: Logger;
}

/** How long a claim protects an attempt: the HTTP timeout plus time to record the outcome. */
export const leaseMs = (s: WebhookSettings): number => s.timeoutMs + 5_000;

/**
 * Runs one due attempt, as a linear sequence of durable steps (each survives a crash of this
 * process at any point):
 *  1. claim the due row by compare-and-set (`sending`), so no other replica sends this attempt;
 *  2. send it, unless the claim was taken over from a dead sender: then the attempt's outcome is
 *     unknown and it is recorded as interrupted instead of being sent a second time;
 *  3. append the attempt to the delivery log, with the decision (done, retry at T, given up);
 *  4. update the endpoint's health (failing clock, disable on 410 or a long failing run);
 *  5. turn the due row into attempt n+1 at T, or delete it.
 * If the process dies after 3 but before 5, the next claimant finds attempt n already in the
 * log and just finishes step 5 from what the log says.
 */
export async function processDue(key: string, row: Versioned<WebhookDue>, deps: AttemptDeps): Promise<"done" | "unclaimed"> {
  const due = row.value;
  const takeover = due.sending;
  const claimRev = await claim(key, row, deps);
  if (claimRev === null) return (await isStale(key, row, deps)) ? "done" : "unclaimed";
  const found = await readDelivery(deps.store, due.deliveryKey);
  if (!found) {
    deps.logger.warn({ deliveryKey: due.deliveryKey }, "due attempt has no delivery record (expired?); dropping it");
    await deps.store.due.delete(key, { previousSeq: claimRev });
    return "done";
  }
  // The rest happens in the job's trace: the attempt's span and every line logged about it.
  return inTraceOf(traceCarrier(found.value.traceparent), async () => {
    let delivery = found.value;
    if (!delivery.attempts.some((a) => a.attempt === due.attempt)) {
      const outcome = takeover ? interrupted() : await sendInSpan(delivery, due, deps);
      quireMetrics().webhookAttempts.add(1, { outcome: outcomeName(outcome) });
      delivery = await recordAttempt(found, due, outcome, deps);
      await updateHealth(delivery, outcome, deps);
    }
    await reschedule(key, claimRev, due, delivery, deps);
    return "done" as const;
  });
}

/** delivered | failed | gone (410) | refused | endpoint (deleted or disabled) | interrupted. */
function outcomeName(o: Outcome): string {
  if (o.interrupted) return "interrupted";
  if (!o.error) return "delivered";
  return o.final ?? "failed";
}

const traceCarrier = (traceparent: string) => ({
  get: (k: string) => (k === "traceparent" ? traceparent : undefined),
  keys: () => ["traceparent"],
});

async function claim(key: string, row: Versioned<WebhookDue>, deps: AttemptDeps): Promise<number | null> {
  const claimed = { ...row.value, sending: true, claimedUnixMs: Date.now() };
  try {
    return await deps.store.due.update(key, encodeDue(claimed), row.revision);
  } catch {
    return null; // another replica (or a newer schedule) got there first, or NATS hiccuped
  }
}

/**
 * After a failed claim: true when our copy of the row is outdated (changed, deleted, or expired
 * without a watch notification), so the mirror may drop it; false when the row is as we saw it
 * and the failure was transient, so it must stay and be tried again.
 */
async function isStale(key: string, row: Versioned<WebhookDue>, deps: AttemptDeps): Promise<boolean> {
  try {
    const cur = await deps.store.due.get(key);
    return !cur || cur.operation !== "PUT" || cur.revision !== row.revision;
  } catch {
    return false;
  }
}

/** One attempt is one client span of the job's trace (the trace the event was published in). */
function sendInSpan(delivery: WebhookDelivery, due: WebhookDue, deps: AttemptDeps): Promise<Outcome> {
  const attrs = {
    "quire.job_id": delivery.jobId,
    "quire.tenant": delivery.tenantId,
    "quire.webhook.event_type": delivery.eventType,
    "quire.webhook.attempt": due.attempt,
    "quire.webhook.delivery_id": delivery.deliveryId,
    "server.address": hostOf(delivery.url),
  };
  return inSpan(
    "webhook attempt",
    attrs,
    async (span) => {
      const outcome = await send(delivery, due, deps);
      span.setAttribute("http.response.status_code", outcome.statusCode);
      if (outcome.error) span.setAttribute("error.type", outcome.error.slice(0, 200));
      return outcome;
    },
    { kind: SpanKind.CLIENT },
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "";
  }
}

async function send(delivery: WebhookDelivery, due: WebhookDue, deps: AttemptDeps): Promise<Outcome> {
  let sealed: string[] = delivery.requestSecret ? [delivery.requestSecret] : [];
  let context = jobSecretContext(delivery.jobId);
  if (delivery.endpointId) {
    const ep = await readEndpoint(deps.store, delivery.tenantId, delivery.endpointId);
    if (!ep) return { statusCode: 0, latencyMs: 0, error: "the endpoint was deleted", final: "endpoint" };
    if (ep.value.disabled)
      return { statusCode: 0, latencyMs: 0, error: `the endpoint is disabled: ${ep.value.disabledReason}`, final: "endpoint" };
    sealed = liveSecrets(ep.value.secrets, Date.now());
    context = endpointSecretContext(delivery.tenantId, delivery.endpointId);
  }
  let headers: Record<string, string>;
  try {
    // Opened only here, for the signature; secrets stay sealed everywhere they are kept.
    const secrets = sealed.map((s) => openSealed(deps.keyring, s, context));
    headers = styledHeaders(delivery.style, delivery.messageId, delivery.payload, secrets, due.attempt);
  } catch (err) {
    return { statusCode: 0, latencyMs: 0, error: `cannot sign with the configured secret: ${(err as Error).message}`, final: "refused" };
  }
  return deps.sender.send(delivery.url, headers, delivery.payload);
}

const interrupted = (): Outcome => ({
  statusCode: 0,
  latencyMs: 0,
  interrupted: true,
  error: "interrupted: the notifier stopped before this attempt's outcome was recorded; it is not resent, the next attempt follows",
});

/**
 * Appends the attempt by compare-and-set on the revision read before sending: if a stalled
 * sender and the replica that took its claim over both try to record attempt n, one loses
 * (and throws) instead of silently overwriting the other's entry.
 */
async function recordAttempt(
  found: Versioned<WebhookDelivery>,
  due: WebhookDue,
  outcome: Outcome,
  deps: AttemptDeps,
): Promise<WebhookDelivery> {
  const delivery = found.value;
  const now = Date.now();
  const decision = decide({ outcome, attempt: due.attempt, manual: due.manual, scheduleMs: deps.settings.retryScheduleMs, nowMs: now });
  // An interrupted attempt happened when its sender claimed it, not when we found it dead.
  const startedAt = outcome.interrupted ? due.claimedUnixMs : now - outcome.latencyMs;
  const attempt = create(WebhookAttemptSchema, {
    attempt: due.attempt,
    timeUnixMs: startedAt,
    statusCode: outcome.statusCode,
    latencyMs: outcome.latencyMs,
    error: outcome.error,
    manual: due.manual,
  });
  const next: WebhookDelivery = {
    ...delivery,
    attempts: [...delivery.attempts, attempt],
    status: statusOf(decision),
    nextAttemptUnixMs: decision.kind === "retry" ? decision.atMs : 0,
  };
  await updateDelivery(deps.store, due.deliveryKey, next, found.revision);
  const log = deps.logger.child({ jobId: delivery.jobId, deliveryId: delivery.deliveryId, attempt: due.attempt });
  if (decision.kind === "succeeded") log.info({ statusCode: outcome.statusCode, latencyMs: outcome.latencyMs }, "webhook delivered");
  else log.warn({ statusCode: outcome.statusCode, error: outcome.error, decision: decision.kind }, "webhook attempt failed");
  return next;
}

function statusOf(d: Decision): WebhookDeliveryStatus {
  if (d.kind === "succeeded") return WebhookDeliveryStatus.SUCCEEDED;
  return d.kind === "retry" ? WebhookDeliveryStatus.PENDING : WebhookDeliveryStatus.FAILED;
}

async function updateHealth(delivery: WebhookDelivery, outcome: Outcome, deps: AttemptDeps): Promise<void> {
  if (!delivery.endpointId) return;
  const { disableAfterMs } = deps.settings;
  const updated = await updateEndpoint(deps.store, delivery.tenantId, delivery.endpointId, (ep) =>
    nextEndpointHealth(ep, outcome, Date.now(), disableAfterMs),
  );
  if (updated?.disabled) deps.logger.warn({ endpointId: delivery.endpointId, reason: updated.disabledReason }, "endpoint disabled");
}

/** Step 5, decided by what the delivery log now says (so a takeover after step 3 agrees with it). */
async function reschedule(key: string, claimRev: number, due: WebhookDue, delivery: WebhookDelivery, deps: AttemptDeps): Promise<void> {
  if (delivery.status !== WebhookDeliveryStatus.PENDING || !delivery.nextAttemptUnixMs) {
    await deps.store.due.delete(key, { previousSeq: claimRev });
    return;
  }
  const next = { ...due, attempt: due.attempt + 1, dueUnixMs: delivery.nextAttemptUnixMs, sending: false, claimedUnixMs: 0 };
  await deps.store.due.update(key, encodeDue(next), claimRev);
}
