import { fromBinary } from "@bufbuild/protobuf";
import { DeliverPolicy, jetstream } from "@nats-io/jetstream";
import { JobEventSchema, isTerminalStatus, type JobEvent, type JobRecord } from "@quire/contracts";
import { EVENTS_STREAM, eventSubject, isTerminalEvent, type NatsConnection } from "@quire/runtime";

export interface FollowedEvent {
  /** The event's stream sequence: a client that resumes after it misses nothing. */
  seq: number;
  event: JobEvent;
}

/**
 * Every event of one job from stream position `fromSeq` on, in stream order, until the terminal
 * one (then the iteration ends) or until `signal` aborts. Read from QUIRE_EVENTS with an ordered
 * consumer, so a watcher that starts from a state it read (its seq + 1), or resumes from the last
 * event it saw, gets exactly what came after: the one way the gateway follows a job (SSE and gRPC
 * WatchJob).
 */
export async function* followJob(nc: NatsConnection, jobId: string, fromSeq: number, signal: AbortSignal): AsyncGenerator<FollowedEvent> {
  if (signal.aborted) return;
  const consumer = await jetstream(nc).consumers.get(EVENTS_STREAM, {
    filter_subjects: eventSubject(jobId),
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: Math.max(1, fromSeq),
  });
  const messages = await consumer.consume();
  const stop = () => messages.stop();
  signal.addEventListener("abort", stop, { once: true });
  if (signal.aborted) stop(); // aborted while the consumer was being made: no event fires for it
  try {
    for await (const m of messages) {
      const event = fromBinary(JobEventSchema, m.data);
      yield { seq: m.seq, event };
      if (isTerminalEvent(event.type)) return;
    }
  } finally {
    signal.removeEventListener("abort", stop);
    stop();
  }
}

/**
 * Where a watch of `job` (SSE, gRPC WatchJob) starts: with the job's state for a fresh watch
 * (`after` 0), without it for a resume after stream position `after`; and the position to follow
 * from, or null when nothing can follow (the job has ended and the watcher has seen its end).
 */
export function watchStart(job: JobRecord, after: number): { sendState: boolean; from: number | null } {
  const seen = after > 0 ? after : job.seq;
  return { sendState: after === 0, from: isTerminalStatus(job.status) && seen >= job.seq ? null : seen + 1 };
}
