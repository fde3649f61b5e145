#!/usr/bin/env node
// Fails when generated code differs from what its source makes: packages/contracts/src/gen from
// proto/ (`buf generate`), and openapi.json and packages/sdk/src/gen/api.ts from the REST schemas in
// packages/contracts/src/rest (scripts/generate-rest.mjs; reads packages/contracts/dist, so build first).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { REST_FILES, restFiles } from "./generate-rest.mjs";

const root = path.resolve(import.meta.dirname, "..");
const out = mkdtempSync(path.join(tmpdir(), "quire-gen-"));
const template = JSON.stringify({
  version: "v2",
  clean: true,
  plugins: [{ local: "protoc-gen-es", out, opt: ["target=ts", "import_extension=js"] }],
});
const env = { ...process.env, PATH: `${path.join(root, "node_modules/.bin")}:${process.env.PATH}` };
execFileSync("buf", ["generate", "proto", "--template", template], { cwd: root, stdio: "inherit", env });

const list = (dir) =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => statSync(path.join(dir, f)).isFile())
    .sort();
const committed = path.join(root, "packages/contracts/src/gen");
const a = list(committed),
  b = list(out);
const staleProto = [...new Set([...a, ...b])]
  .filter(
    (f) => !a.includes(f) || !b.includes(f) || readFileSync(path.join(committed, f), "utf8") !== readFileSync(path.join(out, f), "utf8"),
  )
  .map((f) => `packages/contracts/src/gen/${f}`);
rmSync(out, { recursive: true, force: true });

const fresh = await restFiles();
const staleRest = REST_FILES.filter((f) => !existsSync(path.join(root, f)) || readFileSync(path.join(root, f), "utf8") !== fresh[f]);

const problems = [
  ...(staleProto.length ? [`stale: ${staleProto.join(", ")} (from proto/): run \`pnpm generate\` and commit the result`] : []),
  ...(staleRest.length
    ? [`stale: ${staleRest.join(", ")} (from packages/contracts/src/rest): run \`pnpm generate:rest\` and commit the result`]
    : []),
];
if (problems.length) {
  console.error(`generated code is stale:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.error("generated code is up to date");
