import { create, fromBinary, toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { EventType, JobEventSchema, jobKindName, type JobEvent } from "@quire/contracts";
import { jetstream, type JetStreamClient } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import { eventSubject, JOB_END_BUCKET } from "./topology.js";
import { traceHeaders } from "../telemetry.js";
import { quireMetrics } from "../metrics.js";

export type JobEventInit = MessageInitShape<typeof JobEventSchema>;

const TERMINAL = new Set<EventType>([EventType.COMPLETED, EventType.FAILED, EventType.CANCELED]);
export const isTerminalEvent = (t: EventType): boolean => TERMINAL.has(t);

export interface EndClaim {
  /** True when this caller ended the job; false when someone else had already. */
  won: boolean;
  /** The terminal event that ended the job (ours or the earlier one). */
  event: JobEvent;
}

/**
 * Publishes job events. Every event has an attempt-independent id (its Nats-Msg-Id), so a
 * redelivered stage that re-publishes the same fact is deduplicated by the stream.
 */
export interface JobEvents {
  publish(init: JobEventInit): Promise<{ seq: number; duplicate: boolean }>;
  /**
   * Ends a job exactly once: a KV `create` of the job's key decides the winner, and only
   * the stored terminal event is ever published (again, harmlessly, if a crash interrupted
   * the winner between claim and publish).
   */
  end(init: JobEventInit): Promise<EndClaim>;
  /** The terminal event if the job has ended, else null. Stage workers poll it between pages. */
  ended(jobId: string): Promise<JobEvent | null>;
}

export async function createJobEvents(nc: NatsConnection): Promise<JobEvents> {
  const js = jetstream(nc);
  const kv = await new Kvm(nc).open(JOB_END_BUCKET);
  return {
    publish: (init) => publishEvent(js, init),
    end: (init) => endJob(js, kv, init),
    async ended(jobId) {
      const entry = await kv.get(jobId);
      if (!entry || entry.operation !== "PUT" || entry.value.length === 0) return null;
      return fromBinary(JobEventSchema, entry.value);
    },
  };
}

async function publishEvent(js: JetStreamClient, init: JobEventInit): Promise<{ seq: number; duplicate: boolean }> {
  const event = create(JobEventSchema, { timeUnixMs: Date.now(), ...init });
  if (!event.eventId || !event.jobId) throw new Error("a job event needs eventId and jobId");
  const ack = await js.publish(eventSubject(event.jobId), toBinary(JobEventSchema, event), {
    msgID: event.eventId,
    headers: traceHeaders(),
  });
  return { seq: ack.seq, duplicate: ack.duplicate };
}

async function endJob(js: JetStreamClient, kv: KV, init: JobEventInit): Promise<EndClaim> {
  if (!init.type || !isTerminalEvent(init.type)) throw new Error("end() takes a terminal event");
  const event = create(JobEventSchema, { timeUnixMs: Date.now(), ...init, eventId: `${init.jobId}:end` });
  let won = true;
  let stored = event;
  try {
    await kv.create(event.jobId, toBinary(JobEventSchema, event));
  } catch {
    const entry = await kv.get(event.jobId);
    if (!entry || entry.value.length === 0) throw new Error(`job ${event.jobId}: end claim lost but no record found`);
    stored = fromBinary(JobEventSchema, entry.value);
    won = false;
  }
  await publishEvent(js, stored);
  if (won) quireMetrics().jobsEnded.add(1, { kind: jobKindName(event.kind), status: endStatus(event.type) });
  return { won, event: stored };
}

const endStatus = (t: EventType): string => (t === EventType.COMPLETED ? "completed" : t === EventType.FAILED ? "failed" : "canceled");
