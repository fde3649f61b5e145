import { describe, expect, it } from "vitest";
import { ConfigError } from "@quire/runtime";
import { DEFAULT_RETRY_SCHEDULE_MS, loadConfig } from "./config.js";

const KEY = { QUIRE_SECRETS_KEY: `k1:${Buffer.alloc(32, 7).toString("base64")}` };

describe("notifier config", () => {
  it("defaults to Svix's schedule, a 15 s timeout and refusing private targets", () => {
    const c = loadConfig({ ...KEY });
    expect(c.webhook).toMatchObject({
      retryScheduleMs: DEFAULT_RETRY_SCHEDULE_MS,
      timeoutMs: 15_000,
      allowPrivateTargets: false,
      disableAfterMs: 432_000_000,
    });
    expect(DEFAULT_RETRY_SCHEDULE_MS).toEqual([0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    // result_url is absolute even unset: the gateway on this machine, flagged so the notifier warns.
    expect(c.webhook).toMatchObject({ publicUrl: "http://localhost:8080", publicUrlDefaulted: true });
  });

  it("takes a compressed schedule and a public URL from the environment", () => {
    const c = loadConfig({ ...KEY, QUIRE_WEBHOOK_RETRY_SCHEDULE_MS: "0, 100,200", QUIRE_PUBLIC_URL: "https://q.example/" });
    expect(c.webhook.retryScheduleMs).toEqual([0, 100, 200]);
    expect(c.webhook).toMatchObject({ publicUrl: "https://q.example", publicUrlDefaulted: false });
  });

  it("needs a keyring for the secrets it keeps, and refuses a bad one with what to do", () => {
    expect(() => loadConfig({})).toThrow(/QUIRE_SECRETS_KEY is required/);
    expect(() => loadConfig({ QUIRE_SECRETS_KEY: "k1:c2hvcnQ=" })).toThrow(/must be 32 bytes/);
    expect(() => loadConfig({ QUIRE_SECRETS_KEY: "k1:replace-with-openssl-rand-base64-32" })).toThrow(/placeholder/);
    expect(loadConfig({ QUIRE_SECRETS_KEY: `${KEY.QUIRE_SECRETS_KEY},k0:${Buffer.alloc(32, 1).toString("base64")}` }).keyring.current).toBe(
      "k1",
    );
  });

  it("lists every bad variable at once", () => {
    try {
      loadConfig({ QUIRE_WEBHOOK_RETRY_SCHEDULE_MS: "5s", QUIRE_WEBHOOK_TIMEOUT_MS: "-1" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.join("\n")).toMatch(
        /QUIRE_WEBHOOK_RETRY_SCHEDULE_MS[\s\S]*QUIRE_WEBHOOK_TIMEOUT_MS|QUIRE_WEBHOOK_TIMEOUT_MS[\s\S]*QUIRE_WEBHOOK_RETRY_SCHEDULE_MS/,
      );
    }
  });
});
