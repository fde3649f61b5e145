import { fromBinary } from "@bufbuild/protobuf";
import { JobEventSchema, type JobEvent } from "@quire/contracts";
import { DeliverPolicy, jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { EVENTS_STREAM, eventSubject } from "../src/nats/topology.js";

/** Every event of one job in stream order, read with an ordered consumer. */
export async function readEvents(nc: NatsConnection, jobId: string): Promise<JobEvent[]> {
  const consumer = await jetstream(nc).consumers.get(EVENTS_STREAM, {
    filter_subjects: eventSubject(jobId),
    deliver_policy: DeliverPolicy.All,
  });
  const out: JobEvent[] = [];
  for (;;) {
    const m = await consumer.next({ expires: 1_000 });
    if (!m) return out;
    out.push(fromBinary(JobEventSchema, m.data));
    if ((m.info.pending ?? 0) === 0) return out;
  }
}
