// Repository data never runs code or leaves the repository (issue 11, items 5 and 7), through
// the real CLI, the real hooks and a real bare hub with the installed pre-receive: a committed
// template override that reached Function, symlinks committed into _AGENTS/, terminal controls
// in committed folder names, oversized files, and a 20,000-line message for prepare-commit-msg.
// Each bad shape is refused (or shown escaped) and its legitimate twin accepted.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plannedHub } from '../helpers/lifecycle.ts';
import { cloneAgent, git, gitTry, makeRepo, runCli, tempDir, type Repo } from '../helpers/repo.ts';
import { NAME_CASES, REAL_SLUG, SESSION_FILE_CASES, SYMLINK_CASES } from './hostile-cases.ts';
import { expectClearRefusal, expectNothingRan, MARKER, RUN_MARKER, snapshotAll } from './hostile.ts';

const S = '_AGENTS/sessions';
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

/** A file (mode 0600) and an empty folder outside every repository: what a link points at. */
function outsideTargets(): { file: string; dir: string } {
  const root = tempDir('as-outside-');
  const file = join(root, 'secret.txt');
  writeFileSync(file, 'OUTSIDE\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  const dir = join(root, 'dir');
  mkdirSync(dir);
  return { file, dir };
}

function expectTargetsUntouched(targets: { file: string; dir: string }, label: string): void {
  expect(readFileSync(targets.file, 'utf8'), label).toBe('OUTSIDE\n');
  expect(statSync(targets.file).mode & 0o777, label).toBe(0o600);
  expect(readdirSync(targets.dir), label).toEqual([]);
}

/** Replaces `rel` with a symlink for the body, then puts back what was there. */
function withLink(dir: string, rel: string, target: string, body: () => void): void {
  const path = join(dir, rel);
  const aside = `${path}.as-aside`;
  const existed = existsSync(path) || (() => { try { return lstatSync(path).isSymbolicLink(); } catch { return false; } })();
  if (existed) renameSync(path, aside);
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path);
  try {
    body();
  } finally {
    rmSync(path, { force: true });
    if (existed) renameSync(aside, path);
  }
}

let hub: string;
let agent: Repo;

beforeAll(() => {
  rmSync(MARKER, { force: true });
  hub = plannedHub(1, [REAL_SLUG]).hub;
  agent = cloneAgent(hub, 'repo-data');
});

afterAll(() => {
  expectNothingRan('the repository-data suite');
});

describe('symlinks in the work tree are never written or chmod-ed through', () => {
  it.each(SYMLINK_CASES.map((c) => [c.name, c] as const))('refuses %s', (_name, hostile) => {
    const targets = outsideTargets();
    withLink(agent.dir, hostile.link, hostile.target === 'file' ? targets.file : targets.dir, () => {
      const before = snapshotAll(agent, hub);
      const result = agent.cli(hostile.args);
      expectClearRefusal(result, hostile.name, 2, hostile.message);
      expect(snapshotAll(agent, hub), `${hostile.name}: something changed`).toEqual(before);
    });
    expectTargetsUntouched(targets, hostile.name);
  });

  it('the legitimate twins: board writes a plain BOARD.md, new writes into a plain drafting folder', () => {
    const board = agent.cli(['board']);
    expect(board.code, board.stderr).toBe(0);
    expect(lstatSync(join(agent.dir, S, 'BOARD.md')).isFile()).toBe(true);
    const made = agent.cli(['new', '2025-10-14-plain', '--criteria', 'c', '--no-commit']);
    expect(made.code, made.stderr).toBe(0);
    expect(existsSync(join(agent.dir, S, 'drafting', '2025-10-14-plain', 'SESSION.md'))).toBe(true);
    rmSync(join(agent.dir, S, 'drafting', '2025-10-14-plain'), { recursive: true });
    rmSync(join(agent.dir, S, 'BOARD.md'));
  });
});

