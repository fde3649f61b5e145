// tesseract.js inside one OCR worker process (ocr-child.ts): a recognition worker that switches
// languages on demand, and a lazily created orientation (OSD) worker. Set up as checked in
// shared/ANCHORS.md §2: local langPath (never the CDN), gzip, no cache files in the cwd,
// LSTM-only with PSM.AUTO (else two-column pages interleave), a guarded createWorker.
import Tesseract from "tesseract.js";
import type { TessBlock } from "./ocr-result.js";

const { createWorker, OEM, PSM } = Tesseract;

export interface Recognition {
  blocks: TessBlock[];
  /** tesseract's mean text confidence, 0..100. */
  confidence: number;
}

export interface Orientation {
  /** Clockwise degrees that turn the image upright. */
  degrees: number;
  confidence: number;
}

export class OcrEngine {
  private worker: Tesseract.Worker | null = null;
  private languages = "";
  private osd: Promise<Tesseract.Worker> | null = null;

  constructor(
    private readonly langPath: string,
    private readonly initTimeoutMs: number,
  ) {}

  /** Loads the default language now, so the first page does not pay for it (and a broken set-up fails at start). */
  async start(languages: readonly string[]): Promise<void> {
    await this.use(languages);
  }

  async recognize(pgm: Buffer, languages: readonly string[], dpi: number | null): Promise<Recognition> {
    const worker = await this.use(languages);
    // user_defined_dpi tells tesseract what the CLI reads from a file header (PGM has none).
    const params = dpi ? { user_defined_dpi: String(Math.round(dpi)) } : {};
    const { data } = await worker.recognize(pgm, params as Partial<Tesseract.RecognizeOptions>, { blocks: true, text: false });
    return { blocks: (data.blocks ?? []) as TessBlock[], confidence: data.confidence };
  }

  /** Orientation of the page, or null when tesseract cannot tell (too little text). */
  async orientation(pgm: Buffer): Promise<Orientation | null> {
    const osd = await (this.osd ??= this.create("osd", OEM.TESSERACT_ONLY, true));
    const { data } = await osd.detect(pgm);
    if (data.orientation_degrees === null || data.orientation_confidence === null) return null;
    // tesseract.js maps OSD's orientation id to the rotation that makes the page upright, clockwise.
    return { degrees: data.orientation_degrees, confidence: data.orientation_confidence };
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    await (await this.osd?.catch(() => null))?.terminate();
  }

  private async use(languages: readonly string[]): Promise<Tesseract.Worker> {
    const wanted = languages.join("+");
    if (this.worker && wanted === this.languages) return this.worker;
    if (this.worker) {
      // Re-initialising resets every parameter, so PSM is set again below.
      await withTimeout(this.worker.reinitialize(wanted, OEM.LSTM_ONLY), this.initTimeoutMs, `loading ${wanted}`);
    } else {
      this.worker = await this.create(wanted, OEM.LSTM_ONLY, false);
    }
    await this.worker.setParameters({ tessedit_pageseg_mode: PSM.AUTO });
    this.languages = wanted;
    return this.worker;
  }

  private create(languages: string, oem: Tesseract.OEM, legacy: boolean): Promise<Tesseract.Worker> {
    const worker = createWorker(languages, oem, {
      langPath: this.langPath,
      gzip: true,
      cacheMethod: "none",
      // Without a handler, a failed job is re-thrown as an uncaught exception (the process dies);
      // with one, the job's own promise still rejects, which is what we act on.
      errorHandler: () => undefined,
      logger: () => undefined,
      ...(legacy ? { legacyCore: true, legacyLang: true } : {}),
    });
    return withTimeout(worker, this.initTimeoutMs, `starting tesseract (${languages})`);
  }
}

/** createWorker's promise never settles when its data fails to load: bound it. */
function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
