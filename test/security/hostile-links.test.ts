// Repository files that commands read (not write): whoever can push decides what they are. A
// committed link to /dev/zero must not hang a command (each run has a timeout: a hang fails the
// case), and a link to a file outside the repository must not be read, printed or judged: every
// such read goes through readRepoText (src/safe-fs.ts) and is refused with exit 2 and the fix
// (doctor reports it as a problem). Each case fails when its read follows the link again.
import { copyFileSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeSkip } from '../../src/hook-managers/probe-skip.ts';
import { prePushIsOnlyOurs } from '../../src/hub/push-shortcuts.ts';
import { S } from '../helpers/lifecycle.ts';
import { makeRepo, runCli, tempDir, type CliResult, type Repo } from '../helpers/repo.ts';
import { expectClearRefusal, snapshotAll, withFiles, type FileSpec } from './hostile.ts';

const SECRET = 'AS_OUTSIDE_SECRET_4f1c';
const DONE = '2025-10-14-done';
const ACTIVE = '2025-10-15-active';
const LINK_MESSAGE = /is a symbolic link; agent-sessions does not follow links inside the repository/;
const AGENT_LINK_MESSAGE = /is a symbolic link; init writes agent config only to plain files/;
/** Far longer than any of these commands takes; a read of /dev/zero never ends. */
const TIMEOUT = 20_000;

let repo: Repo;
let outside: string;
let outsideShim: string;

function run(args: string[]): CliResult {
  return runCli(repo.dir, args, { timeout: TIMEOUT });
}

interface LinkCase {
  name: string;
  files: (zero: string) => Record<string, FileSpec>;
  args: string[];
  /** exit 2 with the refusal on stderr; doctor: exit 1 with it among the problems on stdout */
  expectRefused: (result: CliResult) => void;
}

const refused =
  (message: RegExp) =>
  (result: CliResult): void =>
    expectClearRefusal(result, 'refusal', 2, message);

const doctorProblem = (file: string) => (result: CliResult) => {
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(1);
  expect(result.stdout).toMatch(new RegExp(`PROBLEM .*${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}.*is a symbolic link`));
};

const CASES: LinkCase[] = [
  {
    name: 'init --agents with AGENTS.md linked to /dev/zero',
    files: () => ({ 'AGENTS.md': { symlink: '/dev/zero' } }),
    args: ['init', '--agents', 'codex'],
    expectRefused: refused(AGENT_LINK_MESSAGE),
  },
  {
    name: 'init --ci gitlab with .gitlab-ci.yml linked to /dev/zero',
    files: () => ({ '.gitlab-ci.yml': { symlink: '/dev/zero' } }),
    args: ['init', '--ci', 'gitlab'],
    expectRefused: refused(LINK_MESSAGE),
  },
  {
    name: 'init --ci gitlab with .gitlab-ci.yml linked to a file outside that already has our job',
    files: () => ({ '.gitlab-ci.yml': { symlink: outside } }),
    args: ['init', '--ci', 'gitlab'],
    expectRefused: refused(LINK_MESSAGE),
  },
  {
    name: 'board with BOARD.md linked to /dev/zero',
    files: () => ({ [`${S}/BOARD.md`]: { symlink: '/dev/zero' } }),
    args: ['board'],
    expectRefused: refused(LINK_MESSAGE),
  },
  {
    name: 'board --check with BOARD.md linked to a file outside',
    files: () => ({ [`${S}/BOARD.md`]: { symlink: outside } }),
    args: ['board', '--check'],
    expectRefused: refused(LINK_MESSAGE),
  },
  {
    name: "drift with a completed session's drift.md linked to /dev/zero",
    files: () => ({ [`${S}/completed/${DONE}/drift.md`]: { symlink: '/dev/zero' } }),
    args: ['drift', DONE],
    expectRefused: refused(LINK_MESSAGE),
  },
  {
    name: "drift with a completed session's drift.md linked to a file outside",
    files: () => ({ [`${S}/completed/${DONE}/drift.md`]: { symlink: outside } }),
    args: ['drift', DONE],
    expectRefused: refused(LINK_MESSAGE),
  },
  {
    name: 'env with .session-env linked to /dev/zero',
    files: () => ({ [`${S}/active/${ACTIVE}/.session-env`]: { symlink: '/dev/zero' } }),
    args: ['env', ACTIVE],
    expectRefused: refused(LINK_MESSAGE),
  },
  {
    name: 'env with .session-env linked to a file outside',
    files: () => ({ [`${S}/active/${ACTIVE}/.session-env`]: { symlink: outside } }),
    args: ['env', ACTIVE],
    expectRefused: refused(LINK_MESSAGE),
  },
  {
    name: "doctor with OpenCode's guard plugin linked to /dev/zero",
    files: () => ({ '.opencode/plugins/agent-sessions-guard.js': { symlink: '/dev/zero' } }),
    args: ['doctor'],
    expectRefused: doctorProblem('.opencode/plugins/agent-sessions-guard.js'),
  },
  {
    name: 'doctor with .husky/pre-commit linked to a copy of our shim outside',
    files: () => ({ '.husky/pre-commit': { symlink: outsideShim } }),
    args: ['doctor'],
    expectRefused: doctorProblem('.husky/pre-commit'),
  },
];