describe('a SESSION.md symlink committed to the hub', () => {
  it("claim and post-checkout leave the link's target alone (the claim itself still works)", () => {
    const planned = plannedHub(2, ['2025-10-14-linked', '2025-10-15-plain']);
    const targets = outsideTargets();
    const md = `${S}/planned/2025-10-14-linked/SESSION.md`;
    rmSync(join(planned.planner.dir, md));
    symlinkSync(targets.file, join(planned.planner.dir, md));
    git(planned.planner.dir, 'add', '-A');
    git(planned.planner.dir, 'commit', '-q', '--no-verify', '-m', '[maint] chore: link SESSION.md');
    git(planned.planner.dir, 'push', '-q', '--no-verify', 'origin', 'main');

    const claimer = cloneAgent(planned.hub, 'linked');
    const claim = claimer.cli(['claim', '2025-10-14-linked']);
    expect(claim.stderr).not.toMatch(/^\s+at /m);
    expectTargetsUntouched(targets, 'claim');
    // post-checkout of a work tree holding the link (the hook runs on a plain checkout)
    const other = cloneAgent(planned.hub, 'linked-checkout');
    const co = gitTry(other.dir, ['checkout', '-q', '-B', 'look', 'origin/main']);
    expect(co.status, co.stderr).toBe(0);
    expectTargetsUntouched(targets, 'post-checkout');
    // the twin: a plain SESSION.md of an active session does become read-only
    const twin = claimer.cli(['claim', '2025-10-15-plain', '--json']);
    expect(twin.code, twin.stderr).toBe(0);
    expect(statSync(join(twin.json.path, S, 'active', '2025-10-15-plain', 'SESSION.md')).mode & 0o777).toBe(0o444);
  });
});

describe('no-symlinks at the hub, in check and at commit time', () => {
  let bare: string;
  let pusher: Repo;
  beforeAll(() => {
    const seed = makeRepo();
    bare = join(tempDir('as-hub-'), 'hub.git');
    git(tempDir(), 'clone', '-q', '--bare', seed.dir, bare);
    const installed = runCli(seed.dir, ['install-server-hook', bare]);
    if (installed.code !== 0) throw new Error(installed.stderr);
    pusher = cloneAgent(bare, 'symlink-pusher');
  });

  it('refuses a pushed symlink under the sessions folder (pre-receive and check); accepts the plain file', () => {
    const targets = outsideTargets();
    symlinkSync(targets.file, join(pusher.dir, S, 'BOARD.md'));
    git(pusher.dir, 'add', `${S}/BOARD.md`);
    git(pusher.dir, 'commit', '-q', '--no-verify', '-m', '[maint] docs: board');
    const check = pusher.cli(['check', '--range', 'origin/main..HEAD']);
    expect(check.code, check.stdout + check.stderr).toBe(1);
    expect(check.stdout + check.stderr).toMatch(/no-symlinks.*BOARD\.md is a symbolic link/);
    const hubBefore = git(bare, 'rev-parse', 'main');
    const push = gitTry(pusher.dir, ['push', '--no-verify', 'origin', 'HEAD:main']);
    expect(push.status).not.toBe(0);
    expect(push.stderr).toMatch(/no-symlinks/);
    expect(push.stderr).toMatch(/fix: /);
    expect(git(bare, 'rev-parse', 'main')).toBe(hubBefore);

    // the twin: the same path as a plain file
    git(pusher.dir, 'reset', '-q', '--hard', 'origin/main');
    writeFileSync(join(pusher.dir, S, 'BOARD.md'), '# Board\n');
    git(pusher.dir, 'add', `${S}/BOARD.md`);
    git(pusher.dir, 'commit', '-q', '--no-verify', '-m', '[maint] docs: board');
    expect(pusher.cli(['check', '--range', 'origin/main..HEAD']).code).toBe(0);
    const ok = gitTry(pusher.dir, ['push', '--no-verify', 'origin', 'HEAD:main']);
    expect(ok.status, ok.stderr).toBe(0);
    expectTargetsUntouched(targets, 'hub');
  });

  it('refuses a symlinked knowledge file at commit time (pre-commit), and the plain twin passes', () => {
    const targets = outsideTargets();
    const rel = '_AGENTS/knowledge/sessions/2025-10-14-x/learnings.md';
    mkdirSync(join(pusher.dir, dirname(rel)), { recursive: true });
    symlinkSync(targets.file, join(pusher.dir, rel));
    git(pusher.dir, 'add', rel);
    const refused = gitTry(pusher.dir, ['commit', '-q', '-m', '[maint] docs: link']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/no-symlinks/);
    git(pusher.dir, 'rm', '-q', '--cached', rel);
    rmSync(join(pusher.dir, rel));
    expectTargetsUntouched(targets, 'pre-commit');
  });
});

