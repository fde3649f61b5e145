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
      const comm = /^Name:\s+(\S+)/m.exec(status)?.[1] ?? "";
      table.set(Number(name), { ppid, rssKb, comm });
    } catch {
      /* exited meanwhile */
    }
  }
  return table;
}

/** Every live descendant of this process, as [pid, entry] pairs of the process table. */
function descendants(table) {
  const seen = new Set([process.pid]);
  const out = [];
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of table) {
      if (seen.has(pid) || !seen.has(p.ppid)) continue;
      seen.add(pid);
      out.push([pid, p]);
      grew = true;
    }
  }
  return out;
}

/** RSS (MiB) of this process's descendants that `count` accepts (by command name), plus itself when `includeSelf`. */
async function treeRssMb(includeSelf, count) {
  const table = await processTable();
  let kb = includeSelf ? (table.get(process.pid)?.rssKb ?? 0) : 0;
  for (const [, p] of descendants(table)) if (count(p.comm)) kb += p.rssKb;
  return kb / 1024;
}

/**
 * Starts sampling; `stop()` resolves to the peak in MiB. `only` limits the descendants counted
 * to some command names (the CLI side must not count Quire's idle pool processes).
 */
export function sampleRss({ includeSelf, only = null, intervalMs = 100 }) {
  const count = only ? (comm) => only.includes(comm) : () => true;
  let peak = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void treeRssMb(includeSelf, count)
      .catch(() => 0)
      .then((mb) => {
        peak = Math.max(peak, mb);
        busy = false;
      });
  }, intervalMs);
  return {
    stop: async () => {
      clearInterval(timer);
      return Math.round(Math.max(peak, await treeRssMb(includeSelf, count)));
    },
  };
}

const TICKS_PER_SECOND = 100; // Linux USER_HZ

/** utime, stime, cutime, cstime of one process, in seconds (fields 14–17 of /proc/<pid>/stat). */
async function cpuOf(pid) {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
  return { own: (utime + stime) / TICKS_PER_SECOND, children: (cutime + cstime) / TICKS_PER_SECOND };
}

/**
 * CPU seconds used so far by this process, its reaped children (cutime/cstime) and its live
 * descendants. The difference across a pass is the pass's CPU time, whatever else the machine
 * is doing: steadier than wall time on a shared machine.
 */
export async function treeCpuSeconds() {
  const self = await cpuOf(process.pid);
  let total = self.own + self.children;
  const table = await processTable();
  for (const [pid] of descendants(table))
    total += await cpuOf(pid).then(
      (c) => c.own,
      () => 0,
    );
  return total;
}
