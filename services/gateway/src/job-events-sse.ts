import { EventType, type JobRecord, type JobEvent } from "@quire/contracts";
import type { Pipeline } from "@quire/runtime";
import { followJob, watchStart } from "./follow-job.js";
import type { SSEStreamingApi } from "hono/streaming";
import { toJobView } from "./job-view.js";

export interface JobEventsStreamDeps {
  pipeline: Pipeline;
  /** The job as just read for this request: the state sent first. */
  job: JobRecord;
  /** Aborted at shutdown: the stream ends and the client reconnects elsewhere. */
  signal: AbortSignal;
  /** The Last-Event-ID a reconnecting client sent: the stream sequence of the last event it saw. */
  lastEventId?: number | undefined;
}

/** Comments keep proxies from closing an idle stream during a long page. */
const KEEPALIVE_MS = 15_000;

/**
 * `GET /v1/jobs/{id}/events`: first the job as it stands (event `job`), then each of its events
 * as it happens (`started`, `progress`, `stage_completed`, …) until the terminal one. Each event's
 * SSE id is its stream sequence; a client that reconnects with `Last-Event-ID` gets the events
 * after it (and no `job` snapshot), so nothing is missed. The events are read from the stream
 * position after the state, so nothing between the two is missed either.
 */
export async function streamJobEvents(stream: SSEStreamingApi, deps: JobEventsStreamDeps): Promise<void> {
  const gone = new AbortController();
  stream.onAbort(() => gone.abort());
  const signal = AbortSignal.any([gone.signal, deps.signal]);
  const keepalive = setInterval(() => void stream.write(": keepalive\n\n").catch(() => gone.abort()), KEEPALIVE_MS);
  try {
    const { sendState, from } = watchStart(deps.job, deps.lastEventId ?? 0);
    if (sendState) await stream.writeSSE({ event: "job", id: String(deps.job.seq), data: JSON.stringify(toJobView(deps.job)) });
    if (from === null) return;
    for await (const { seq, event } of followJob(deps.pipeline.nc, deps.job.jobId, from, signal))
      await stream.writeSSE({ event: eventName(event), id: String(seq), data: JSON.stringify(eventView(event)) });
  } finally {
    clearInterval(keepalive);
    gone.abort();
  }
}

const eventName = (ev: JobEvent): string => (EventType[ev.type] ?? "unspecified").toLowerCase();

function eventView(ev: JobEvent) {
  return {
    job_id: ev.jobId,
    type: eventName(ev),
    time: new Date(ev.timeUnixMs).toISOString(),
    ...(ev.stage ? { stage: ev.stage } : {}),
    ...(ev.progress ? { progress: { pct: ev.progress.pct, message: ev.progress.message, stage: ev.progress.stage } } : {}),
    ...(ev.error?.code ? { error: { code: ev.error.code, message: ev.error.message } } : {}),
  };
}
