import type { rest } from "@quire/contracts";
import type { PlanStepInit } from "./submit.js";

/**
 * Job plans: which stages an operation runs, in order, each with its options. The gateway is
 * the only place that knows them; stages never name their successor, so a new operation is a
 * new plan here plus its service.
 */

type ParseFields = Pick<rest.ExtractRequest, "pages" | "password" | "ocr" | "languages">;

const parseStep = (r: ParseFields): PlanStepInit => ({
  stage: "parse",
  options: { case: "parse", value: { pages: r.pages ?? "", password: r.password ?? "", ocr: r.ocr, languages: r.languages } },
});

/** parse → extract. */
export function extractPlan(r: rest.ExtractRequest): PlanStepInit[] {
  return [
    parseStep(r),
    {
      stage: "extract",
      options: {
        case: "extract",
        value: {
          tables: r.tables,
          persist: r.persist,
          ...(r.chunking ? { chunking: { strategy: r.chunking.strategy, maxChars: r.chunking.max_chars ?? 0 } } : {}),
        },
      },
    },
  ];
}

/** parse → extract → split for a file; split alone for an extraction_id. */
export function splitPlan(r: rest.SplitRequest): PlanStepInit[] {
  const split: PlanStepInit = {
    stage: "split",
    options: {
      case: "split",
      value: {
        sections: r.split_config.split_input.map((s) => ({
          name: s.name,
          description: s.description,
          partitionKey: s.partition_key ?? "",
        })),
        rules: r.split_config.split_rules ?? "",
        // Empty: the split service's configured default (QUIRE_SPLIT_ENGINE).
        engine: r.engine ?? "",
      },
    },
  };
  return readingPlan(r, split);
}

/** parse → extract → schema for a file; schema alone for an extraction_id. */
export function schemaPlan(r: rest.SchemaRequest): PlanStepInit[] {
  const schema: PlanStepInit = {
    stage: "schema",
    options: {
      case: "schema",
      value: {
        inputSchemaJson: JSON.stringify(r.schema_config.input_schema),
        prompt: r.schema_config.schema_prompt ?? "",
        // Empty: the schema service's configured default (QUIRE_SCHEMA_ENGINE).
        engine: r.engine ?? "",
      },
    },
  };
  return readingPlan(r, schema);
}

/** An operation that reads an extraction: parse → extract → it for a file; it alone for an extraction_id. */
function readingPlan(r: rest.SplitRequest | rest.SchemaRequest, step: PlanStepInit): PlanStepInit[] {
  if (r.extraction_id) return [step];
  return [parseStep(r), { stage: "extract", options: { case: "extract", value: {} } }, step];
}
