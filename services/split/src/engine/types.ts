import type { Extraction, SplitResult, SplitSectionInput } from "@quire/contracts";

/** What an engine is asked: the sections to fill and the user's free-text rules. */
export interface SplitRequest {
  sections: SplitSectionInput[];
  rules?: string;
}

/** An engine's answer: everything of SplitResult but the ids and usage, which the stage adds. */
export type SplitOutcome = Pick<SplitResult, "splits" | "unassigned_pages">;

/** The part of an extraction an engine reads: pages with their blocks. */
export type SplitInput = Pick<Extraction, "pages" | "page_count">;
