// V8 settings for a process whose work is one history walk: the CLI's check (src/commands/
// check.ts), the pre-push hook and the hub's pre-receive (src/hooks/). Never for a long-lived host
// (the MCP server) nor for a program that imports the library: the process is theirs. Set
// before the walk's code is compiled. AGENT_SESSIONS_V8=default leaves V8 as it is (for A/B
// runs: docs/BENCHMARKS.md).

/**
 * A walk is a short, hot run (about a second for 10,000 commits): V8's optimizing compiler, on
 * background threads, was a third of its CPU time, most of it inlining. Without inlining the
 * process used about a tenth less CPU for the same main-thread time (measured with perf on 2
 * cores), and on two cores the other core is git's.
 */
function leanerOptimizer(v8: typeof import('node:v8')): void {
  if (process.env.AGENT_SESSIONS_V8_INLINING === '1') return;
  v8.setFlagsFromString('--no-turbo-inlining');
}

/**
 * A walk is one pass: what it keeps (the plan, the states at open branch points) is small and
 * steady, and what it allocates per commit dies soon after. V8's default lets the old
 * generation grow to about 4x what survived the last full collection before collecting again;
 * over 100,000 commits that was 60-80 MB more peak RSS than 2x (`--heap-growing-percent`, read
 * at every full collection), for the same time.
 */
function smallerHeap(v8: typeof import('node:v8')): void {
  v8.setFlagsFromString('--heap-growing-percent=100');
}

export function prepareWalkProcess(): void {
  if (process.env.AGENT_SESSIONS_V8 === 'default') return;
  const v8 = process.getBuiltinModule('node:v8');
  leanerOptimizer(v8);
  smallerHeap(v8);
}
