// Fault injection for the stress tests (test/stress/faults.test.ts): named points inside
// claim and complete where a test can freeze the process and `kill -9` it, to prove that
// every step either takes effect or leaves no trace and that a rerun converges.
//
//   AGENT_SESSIONS_FAULT=<point>:pause     at <point>, write the marker file and wait forever
//   AGENT_SESSIONS_FAULT=<point>:exit      at <point>, exit at once with code 99
//   AGENT_SESSIONS_FAULT=<point>:hold      at <point>, write the marker and wait until the
//                                          file <marker>.release exists, then go on (so a
//                                          test can stop the hub's daemon in between)
//   AGENT_SESSIONS_FAULT_MARKER=<file>     the marker file (the test polls for it)
//
// Zero cost when AGENT_SESSIONS_FAULT is unset: one property read, no I/O, no timers.
import { existsSync, writeFileSync } from 'node:fs';

/** Every point claim and complete declare, in the order they are reached. */
export const FAULT_POINTS = [
  'claim:before-push',
  'claim:after-push',
  'claim:after-local-main',
  'claim:after-worktree',
  'complete:before-push',
  'complete:after-push',
  'complete:after-local-main',
  'complete:after-cleanup',
] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

export async function faultPoint(point: FaultPoint): Promise<void> {
  const spec = process.env.AGENT_SESSIONS_FAULT;
  if (!spec) return;
  const at = spec.lastIndexOf(':');
  if (spec.slice(0, at) !== point) return;
  const action = spec.slice(at + 1);
  const marker = process.env.AGENT_SESSIONS_FAULT_MARKER;
  if (marker) writeFileSync(marker, `${point} ${process.pid}\n`);
  if (action === 'exit') process.exit(99);
  if (action === 'hold' && marker) {
    while (!existsSync(`${marker}.release`)) await new Promise((resolve) => setTimeout(resolve, 25));
    return;
  }
  if (action === 'pause') {
    // Never resolves; the interval keeps the event loop alive until the test kills us.
    await new Promise<never>(() => setInterval(() => undefined, 1 << 30));
  }
}
