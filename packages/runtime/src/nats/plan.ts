import type { ExtractOptions, ParseOptions, PlanStep, SchemaOptions, SplitOptions, StageJob } from "@quire/contracts";
import { ErrorCode, QuireError } from "../errors.js";
import { STAGES, type Stage } from "./topology.js";

/**
 * Each stage's share of a job's progress bar, by the work it usually does: parse (pdf.js or
 * OCR) dominates, layout comes next, split and schema read an extraction already laid out.
 * A plan's shares are these weights normalized over its own stages, so progress runs from 0
 * to 100 whatever the plan.
 */
export const STAGE_WEIGHTS: Readonly<Record<Stage, number>> = { parse: 5, extract: 3, split: 2, schema: 2 };

export const isStage = (s: string): s is Stage => (STAGES as readonly string[]).includes(s);

/** The step this message is for; a message whose plan does not name a known stage there is a bug upstream. */
export function currentStep(job: Pick<StageJob, "plan" | "step" | "jobId">): PlanStep & { stage: Stage } {
  const step = job.plan[job.step];
  if (!step || !isStage(step.stage))
    throw new QuireError(ErrorCode.Internal, `job ${job.jobId}: plan has no stage at step ${job.step}`, {}, { retryable: false });
  return step as PlanStep & { stage: Stage };
}

/**
 * Overall percent for `fraction` (0..1) of step `step` done: the shares of the steps before it
 * plus that fraction of its own share, rounded to 0.1. Monotonic in (step, fraction).
 */
export function planPct(plan: readonly Pick<PlanStep, "stage">[], step: number, fraction: number): number {
  const weight = (s: Pick<PlanStep, "stage">): number => (isStage(s.stage) ? STAGE_WEIGHTS[s.stage] : 1);
  const total = plan.reduce((n, s) => n + weight(s), 0);
  if (total === 0) return 0;
  const before = plan.slice(0, step).reduce((n, s) => n + weight(s), 0);
  const own = plan[step] ? weight(plan[step]) : 0;
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  return Math.round((1000 * (before + own * f)) / total) / 10;
}

/** Each operation's options message, by its name in PlanStep's `options` oneof. */
interface StepOptionsOf {
  parse: ParseOptions;
  extract: ExtractOptions;
  split: SplitOptions;
  schema: SchemaOptions;
}

/**
 * The options the plan gives the current step, if they are of operation `kind`; a stage reads
 * its own options from the job this way (the worker has checked the step is this stage's).
 */
export function stepOptions<K extends keyof StepOptionsOf>(job: Pick<StageJob, "plan" | "step">, kind: K): StepOptionsOf[K] | undefined {
  const options = job.plan[job.step]?.options;
  if (options?.case !== kind) return undefined;
  return options.value as StepOptionsOf[K];
}
