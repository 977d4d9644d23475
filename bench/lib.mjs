// Small timing helpers shared by the bench scripts: whole-process wall time, medians.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export function timeRuns(runs, fn) {
  fn(); // warm the file-system cache; not counted
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return times;
}

/**
 * Runs `fn` and `base` alternately (after one warm-up each), so that both see the same
 * machine: a ratio of two medians taken minutes apart moves with the machine's load.
 */
export function pairedRuns(runs, fn, base) {
  fn();
  base();
  const times = [];
  const baseTimes = [];
  for (let i = 0; i < runs; i++) {
    let start = performance.now();
    base();
    baseTimes.push(performance.now() - start);
    start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return { times, baseTimes };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function ratio(value, base) {
  return `${(value / base).toFixed(2)}x`;
}

/**
 * Runs one whole process and measures it: wall time, CPU time (user + system of the process
 * and every child it waited for, from /usr/bin/time when the machine has it, else null) and
 * peak RSS in KB. CPU time moves far less than wall time when other work shares the cores.
 */
export function measured(command, args, options = {}) {
  const timer = hasTimeCommand();
  const start = performance.now();
  const result = timer
    ? spawnSync('/usr/bin/time', ['-f', '\n%U %S %M', command, ...args], { ...options, maxBuffer: 1 << 28 })
    : spawnSync(command, args, { ...options, maxBuffer: 1 << 28 });
  const wall = performance.now() - start;
  let cpu = null;
  let rssKb = null;
  if (timer) {
    const lines = String(result.stderr).trimEnd().split('\n');
    const [user, sys, rss] = (lines.pop() ?? '').split(' ').map(Number);
    if (Number.isFinite(user) && Number.isFinite(sys)) cpu = (user + sys) * 1000;
    if (Number.isFinite(rss)) rssKb = rss;
    result.stderr = lines.join('\n');
  }
  return { wall, cpu, rssKb, status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let timeCommand;
function hasTimeCommand() {
  timeCommand ??= spawnSync('/usr/bin/time', ['-f', '%U', 'true']).status === 0;
  return timeCommand;
}

/**
 * `runs` pairs of measured runs, `base` then `fn`, after one warm-up each. Returns the medians
 * of wall and CPU time of both, and the median of the per-pair ratios (each pair saw the same
 * machine, so the ratio of a pair moves less with the load than either time).
 */
export function pairedMeasures(runs, fn, base) {
  fn();
  base();
  const pairs = [];
  for (let i = 0; i < runs; i++) {
    const b = base();
    const f = fn();
    pairs.push({ base: b, fn: f });
  }
  const pick = (side, key) => pairs.map((p) => p[side][key]).filter((v) => v !== null);
  const cpuKnown = pairs.every((p) => p.base.cpu !== null && p.fn.cpu !== null);
  return {
    wall: median(pick('fn', 'wall')),
    baseWall: median(pick('base', 'wall')),
    cpu: cpuKnown ? median(pick('fn', 'cpu')) : null,
    baseCpu: cpuKnown ? median(pick('base', 'cpu')) : null,
    wallRatio: median(pairs.map((p) => p.fn.wall / p.base.wall)),
    cpuRatio: cpuKnown ? median(pairs.map((p) => p.fn.cpu / Math.max(p.base.cpu, 1))) : null,
    rssKb: median(pick('fn', 'rssKb')) ?? null,
    last: pairs[pairs.length - 1].fn,
  };
}
