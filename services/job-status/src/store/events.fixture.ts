import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { EventType, JobEventSchema, JobKind, type JobEvent } from "@quire/contracts";

/** The plain-object form of an event (not a message instance), so it can be spread. */
type EventInit = Exclude<MessageInitShape<typeof JobEventSchema>, JobEvent>;

/**
 * Builds job events for tests: `ev("job_1", EventType.PROGRESS, { progress: {...} })`.
 * Defaults: tenant "acme", kind extract, time now, an event id derived from job and type.
 */
export function ev(jobId: string, type: EventType, over: EventInit = {}): JobEvent {
  return create(JobEventSchema, {
    eventId: `${jobId}:${EventType[type]?.toLowerCase() ?? type}:${Math.random().toString(36).slice(2)}`,
    jobId,
    tenantId: "acme",
    kind: JobKind.EXTRACT,
    timeUnixMs: Date.now(),
    type,
    ...over,
  });
}

export const accepted = (jobId: string, over: EventInit = {}): JobEvent =>
  ev(jobId, EventType.ACCEPTED, { metadataJson: '{"ref":"x"}', deadlineUnixMs: Date.now() + 3_600_000, ...over });
