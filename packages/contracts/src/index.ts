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
// The REST API: its zod schemas (`rest.ExtractRequest`, …: the gateway validates with them) and the OpenAPI document built from them.
export * as rest from "./rest/schemas.js";
export { buildOpenApi } from "./rest/openapi.js";
export type {
  ApiError,
  BBox,
  Block,
  BlockLine,
  BlockType,
  Chunk,
  Chunking,
  Extraction,
  ExtractionPage,
  JobTimings,
  SchemaCitation,
  SchemaConfig,
  SchemaResult,
  SplitConfig,
  SplitPartition,
  SplitResult,
  SplitSectionInput,
  SplitSectionResult,
  Table,
  TableCell,
} from "./rest/schemas.js";
export * from "./vendor-compat.js";
