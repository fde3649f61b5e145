// Generated protobuf messages (never edited by hand; regenerate with `pnpm generate`).
export * from "./gen/quire/v1/common_pb.js";
export * from "./gen/quire/v1/work_pb.js";
export * from "./gen/quire/v1/events_pb.js";
export * from "./gen/quire/v1/jobs_pb.js";
export * from "./gen/quire/v1/artifacts_pb.js";
export * from "./gen/quire/v1/api_pb.js";
export * from "./gen/quire/v1/webhooks_pb.js";

export { createGrpcClient, toGrpcDefinition, fileDescriptorSet } from "./grpc.js";
export type { GrpcClient } from "./grpc.js";
export { OCR_LANGUAGES, missingLanguages, type OcrLanguage } from "./ocr.js";
export { jobKindName, jobStatusName, parseJobKind, parseJobStatus, isTerminalStatus } from "./names.js";
export type * from "./rest.js";
export * from "./vendor-compat.js";
