import { fromBinary } from "@bufbuild/protobuf";
import { EventType, JobEventSchema, type JobEvent } from "@quire/contracts";
import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";

export type NamedEvent = Omit<JobEvent, "type"> & { type: string };

/** Every event of one job, in stream order, read straight from QUIRE_EVENTS. */
export async function readJobEvents(natsUrl: string, jobId: string): Promise<NamedEvent[]> {
  const nc = await connect({ servers: natsUrl });
  try {
    const js = jetstream(nc);
    const consumer = await js.consumers.get("QUIRE_EVENTS", { filter_subjects: `quire.events.${jobId}` });
    const info = await consumer.info(true);
    const out: NamedEvent[] = [];
    const total = info.num_pending;
    while (out.length < total) {
      const m = await consumer.next({ expires: 2_000 });
      if (!m) break;
      const ev = fromBinary(JobEventSchema, m.data);
      out.push({ ...ev, type: EventType[ev.type].toLowerCase() });
    }
    return out;
  } finally {
    await nc.close();
  }
}
