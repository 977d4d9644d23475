// Small timing helpers shared by the bench scripts: whole-process wall time, medians.
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