beforeAll(() => {
  repo = makeRepo();
  const dir = tempDir('as-outside-');
  outside = join(dir, 'secret.txt');
  // shaped to be accepted if read: our CI job, a session env, a drift report
  writeFileSync(outside, `agent-sessions:\n  script: echo ${SECRET}\nGIT_AUTHOR_NAME=${SECRET}\nSESSION_SLUG=${ACTIVE}\n# ${SECRET}\n`);
  outsideShim = join(dir, 'pre-commit');
  copyFileSync(join(repo.dir, '.husky', 'pre-commit'), outsideShim);
  const made = repo.cli(['new', DONE, '--criteria', 'c', '--no-commit']);
  if (made.code !== 0) throw new Error(made.stderr);
  renameSync(join(repo.dir, S, 'drafting', DONE), join(repo.dir, S, 'completed', DONE));
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', `[maint] chore: ${DONE} done`);
});

afterAll(() => {
  rmSync(join(repo.dir, S, 'active', ACTIVE), { recursive: true, force: true });
});

describe('repository files read by commands are never read through a link', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('refuses %s', (_name, hostile) => {
    const secret = readFileSync(outside, 'utf8');
    withFiles(repo.dir, hostile.files('/dev/zero'), () => {
      const before = snapshotAll(repo);
      const started = Date.now();
      const result = run(hostile.args);
      expect(Date.now() - started, `${hostile.name}: took until the timeout`).toBeLessThan(TIMEOUT);
      hostile.expectRefused(result);
      expect(`${result.stdout}${result.stderr}`, `${hostile.name}: printed the outside file`).not.toContain(SECRET);
      expect(snapshotAll(repo), `${hostile.name}: something changed`).toEqual(before);
    });
    expect(readFileSync(outside, 'utf8')).toBe(secret);
    rmSync(join(repo.dir, S, 'active', ACTIVE), { recursive: true, force: true });
  }, TIMEOUT * 2);

  it('refuses the push shortcut for a .husky/pre-push linked to a copy of our shim outside', () => {
    const shim = join(repo.dir, '.husky', 'pre-push');
    expect(prePushIsOnlyOurs(repo.dir), 'the plain shim is ours').toBe(true);
    const copy = join(tempDir('as-outside-'), 'pre-push');
    copyFileSync(shim, copy);
    withFiles(repo.dir, { '.husky/pre-push': { symlink: copy } }, () => {
      expect(prePushIsOnlyOurs(repo.dir), 'a linked hook is judged by its target').toBe(false);
    });
    expect(prePushIsOnlyOurs(repo.dir), 'the plain shim again').toBe(true);
  });

  it("counts a .husky/pre-commit linked to a copy of our shim outside as the team's own (doctor's probe skip list)", () => {
    expect(probeSkip(repo.dir, 'husky').teamHooksRun, 'the plain shim runs nothing more').toBe(false);
    withFiles(repo.dir, { '.husky/pre-commit': { symlink: outsideShim } }, () => {
      expect(probeSkip(repo.dir, 'husky').teamHooksRun, 'a linked hook is judged by its target').toBe(true);
    });
  });
});
