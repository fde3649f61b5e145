// An OCR WORKER PROCESS, forked by ocr-pool.ts with --disallow-code-generation-from-strings
// (tesseract's WebAssembly still compiles: only eval/new Function are refused) and an empty
// environment. It holds one tesseract.js worker for its whole life (model loads are the
// expensive part) and does one page at a time; the pool recycles it after N pages or above
// an RSS limit, and kills it on a page timeout. A crash here fails one page, not the service.
import { ErrorCode, isQuireError } from "@quire/runtime";
import { configureSharp, probeImage } from "./image-source.js";
import { OcrEngine } from "./ocr-engine.js";
import { ocrPage } from "./ocr-page.js";
import type { FromOcrChild, OcrChildInit, ToOcrChild } from "./ocr-protocol.js";

// Anything tesseract or a dependency prints goes to stderr, which the pool keeps a tail of.
console.log = console.info = console.warn = console.debug = console.error;

let init: OcrChildInit | null = null;
let engine: OcrEngine | null = null;
/** Messages are handled strictly one after another. */
let queue: Promise<void> = Promise.resolve();

function send(msg: FromOcrChild): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(msg, undefined, {}, () => resolve());
  });
}

async function start(config: OcrChildInit): Promise<void> {
  init = config;
  configureSharp();
  engine = new OcrEngine(config.langPath, config.initTimeoutMs);
  try {
    await engine.start(["eng"]);
    await send({ type: "ready" });
  } catch (err) {
    await send({ type: "error", id: null, code: ErrorCode.Unavailable, message: `OCR worker could not start: ${messageOf(err)}` });
    process.exit(3);
  }
}

async function handle(msg: ToOcrChild): Promise<void> {
  if (msg.type === "init") return start(msg.init);
  if (!init || !engine) return send({ type: "error", id: msg.id, code: ErrorCode.Internal, message: "OCR worker used before init" });
  try {
    if (msg.type === "probe") {
      await send({ type: "probe", id: msg.id, probe: await probeImage(msg.path, init.maxInputPixels) });
    } else {
      await send({ type: "page", id: msg.id, page: await ocrPage(engine, init, msg.input, msg.languages) });
    }
  } catch (err) {
    // Decoder and tesseract failures on a page are the input's fault unless we know better.
    const code = isQuireError(err)
      ? err.code
      : msg.type === "ocr" && msg.input.kind === "raster"
        ? ErrorCode.Internal
        : ErrorCode.InvalidImage;
    await send({ type: "error", id: msg.id, code, message: messageOf(err) });
  }
}

function messageOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // tesseract.js rejects with "Error: Error attempting to read image.\nError in pixReadStream…".
  return text.replace(/^Error: /, "").split("\n")[0] ?? "";
}

process.on("message", (msg: ToOcrChild) => {
  queue = queue.then(() => handle(msg));
});
// The pool went away (closed the channel or died): nothing left to do.
process.on("disconnect", () => process.exit(0));
