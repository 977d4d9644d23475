// Hostile commit messages through the real hooks (git commit -F, husky shims, dist/hook.cjs):
// refused with a named rule on one line, never a stack trace, never a hang, and HEAD, the
// index and the tree untouched. A bounded spawn turns a hang into a failure, not a stuck run.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, tempDir, type Repo } from '../helpers/repo.ts';
import { MESSAGE_CASES } from './hostile-cases.ts';
import { MARKER, snapshotAll } from './hostile.ts';

let repo: Repo;
const messageFile = join(tempDir('as-msg-'), 'message');

function commitWith(content: string | Buffer) {
  writeFileSync(messageFile, content);
  return spawnSync('git', ['commit', '-q', '-F', messageFile], { cwd: repo.dir, encoding: 'utf8', timeout: 60_000 });
}

beforeAll(() => {
  rmSync(MARKER, { force: true });
  repo = makeRepo();
  repo.write('change.txt', 'a change to commit\n');
  repo.git('add', 'change.txt');
});

describe('hostile commit messages through the commit-msg hook', () => {
  it.each(MESSAGE_CASES.map((c) => [c.name, c] as const))('refuses %s', (_name, hostile) => {
    const before = snapshotAll(repo);
    const result = commitWith(hostile.content);
    expect(result.error, 'the hook hung').toBeUndefined();
    expect(result.status, result.stderr).not.toBe(0);
    expect(result.stderr).toMatch(hostile.message);
    expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(result.stderr).not.toMatch(/internal error/);
    // eslint-disable-next-line no-control-regex
    expect(result.stderr, 'raw control characters reached the terminal').not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    for (const line of result.stderr.split('\n')) expect(line.length).toBeLessThan(1000);
    expect(snapshotAll(repo)).toEqual(before);
  });

  it('still accepts a valid header with a 10 KB body, in bounded time', () => {
    const result = commitWith(`[maint] chore: a long body\n\n${'word '.repeat(2048)}\n`);
    expect(result.error).toBeUndefined();
    expect(result.status, result.stderr).toBe(0);
    expect(repo.git('log', '-1', '--format=%s').trim()).toBe('[maint] chore: a long body');
  });
});
