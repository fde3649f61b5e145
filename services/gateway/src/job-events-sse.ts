import { fromBinary } from "@bufbuild/protobuf";
import { EventType, JobEventSchema, isTerminalStatus, type JobRecord, type JobEvent } from "@quire/contracts";
import { eventSubject, isTerminalEvent, type Pipeline } from "@quire/runtime";
import type { SSEStreamingApi } from "hono/streaming";
import type { JobsClient } from "./jobs-client.js";
import { toJobView } from "./job-view.js";

export interface JobEventsStreamDeps {
  pipeline: Pipeline;
  jobs: JobsClient;
  tenant: string;
  job: JobRecord;
  /** Aborted at shutdown: the stream ends and the client reconnects elsewhere. */
  signal: AbortSignal;
}

/** Comments keep proxies from closing an idle stream during a long page. */
const KEEPALIVE_MS = 15_000;

/**
 * `GET /v1/jobs/{id}/events`: first the job as it stands (event `job`), then each of its events
 * as it happens (`started`, `progress`, `stage_completed`, …) until the terminal one. The
 * subscription starts before the state is read, so nothing between the two is missed.
 */
export async function streamJobEvents(stream: SSEStreamingApi, deps: JobEventsStreamDeps): Promise<void> {
  const sub = deps.pipeline.nc.subscribe(eventSubject(deps.job.jobId));
  const stop = () => sub.unsubscribe();
  stream.onAbort(stop);
  deps.signal.addEventListener("abort", stop, { once: true });
  const keepalive = setInterval(() => void stream.write(": keepalive\n\n").catch(stop), KEEPALIVE_MS);
  try {
    const now = (await deps.jobs.get(deps.tenant, deps.job.jobId)) ?? deps.job;
    await stream.writeSSE({ event: "job", data: JSON.stringify(toJobView(now)) });
    if (isTerminalStatus(now.status)) return;
    for await (const m of sub) {
      const ev = fromBinary(JobEventSchema, m.data);
      await stream.writeSSE({ event: eventName(ev), id: ev.eventId, data: JSON.stringify(eventView(ev)) });
      if (isTerminalEvent(ev.type)) return;
    }
  } finally {
    clearInterval(keepalive);
    deps.signal.removeEventListener("abort", stop);
    stop();
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
