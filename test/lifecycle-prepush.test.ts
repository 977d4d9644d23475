// A push made by claim/complete judges its main commit in-process with the pre-push rules
// and tells our pre-push shim so (no second Node start); the team's other pre-push commands
// in .husky/pre-push still run, and a user's own push is still judged by the hook.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plannedHub } from './helpers/lifecycle.js';
import { cloneAgent, gitTry } from './helpers/repo.js';

describe('pushes made by the lifecycle commands', () => {
  it('run the other pre-push lines, skip only our own re-check, and leave user pushes judged', () => {
    const { hub, slugs } = plannedHub(1);
    const a = cloneAgent(hub, 'prepush');
    const marker = join(a.dir, '..', 'pre-push-ran');
    // husky runs .husky/pre-push with sh -e: a team's own line before ours.
    const shim = join(a.dir, '.husky', 'pre-push');
    const ours = readFileSync(shim, 'utf8');
    writeFileSync(shim, `echo ran >> "${marker}"\n${ours}`);
    const claim = a.cli(['claim', slugs[0]!, '--json']);
    expect(claim.code, claim.stderr).toBe(0);
    expect(existsSync(marker)).toBe(true);

    // A user's push of a bad commit to main is still refused by our pre-push hook. (The
    // edited shim left main's checkout dirty, so claim did not fast-forward it.)
    a.git('merge', '-q', '--ff-only', 'origin/main');
    appendFileSync(join(a.dir, 'README.md'), 'x\n');
    a.git('add', 'README.md');
    a.git('commit', '-q', '--no-verify', '-m', 'no slug here');
    const push = gitTry(a.dir, ['push', 'origin', 'main']);
    expect(push.status).not.toBe(0);
    expect(push.stderr, push.stderr).toContain('message-format');
  });
});
