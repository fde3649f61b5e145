// Admission control for new jobs: the work queue's depth is read from the parse consumer
// (messages not yet delivered plus those being worked on) before a job is created, so a full
// queue answers 429 without creating anything. The stream's own max_msgs is a hard limit set
// well above this (topology.ts), so the successor stages of admitted jobs always fit.
import type { JetStreamManager } from "@nats-io/jetstream";
import { ErrorCode, QuireError, WORK_STREAM } from "@quire/runtime";

export type Admission = () => Promise<void>;

export function createAdmission(jsm: JetStreamManager, maxQueuedJobs: number): Admission {
  return async () => {
    const info = await jsm.consumers.info(WORK_STREAM, "parse");
    const queued = info.num_pending + info.num_ack_pending;
    if (queued >= maxQueuedJobs)
      throw new QuireError(ErrorCode.RateLimited, `the work queue is full (${queued} jobs waiting); retry later`, {
        queued,
        limit: maxQueuedJobs,
      });
  };
}
