// Every service in services/ is built by compose and deployed by the Kubernetes manifests, and
// started by `pnpm start`: a new service cannot be forgotten in one of them.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const services = (await readdir(join(root, "services"), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);

describe("deployment manifests", () => {
  it("name every service: compose builds it, a Deployment runs its image, pnpm start starts it", async () => {
    const compose = await readFile(join(root, "docker-compose.yml"), "utf8");
    const k8s = (
      await Promise.all((await readdir(join(root, "deploy/base"))).map((f) => readFile(join(root, "deploy/base", f), "utf8")))
    ).join("\n");
    const start = await readFile(join(root, "scripts/start.mjs"), "utf8");
    expect(services.length).toBeGreaterThanOrEqual(7);
    for (const name of services) {
      expect.soft(compose, `docker-compose.yml builds ${name}`).toContain(`SERVICE: ${name} }`);
      expect.soft(k8s, `deploy/base runs quire/${name}`).toContain(`image: quire/${name}:`);
      expect.soft(start, `scripts/start.mjs starts ${name}`).toMatch(new RegExp(`["']${name}["']`));
    }
  });
});