describe('a hand-made claim whose .session-env is not inert', () => {
  it('is refused by check and by the hub (session-env-inert); the same claim with what claim writes is accepted', () => {
    const slug = '2025-10-14-handmade';
    const planned = plannedHub(1, [slug]);
    const installed = runCli(planned.planner.dir, ['install-server-hook', planned.hub]);
    expect(installed.code, installed.stderr).toBe(0);
    const hand = cloneAgent(planned.hub, 'hand');
    const handClaim = (env: string) => {
      hand.git('reset', '-q', '--hard', 'origin/main');
      hand.git('mv', `${S}/planned/${slug}`, `${S}/active/${slug}`);
      hand.write(`${S}/active/${slug}/.session-env`, env);
      hand.write(`${S}/active/${slug}/worklog.md`, '# Worklog\n');
      hand.write(`${S}/sessions.lock`, `${slug}:1764460800\n`);
      hand.git('add', '-A', S);
      hand.git('commit', '-q', '--no-verify', '-m', `[${slug}] chore: claim session (planned -> active)`);
    };
    const identity = `export SESSION_SLUG='${slug}'\nexport GIT_AUTHOR_NAME='hand'\nexport GIT_AUTHOR_EMAIL='hand@example.test'\nexport GIT_COMMITTER_NAME='hand'\nexport GIT_COMMITTER_EMAIL='hand@example.test'\n`;
    handClaim(`${identity}export GIT_CONFIG_COUNT=1\nexport GIT_CONFIG_KEY_0=core.hooksPath\nexport GIT_CONFIG_VALUE_0=/dev/null\n`);
    const check = hand.cli(['check', '--range', 'origin/main..HEAD']);
    expect(check.code).toBe(1);
    expect(check.stdout + check.stderr).toMatch(/session-env-inert.*sets GIT_CONFIG_COUNT/);
    const before = git(planned.hub, 'rev-parse', 'main');
    const push = gitTry(hand.dir, ['push', '--no-verify', 'origin', 'HEAD:main']);
    expect(push.status).not.toBe(0);
    expect(push.stderr).toMatch(/session-env-inert/);
    expect(git(planned.hub, 'rev-parse', 'main')).toBe(before);

    handClaim(identity);
    const twin = hand.cli(['check', '--range', 'origin/main..HEAD']);
    expect(twin.stdout + twin.stderr).not.toMatch(/session-env-inert/);
    const ok = gitTry(hand.dir, ['push', '--no-verify', 'origin', 'HEAD:main']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(twin.code, twin.stdout + twin.stderr).toBe(0);
  });
});

describe('a committed template override on a fresh clone', () => {
  const TEMPLATE = `${S}/_templates/worklog.md.j2`;
  function hubWithOverride(text: string): string {
    const planned = plannedHub(1, ['2025-10-14-tpl']);
    planned.planner.write(TEMPLATE, text);
    git(planned.planner.dir, 'add', TEMPLATE);
    git(planned.planner.dir, 'commit', '-q', '--no-verify', '-m', '[maint] chore: worklog template');
    git(planned.planner.dir, 'push', '-q', '--no-verify', 'origin', 'main');
    return planned.hub;
  }

  it("the issue's toString attack: claim refuses it (exit 2, file and line) and runs nothing", () => {
    const attack = `# Worklog\n{% set c = cycler("x", "constructor", "constructor") %}{% set o = {"toString": c.next} %}{{ range[o]("return process")().getBuiltinModule("child_process").execSync("${RUN_MARKER}") }}\n`;
    const tplHub = hubWithOverride(attack);
    const fresh = cloneAgent(tplHub, 'fresh');
    const before = snapshotAll(fresh, tplHub);
    const claim = fresh.cli(['claim', '2025-10-14-tpl']);
    expectClearRefusal(claim, 'claim with the attack', 2, /_templates\/worklog\.md\.j2 line 2: "set" is not allowed/);
    expect(snapshotAll(fresh, tplHub)).toEqual(before);
    expectNothingRan('claim with the attack');
  });

  it('the twin: an override using only its variables, if and for renders on claim', () => {
    const tplHub = hubWithOverride('# Log of {{ SESSION_SLUG | upper }}\n{% if USER_NAME %}- {{ TIMESTAMP }} taken by {{ USER_NAME }}{% endif %}\n');
    const fresh = cloneAgent(tplHub, 'fresh-twin');
    const claim = fresh.cli(['claim', '2025-10-14-tpl', '--json']);
    expect(claim.code, claim.stderr).toBe(0);
    const worklog = readFileSync(join(claim.json.path, S, 'active', '2025-10-14-tpl', 'worklog.md'), 'utf8');
    expect(worklog).toMatch(/^# Log of 2025-10-14-TPL\n- \d{4}-\d\d-\d\dT.* taken by fresh-twin\n/);
  });

  it('the .session-env twin: an override with the five variables reordered and commented passes', () => {
    const planned = plannedHub(1, ['2025-10-14-env']);
    planned.planner.write(`${S}/_templates/session-env.j2`, '# ours\nexport GIT_COMMITTER_EMAIL={{ USER_EMAIL }}\nexport GIT_COMMITTER_NAME={{ USER_NAME }}\nexport GIT_AUTHOR_EMAIL={{ USER_EMAIL }}\nexport GIT_AUTHOR_NAME={{ USER_NAME }}\nexport SESSION_SLUG={{ SESSION_SLUG }}\n');
    git(planned.planner.dir, 'add', '-A');
    git(planned.planner.dir, 'commit', '-q', '--no-verify', '-m', '[maint] chore: env template');
    git(planned.planner.dir, 'push', '-q', '--no-verify', 'origin', 'main');
    const fresh = cloneAgent(planned.hub, 'env-twin');
    const claim = fresh.cli(['claim', '2025-10-14-env', '--json']);
    expect(claim.code, claim.stderr).toBe(0);
    expect(claim.json.env.GIT_AUTHOR_NAME).toBe('env-twin');
  });
});

describe('names are printed through one printer', () => {
  it.each(NAME_CASES.map((c) => [c.name, c] as const))('status shows a folder named with %s escaped', (_name, { folder }) => {
    const dir = join(agent.dir, S, 'drafting', folder);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'SESSION.md'), '# x\n');
    try {
      // --local: the folder is in this checkout (status reads the hub's branch by default)
      const text = agent.cli(['status', '--local']);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).not.toMatch(UNSAFE);
      expect(text.stdout).toMatch(/problem: _AGENTS\/sessions\/drafting\/.*\\u00[0-9a-f]{2}|problem: _AGENTS\/sessions\/drafting\/.*\\u20[26][0-9a-f]/);
      // one problem line per stray: a newline in a name cannot add a line of its own
      expect(text.stdout.split('\n').filter((l) => l.startsWith('problem:'))).toHaveLength(1);
      const json = agent.cli(['status', '--local', '--json']);
      expect(json.code).toBe(0);
      expect(json.json.problems.join('')).toContain(folder);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the twin: a name with non-ASCII letters is printed as it is', () => {
    const dir = join(agent.dir, S, 'drafting', 'café-notes');
    mkdirSync(dir, { recursive: true });
    try {
      const text = agent.cli(['status', '--local']);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain('problem: _AGENTS/sessions/drafting/café-notes is not a valid session slug');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('session files are read bounded', () => {
  it.each(SESSION_FILE_CASES.map((c) => [c.name, c] as const))('ready refuses %s with exit 2', (_name, { content }) => {
    const slug = '2025-10-14-big';
    const made = agent.cli(['new', slug, '--criteria', 'c', '--no-commit']);
    expect(made.code, made.stderr).toBe(0);
    const file = join(agent.dir, S, 'drafting', slug, 'SESSION.md');
    try {
      writeFileSync(file, content);
      const before = snapshotAll(agent, hub);
      expectClearRefusal(agent.cli(['ready', slug]), 'ready', 2, /SESSION\.md is \d+ bytes, larger than the 1048576 bytes/);
      expect(snapshotAll(agent, hub)).toEqual(before);
    } finally {
      rmSync(dirname(file), { recursive: true, force: true });
    }
  });
});

describe('prepare-commit-msg on a 20,000-line message', () => {
  it('prefixes the header and keeps the body byte for byte, with --no-verify too', () => {
    const repo = makeRepo();
    repo.git('checkout', '-q', '-b', 'session/2025-10-14-long');
    const body = Array.from({ length: 20_000 }, (_, i) => `line ${i} \\ with 'quotes' and $(not run)`).join('\n');
    const file = join(tempDir('as-msg-'), 'msg');
    writeFileSync(file, `feat: a long message\n\n${body}\n`);
    repo.write('src/a.ts', 'export {};\n');
    repo.git('add', 'src/a.ts');
    const run = spawnSync('git', ['commit', '-q', '--no-verify', '-F', file], { cwd: repo.dir, encoding: 'utf8', env: { ...process.env, SESSION_SLUG: '2025-10-14-long' } });
    expect(run.status, run.stderr).toBe(0);
    const stored = repo.git('log', '-1', '--format=%B');
    expect(stored.split('\n')[0]).toBe('[2025-10-14-long] feat: a long message');
    expect(stored.trimEnd()).toBe(`[2025-10-14-long] feat: a long message\n\n${body}`);
  });
});
