#!/usr/bin/env node
/**
 * The `quire` command. This file is the CLI's composition root: the only place that reads the
 * environment, sets the exit code and touches `process.argv`.
 */
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { Quire } from "./client.js";
import { DEFAULT_BASE_URL, SDK_VERSION } from "./http.js";
import { extractCommand } from "./cli-extract.js";
import { schemaCommand } from "./cli-schema.js";
import { splitCommand } from "./cli-split.js";
import { extractionsGetCommand, jobsCancelCommand, jobsGetCommand, jobsListCommand, uploadCommand } from "./cli-commands.js";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, formatError, type CliContext, type Flags } from "./cli-support.js";

const USAGE = `usage: quire <command> [options]

commands:
  extract <file|url|file_id>  extract markdown and blocks; waits with a progress bar
      --pages 1-3,7             page selection (1-based)
      --password <pw>           password of an encrypted PDF
      --ocr auto|always|never   --languages eng,deu
      --tables markdown|html    tables in the markdown: pipe tables, or HTML keeping row/col spans
      --chunking section|page|size[:max_chars]
                                how chunks are cut (default: one per page), e.g. size:2000
      --persist                 keep the extraction past the retention period
      --out <result.json>       write the result JSON here (default: stdout)
      --markdown <out.md>       write the markdown here
      --async                   print the job id and return at once
  split <file|url|file_id|extraction_id> --sections <sections.json>
                              split a bundle into named sections; waits with a progress bar,
                              then prints each section's page ranges (and partitions)
      --sections <file>         [{"name","description","partition_key"?}, ...] or a whole
                                split_config {"split_input": [...], "split_rules"?}
      --engine deterministic|llm  (default: the server's QUIRE_SPLIT_ENGINE)
      --pages, --password, --ocr, --languages   as for extract (ignored for an extraction_id)
      --out <result.json>       write the result JSON here instead of printing the table
      --json                    print the result JSON instead of the table
      --async                   print the job id and return at once
  schema <file|url|file_id|extraction_id> --schema <schema.json>
                              fill a JSON Schema from the document; waits with a progress bar,
                              then prints each value with the page it was read on
      --schema <file>           a JSON Schema object (2020-12, or draft-07 via $schema)
      --prompt <text>           guidance for the llm engine (e.g. "dates are DD/MM")
      --engine deterministic|llm  (default: the server's QUIRE_SCHEMA_ENGINE)
      --pages, --password, --ocr, --languages   as for extract (ignored for an extraction_id)
      --out <result.json>       write the result JSON (values, citations, confidence) here
      --json                    print the result JSON instead of the table
      --async                   print the job id and return at once
  upload <file>               upload once; prints the file_id to reuse
  jobs list [--status s] [--kind k] [--limit n] [--cursor c] [--json]
  jobs get <job_id>           the job as JSON (with its result once completed)
  jobs cancel <job_id>
  extractions get <extraction_id>
                              a stored extraction as JSON (ext_…, from an extract, split or schema result)

global options:
  --api-key <key>   or QUIRE_API_KEY
  --base-url <url>  or QUIRE_BASE_URL (default ${DEFAULT_BASE_URL})
  QUIRE_POLL_INTERVAL_MS  time between job polls (default 1000)
  -h, --help        --version
`;

type Run = (ctx: CliContext) => Promise<number>;

const GLOBAL_OPTIONS: ParseArgsOptionsConfig = {
  "api-key": { type: "string" },
  "base-url": { type: "string" },
  help: { type: "boolean", short: "h" },
};

const COMMANDS: Record<string, { options: ParseArgsOptionsConfig; run: Run }> = {
  extract: {
    run: extractCommand,
    options: {
      pages: { type: "string" },
      password: { type: "string" },
      ocr: { type: "string" },
      languages: { type: "string" },
      tables: { type: "string" },
      chunking: { type: "string" },
      persist: { type: "boolean" },
      out: { type: "string", short: "o" },
      markdown: { type: "string" },
      async: { type: "boolean" },
    },
  },
  split: {
    run: splitCommand,
    options: {
      sections: { type: "string" },
      engine: { type: "string" },
      pages: { type: "string" },
      password: { type: "string" },
      ocr: { type: "string" },
      languages: { type: "string" },
      out: { type: "string", short: "o" },
      json: { type: "boolean" },
      async: { type: "boolean" },
    },
  },
  schema: {
    run: schemaCommand,
    options: {
      schema: { type: "string" },
      prompt: { type: "string" },
      engine: { type: "string" },
      pages: { type: "string" },
      password: { type: "string" },
      ocr: { type: "string" },
      languages: { type: "string" },
      out: { type: "string", short: "o" },
      json: { type: "boolean" },
      async: { type: "boolean" },
    },
  },
  upload: { run: uploadCommand, options: {} },
  "jobs list": {
    run: jobsListCommand,
    options: {
      status: { type: "string" },
      kind: { type: "string" },
      limit: { type: "string" },
      cursor: { type: "string" },
      json: { type: "boolean" },
    },
  },
  "jobs get": { run: jobsGetCommand, options: {} },
  "jobs cancel": { run: jobsCancelCommand, options: {} },
  "extractions get": { run: extractionsGetCommand, options: {} },
};

/** `jobs` and `extractions` take a subcommand; the others are one word. Returns the table key and the rest of argv. */
function commandOf(argv: string[]): [string, string[]] {
  const [first = "", second = "", ...rest] = argv;
  if (first === "jobs" || first === "extractions") return [`${first} ${second}`, rest];
  return [first, argv.slice(1)];
}

function parse(options: ParseArgsOptionsConfig, args: string[]): { flags: Flags; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options: { ...GLOBAL_OPTIONS, ...options }, allowPositionals: true });
    return { flags: values as Flags, positionals };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function createClient(flags: Flags, env: NodeJS.ProcessEnv): Quire {
  const apiKey = (flags["api-key"] as string | undefined) ?? env["QUIRE_API_KEY"];
  if (!apiKey) throw new UsageError("no API key: set QUIRE_API_KEY or pass --api-key");
  const baseUrl = (flags["base-url"] as string | undefined) ?? (env["QUIRE_BASE_URL"] || DEFAULT_BASE_URL);
  return new Quire(apiKey, { baseUrl });
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (argv.length === 0) {
    process.stderr.write(USAGE);
    return EXIT_USAGE;
  }
  if (argv[0] === "-h" || argv[0] === "--help" || argv[0] === "help") {
    process.stdout.write(USAGE);
    return EXIT_OK;
  }
  if (argv[0] === "--version") {
    process.stdout.write(`${SDK_VERSION}\n`);
    return EXIT_OK;
  }
  const [name, rest] = commandOf(argv);
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command: ${name.trim() || argv.join(" ")}`);
  const { flags, positionals } = parse(command.options, rest);
  if (flags["help"]) {
    process.stdout.write(USAGE);
    return EXIT_OK;
  }
  const quire = createClient(flags, env);
  const pollIntervalMs = Number(env["QUIRE_POLL_INTERVAL_MS"]) || undefined;
  const streams = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
  return command.run({ quire, args: positionals, flags, pollIntervalMs, ...streams });
}

function report(err: unknown): number {
  if (err instanceof UsageError) {
    process.stderr.write(`quire: ${err.message}\nrun "quire --help" for usage\n`);
    return EXIT_USAGE;
  }
  process.stderr.write(`${formatError(err)}\n`);
  return EXIT_FAILURE;
}

// Set the exit code rather than calling process.exit(), so pending writes to stdout finish.
main(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = report(err);
  },
);
