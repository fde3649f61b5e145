#!/usr/bin/env node
// Submits a document over gRPC (quire.v1.JobsService on the gateway) and watches the job to its
// end. From a checkout, with `pnpm start` running:
//   KEY=$(cat .quire/dev-api-key) node examples/grpc-watch.mjs sample.pdf
// QUIRE_GRPC_ADDR (default localhost:50051) names another gateway.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { credentials, makeGenericClientConstructor, Metadata } from "@grpc/grpc-js";
import { EventType, JobStatus, JobsService, toGrpcDefinition } from "@quire/contracts";

const file = process.argv[2];
if (!file || !process.env.KEY) {
  console.error("usage: KEY=<api key> node examples/grpc-watch.mjs FILE");
  process.exit(2);
}
const Client = makeGenericClientConstructor(toGrpcDefinition(JobsService), "JobsService");
const client = new Client(process.env.QUIRE_GRPC_ADDR ?? "localhost:50051", credentials.createInsecure());
const md = new Metadata();
md.set("x-api-key", process.env.KEY);

const request = { input: { case: "file", value: await readFile(file) }, filename: path.basename(file), async: true };
client.extract(request, md, { deadline: Date.now() + 30_000 }, (err, res) => {
  if (err) {
    console.error(`Extract: ${err.details} (${err.metadata.get("quire-error-code")[0] ?? err.code})`);
    process.exit(1);
  }
  console.log(`job ${res.jobId}`);
  client
    .watchJob({ jobId: res.jobId }, md)
    .on("data", ({ seq, update }) => {
      if (update.case === "job") console.log(`${seq}  state ${JobStatus[update.value.status]}  trace ${update.value.traceId}`);
      else console.log(`${seq}  ${EventType[update.value.type]}  ${update.value.stage} ${update.value.progress?.pct ?? ""}`);
    })
    .on("error", (e) => {
      console.error(`WatchJob: ${e.details}`);
      process.exit(1);
    })
    .on("end", () => client.close());
});
