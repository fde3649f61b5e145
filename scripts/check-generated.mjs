#!/usr/bin/env node
// Fails when packages/contracts/src/gen differs from what `buf generate` makes of proto/.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const out = mkdtempSync(path.join(tmpdir(), "quire-gen-"));
const template = JSON.stringify({
  version: "v2", clean: true,
  plugins: [{ local: "protoc-gen-es", out, opt: ["target=ts", "import_extension=js"] }],
});
const env = { ...process.env, PATH: `${path.join(root, "node_modules/.bin")}:${process.env.PATH}` };
execFileSync("buf", ["generate", "proto", "--template", template], { cwd: root, stdio: "inherit", env });

const list = (dir) => readdirSync(dir, { recursive: true }).filter((f) => statSync(path.join(dir, f)).isFile()).sort();
const committed = path.join(root, "packages/contracts/src/gen");
const a = list(committed), b = list(out);
const stale = [...new Set([...a, ...b])].filter(
  (f) => !a.includes(f) || !b.includes(f) || readFileSync(path.join(committed, f), "utf8") !== readFileSync(path.join(out, f), "utf8"),
);
rmSync(out, { recursive: true, force: true });
if (stale.length) {
  console.error(`generated code is stale: ${stale.join(", ")}\nrun \`pnpm generate\` and commit the result`);
  process.exit(1);
}
console.error("generated code is up to date");
