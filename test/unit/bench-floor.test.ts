// bench/check-floor.mjs measures the git work of `check --all` without the judging; it is only
// a floor while it asks git for exactly what the walk asks (a drift here makes the floor a
// different, cheaper or dearer, workload).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { historyLogArgs } from '../../src/engine/log-args.ts';
// @ts-expect-error: a plain .mjs bench script, no types
import { FLOOR_LOG_ARGS, floorAdoptionArgs } from '../../bench/check-floor.mjs';

describe('bench/check-floor.mjs', () => {
  it("runs the walk's own git log", () => {
    expect(FLOOR_LOG_ARGS).toEqual(historyLogArgs());
  });

  it("runs the walk's own adoption search", () => {
    const source = readFileSync(new URL('../../src/engine/walk-plan.ts', import.meta.url), 'utf8');
    expect(source).toContain("['rev-list', '--first-parent', '--format=%H %P', tip, '--', request.sessionsDir, request.lockPath]");
    expect(floorAdoptionArgs('T', 'S', 'L')).toEqual(['rev-list', '--first-parent', '--format=%H %P', 'T', '--', 'S', 'L']);
  });
});
