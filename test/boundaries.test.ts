// The layering rule, checked: a service imports only the shared packages (@quire/contracts,
// @quire/runtime, @quire/json-schema) by their package names, never another service and never
// a deep path into a package; packages never import a service.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const SHARED = new Set(["@quire/contracts", "@quire/runtime", "@quire/runtime/testing", "@quire/json-schema"]);

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && !["node_modules", "dist", "gen"].includes(e.name)) out.push(...(await sources(p)));
    else if (e.isFile() && e.name.endsWith(".ts")) out.push(p);
  }
  return out;
}

async function importsOf(file: string): Promise<string[]> {
  const text = await readFile(file, "utf8");
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^;]*?from\s+"([^"]+)"|import\("([^"]+)"\)/g)].map((m) => m[1] ?? m[2] ?? "");
}

describe("import boundaries", () => {
  it("services import shared packages by name only, and no other service", async () => {
    const problems: string[] = [];
    for (const service of await readdir(path.join(root, "services"))) {
      const dir = path.join(root, "services", service);
      for (const file of await sources(dir)) {
        for (const spec of await importsOf(file)) {
          const rel = path.relative(root, file);
          if (spec.startsWith("@quire/") && !SHARED.has(spec)) problems.push(`${rel}: ${spec} (a deep path or another service)`);
          if (spec.startsWith(".") && !path.resolve(path.dirname(file), spec).startsWith(dir + path.sep))
            problems.push(`${rel}: ${spec} (outside the service)`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("packages never import a service", async () => {
    const problems: string[] = [];
    for (const pkg of await readdir(path.join(root, "packages"))) {
      for (const file of await sources(path.join(root, "packages", pkg, "src"))) {
        for (const spec of await importsOf(file)) {
          const target = spec.startsWith(".") ? path.resolve(path.dirname(file), spec) : "";
          if (
            target.startsWith(path.join(root, "services")) ||
            /^@quire\/(gateway|parse|extract|split|schema|job-status|notifier)\b/.test(spec)
          )
            problems.push(`${path.relative(root, file)}: ${spec}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("the notifier alone names its buckets: everyone else goes through WebhooksService", async () => {
    const problems: string[] = [];
    for (const dir of ["services", "packages"]) {
      for (const file of await sources(path.join(root, dir))) {
        if (file.startsWith(path.join(root, "services", "notifier") + path.sep)) continue;
        if (/quire_webhook_/.test(await readFile(file, "utf8"))) problems.push(path.relative(root, file));
      }
    }
    expect(problems).toEqual([]);
  });
});
