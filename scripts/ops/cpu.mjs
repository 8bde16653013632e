/**
 * CPU time of processes from /proc (Linux): what a benchmark spent on a core,
 * which depends little on how busy the machine is, unlike wall time.
 * Elsewhere every reading is null and the callers print "n/a".
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";

const TICK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) a process has used so far, or null (no /proc, or it is gone). */
export function cpuSeconds(pid) {
  if (!pid) return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICK;
  } catch {
    return null;
  }
}

/** Ids of the processes whose command line matches `pattern` (e.g. the PostgreSQL backends of one database). */
export function pidsMatching(pattern) {
  let entries;
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return [];
  }
  const out = [];
  for (const p of entries) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (pattern.test(fs.readFileSync(`/proc/${p}/cmdline`, "utf8").replace(/\0/g, " "))) out.push(Number(p));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * A meter over named groups of processes: `start()`, then `read()` gives each
 * group's CPU seconds since (processes that started meanwhile count from zero;
 * ones that ended are left out). Null for a group where /proc cannot tell.
 */
export function cpuMeter(groups) {
  let before = new Map();
  const sample = () => {
    const m = new Map();
    for (const [name, pids] of Object.entries(groups)) for (const pid of pids()) m.set(`${name}:${pid}`, cpuSeconds(pid));
    return m;
  };
  return {
    start() {
      before = sample();
    },
    read() {
      const after = sample();
      const out = Object.fromEntries(Object.keys(groups).map((g) => [g, null]));
      for (const [key, cpu] of after) {
        if (cpu === null) continue;
        const group = key.slice(0, key.indexOf(":"));
        out[group] = (out[group] ?? 0) + cpu - (before.get(key) ?? 0);
      }
      return out;
    },
  };
}
