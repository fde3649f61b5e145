import { jobStoreContract, RETENTION_MS } from "./job-store.contract.js";
import { createMemoryJobStore } from "./memory-job-store.js";

jobStoreContract("memory", async () => createMemoryJobStore({ retentionMs: RETENTION_MS }));
