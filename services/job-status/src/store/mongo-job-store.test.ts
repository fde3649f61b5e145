import { randomUUID } from "node:crypto";
import { MongoClient } from "mongodb";
import { afterAll, describe } from "vitest";
import { jobStoreContract, RETENTION_MS } from "./job-store.contract.js";
import { openMongoJobStore } from "./mongo-job-store.js";

const uri = process.env.QUIRE_TEST_MONGODB_URI;

if (uri) {
  // Every store gets its own database, dropped at the end, so tests never see each other's jobs.
  const dbs: string[] = [];
  jobStoreContract("mongo", async () => {
    const dbName = `quire_test_${randomUUID().slice(0, 8)}`;
    dbs.push(dbName);
    return openMongoJobStore({ uri, dbName, retentionMs: RETENTION_MS, serverSelectionTimeoutMs: 5_000 });
  });
  afterAll(async () => {
    const client = await MongoClient.connect(uri);
    for (const db of dbs) await client.db(db).dropDatabase();
    await client.close();
  });
} else {
  console.log("JobStore contract: mongo SKIPPED — QUIRE_TEST_MONGODB_URI is not set (no MongoDB server on this machine)");
  jobStoreContract(
    "mongo (QUIRE_TEST_MONGODB_URI not set — no MongoDB server on this machine)",
    async () => {
      throw new Error("unreachable: the suite is skipped");
    },
    describe.skip,
  );
}
