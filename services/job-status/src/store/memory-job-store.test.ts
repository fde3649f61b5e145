import { describe, expect, it } from "vitest";
import { accepted } from "./events.fixture.js";
import { jobStoreContract, RETENTION_MS } from "./job-store.contract.js";
import { createMemoryJobStore } from "./memory-job-store.js";

jobStoreContract("memory", async () => createMemoryJobStore({ retentionMs: RETENTION_MS }));

describe("memory job store, beyond the contract", () => {
  it("keeps nothing between instances: each starts empty at checkpoint 0, to be rebuilt from the stream", async () => {
    const first = createMemoryJobStore({ retentionMs: RETENTION_MS });
    await first.apply(accepted("job_a"), 7);
    expect(await first.checkpoint()).toBe(7);
    await first.close();
    const second = createMemoryJobStore({ retentionMs: RETENTION_MS });
    expect(await second.checkpoint()).toBe(0);
    expect(await second.get("acme", "job_a")).toBeNull();
    await second.close();
  });
});
