// Peak resident memory of a process tree, sampled from /proc (Linux): the sum over every
// process alive at the sampling instant, so parallel workers count together.
import { readdir, readFile } from "node:fs/promises";

async function processTable() {
  const table = new Map();
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = await readFile(`/proc/${name}/status`, "utf8");
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      table.set(Number(name), { ppid, rssKb });
    } catch { /* exited meanwhile */ }
  }
  return table;
}

/** RSS (MiB) of `root`'s descendants, plus `root` itself when `includeRoot`. */
async function treeRssMb(root, includeRoot) {
  const table = await processTable();
  let kb = includeRoot ? (table.get(root)?.rssKb ?? 0) : 0;
  const seen = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of table) {
      if (!seen.has(pid) && seen.has(p.ppid)) { seen.add(pid); kb += p.rssKb; grew = true; }
    }
  }
  return kb / 1024;
}

/** Starts sampling; `stop()` resolves to the peak in MiB. */
export function sampleRss({ includeSelf, intervalMs = 100 }) {
  let peak = 0;
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    peak = Math.max(peak, await treeRssMb(process.pid, includeSelf).catch(() => 0));
    busy = false;
  }, intervalMs);
  return { stop: async () => { clearInterval(timer); return Math.round(Math.max(peak, await treeRssMb(process.pid, includeSelf))); } };
}
