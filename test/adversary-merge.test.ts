// Adversarial shapes found in review (notes/adversary.md): each one landed on a guarded hub
// before its fix. Real git, real bare hubs with the installed pre-receive.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVE, alice, claim, cleanHistory, commitAs, complete, envFile, LOCK, mallory, S, sessionMd, work } from './helpers/history.ts';
import { plannedHub, runCliAsync } from './helpers/lifecycle.ts';
import { loadTeamLintChecked } from '../src/message/team-commitlint.ts';
import { cloneAgent, git, gitTry, makeRepo, repoAt, runCli, tempDir, type Repo } from './helpers/repo.ts';

let seed: Repo;

beforeAll(() => {
  seed = makeRepo();
  cleanHistory(seed);
});

function makeGuardedHub(): string {
  const hub = join(tempDir('as-hub-'), 'hub.git');
  git(tempDir(), 'clone', '-q', '--bare', seed.dir, hub);
  const installed = runCli(seed.dir, ['install-server-hook', hub]);
  if (installed.code !== 0) throw new Error(installed.stderr);
  return hub;
}

function cloneOf(hub: string): Repo {
  const dir = join(tempDir('as-adv-'), 'work');
  git(tempDir(), 'clone', '-q', hub, dir);
  return repoAt(dir);
}

describe('replace refs pushed to the hub', () => {
  it('do not change what the pre-receive judges: a SESSION.md edit hidden behind refs/replace is refused', () => {
    const hub = makeGuardedHub();
    const repo = cloneOf(hub);
    const old = repo.git('rev-parse', 'HEAD').trim();
    // The benign twin: a docs change.
    repo.write('docs/notes.md', '# notes\n');
    const benign = commitAs(repo, mallory, '[maint] docs: add notes', ['docs/notes.md']);
    repo.git('reset', '-q', '--hard', old);
    // The real commit: an active session's SESSION.md rewritten (session-md-readonly).
    repo.write(`${S}/active/${ACTIVE}/SESSION.md`, `${sessionMd(ACTIVE)}- and the scope doubled\n`);
    const bad = commitAs(repo, mallory, '[maint] docs: add notes', [`${S}/active/${ACTIVE}/SESSION.md`]);
    // Without the replace ref the hub refuses it (the baseline).
    expect(gitTry(repo.dir, ['push', '-q', '--no-verify', 'origin', `${bad}:refs/heads/main`]).status).not.toBe(0);
    // The replace ref: git on the hub would read `benign` wherever it reads `bad`.
    const replaced = gitTry(repo.dir, ['push', '-q', '--no-verify', 'origin', `${benign}:refs/replace/${bad}`]);
    const pushed = gitTry(repo.dir, ['push', '--no-verify', 'origin', `${bad}:refs/heads/main`]);
    expect(replaced.status, replaced.stderr).toBe(0);
    expect(pushed.status).not.toBe(0);
    expect(pushed.stderr).toContain('[session-md-readonly]');
    expect(git(hub, 'rev-parse', 'main').trim()).toBe(old);
    // check --range in a mirror clone (which fetches refs/replace/*) judges the real commit too.
    const mirror = join(tempDir('as-mirror-'), 'work');
    git(tempDir(), 'clone', '-q', repo.dir, mirror);
    git(mirror, 'fetch', '-q', repo.dir, `+${benign}:refs/replace/${bad}`, `${bad}:refs/heads/bad`);
    expect(git(mirror, 'rev-parse', `${bad}^{tree}`).trim()).toBe(git(mirror, 'rev-parse', `${benign}^{tree}`).trim()); // git reads the twin
    const checked = runCli(mirror, ['check', '--range', `${old}..${bad}`, '--json']);
    expect(checked.code, checked.stdout + checked.stderr).toBe(1);
    expect(JSON.stringify(checked.json?.violations ?? [])).toContain('session-md-readonly');
  });
});

describe('the hub judges every lock line a push writes, not only the last one', () => {
  it("refuses a take-over of a session that is not stale on the hub even when the same push completes it", () => {
    const hub = makeGuardedHub();
    const repo = cloneOf(hub);
    const old = repo.git('rev-parse', 'HEAD').trim();
    // alice is working: her session branch moved just now, so ACTIVE is not stale on the hub.
    work(repo, ACTIVE, alice);
    expect(gitTry(repo.dir, ['push', '-q', '--no-verify', 'origin', `HEAD:refs/heads/session/${ACTIVE}`]).status).toBe(0);
    repo.git('reset', '-q', '--hard', old);
    // mallory takes it over by the commit's shape alone (both files rewritten, a fresh claim time) ...
    repo.write(`${S}/active/${ACTIVE}/.session-env`, envFile(ACTIVE, mallory));
    const lines = repo.read(LOCK).split('\n').filter(Boolean).map((l) => (l.startsWith(`${ACTIVE}:`) ? `${ACTIVE}:${Math.floor(Date.now() / 1000)}` : l));
    repo.write(LOCK, lines.map((l) => `${l}\n`).join(''));
    const takeOver = commitAs(repo, mallory, `[${ACTIVE}] chore: take over session`, [`${S}/active/${ACTIVE}/.session-env`, LOCK]);
    const alone = gitTry(repo.dir, ['push', '--no-verify', 'origin', `${takeOver}:refs/heads/main`]);
    expect(alone.status, alone.stderr).not.toBe(0);
    expect(alone.stderr).toMatch(/not stale/);
    // ... and completes it in the same push: the last lock file has no line left to judge.
    const done = complete(repo, ACTIVE, mallory);
    const both = gitTry(repo.dir, ['push', '--no-verify', 'origin', `${done}:refs/heads/main`]);
    expect(both.status, both.stderr).not.toBe(0);
    expect(both.stderr).toMatch(/not stale/);
    expect(git(hub, 'rev-parse', 'main').trim()).toBe(old);
  });
});

describe('refs mode: a claim ref moved on past its claim commit', () => {
  it('is refused when a commit behind the holder\'s own claim takes the session over while it is not stale', async () => {
    const { hub, planner, slugs } = plannedHub(1);
    const slug = slugs[0]!;
    const file = join(planner.dir, 'agent-sessions.config.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.git.hubMode = 'refs';
    config.stale = { lockAgeHours: 0, idleHours: 4 };
    writeFileSync(file, JSON.stringify(config, null, 2));
    planner.git('commit', '-q', '-m', '[maint] chore: refs hub mode', 'agent-sessions.config.json');
    planner.git('push', '-q', 'origin', 'HEAD:main');
    const installed = runCli(planner.dir, ['install-server-hook', hub]);
    expect(installed.code, installed.stderr).toBe(0);

    const holder = cloneAgent(hub, 'alice');
    const claimed = await runCliAsync(holder.dir, ['claim', slug, '--json']);
    expect(claimed.code, claimed.stderr).toBe(0);
    const ref = `refs/agent-sessions/claims/${slug}`;
    const held = git(hub, 'rev-parse', ref).trim();

    const thief = cloneOf(hub);
    thief.git('fetch', '-q', 'origin', `${ref}:refs/claim`);
    thief.git('checkout', '-q', '--detach', 'refs/claim');
    thief.write(`${S}/active/${slug}/.session-env`, envFile(slug, mallory));
    const lines = thief.read(LOCK).split('\n').filter(Boolean).map((l) => (l.startsWith(`${slug}:`) ? `${slug}:${Number(l.split(':')[1]) + 1}` : l));
    thief.write(LOCK, lines.map((l) => `${l}\n`).join(''));
    commitAs(thief, mallory, `[${slug}] chore: take over session`, [`${S}/active/${slug}/.session-env`, LOCK]);
    const pushed = gitTry(thief.dir, ['push', '--no-verify', 'origin', `+HEAD:${ref}`]);
    expect(pushed.status, pushed.stderr).not.toBe(0);
    expect(pushed.stderr).toMatch(/not stale/);
    expect(git(hub, 'rev-parse', ref).trim()).toBe(held);
  });
});

describe('a pull-request merge shape around a second claim (main is an ancestor of the merged tip)', () => {
  it('is refused at the commit that first joins main, however the final merge is ordered', () => {
    const hub = makeGuardedHub();
    const repo = cloneOf(hub);
    const old = repo.git('rev-parse', 'HEAD').trim();
    const firstClaim = repo.git('rev-list', '-1', old, '--', `${S}/active/${ACTIVE}/.session-env`).trim();
    // mallory claims ACTIVE again on a branch forked before alice's claim ...
    repo.git('checkout', '-q', '--detach', `${firstClaim}^`);
    const second = claim(repo, ACTIVE, mallory);
    // ... joins main keeping her .session-env and lock line (main is now an ancestor of the tip) ...
    repo.git('checkout', '-q', '--detach', old);
    repo.write(`${S}/active/${ACTIVE}/.session-env`, envFile(ACTIVE, mallory));
    repo.git('checkout', '-q', second, '--', LOCK);
    repo.git('add', '-A');
    const tree = repo.git('write-tree').trim();
    const joined = git(repo.dir, 'commit-tree', tree, '-p', second, '-p', old, '-m', '[maint] chore: sync with main');
    // ... and lands as a pull request's merge commit, main first and main second.
    for (const parents of [[old, joined.trim()], [joined.trim(), old]]) {
      const tip = git(repo.dir, 'commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-m', '[maint] chore: merge pull request').trim();
      const checked = repo.cli(['check', '--range', `${old}..${tip}`, '--json']);
      expect(checked.code).toBe(1);
      expect(checked.json.violations.map((v: { rule: string; commit: string }) => `${v.rule} ${v.commit}`)).toContain(`protected-state ${joined.trim()}`);
      const pushed = gitTry(repo.dir, ['push', '--no-verify', 'origin', `${tip}:refs/heads/main`]);
      expect(pushed.status).not.toBe(0);
      expect(pushed.stderr).toContain(`${joined.trim().slice(0, 12)} [protected-state]`);
      expect(git(hub, 'rev-parse', 'main').trim()).toBe(old);
    }
  });
});

describe("the team's commitlint config as code", () => {
  it('is not trusted through a committed node_modules link to a committed @commitlint/cli', async () => {
    const top = tempDir('as-adv-cl-');
    git(top, 'init', '-q');
    mkdirSync(join(top, 'vendor', '@commitlint', 'cli'), { recursive: true });
    writeFileSync(join(top, 'vendor', '@commitlint', 'cli', 'package.json'), '{"name":"@commitlint/cli"}\n');
    symlinkSync('vendor', join(top, 'node_modules'));
    writeFileSync(join(top, 'commitlint.config.cjs'), `require('node:fs').writeFileSync(${JSON.stringify(join(top, 'RAN'))}, 'x');\nmodule.exports = { rules: {} };\n`);
    git(top, 'add', '-A');
    const loaded = await loadTeamLintChecked(top, () => undefined);
    expect(loaded && 'skipped' in loaded ? loaded.skipped : 'loaded').toMatch(/is code/);
    expect(existsSync(join(top, 'RAN'))).toBe(false);
  });
});

describe('refs mode: a claim that reaches main inside a merge commit', () => {
  it('is refused when the claim ref names another holder (the merge itself adds the .session-env)', async () => {
    const { hub, planner, slugs } = plannedHub(1);
    const slug = slugs[0]!;
    const file = join(planner.dir, 'agent-sessions.config.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.git.hubMode = 'refs';
    writeFileSync(file, JSON.stringify(config, null, 2));
    planner.git('commit', '-q', '-m', '[maint] chore: refs hub mode', 'agent-sessions.config.json');
    planner.git('push', '-q', 'origin', 'HEAD:main');
    const installed = runCli(planner.dir, ['install-server-hook', hub]);
    expect(installed.code, installed.stderr).toBe(0);
    const holder = cloneAgent(hub, 'alice');
    expect((await runCliAsync(holder.dir, ['claim', slug, '--json'])).code).toBe(0);

    const thief = cloneOf(hub);
    const old = thief.git('rev-parse', 'HEAD').trim();
    thief.write('docs/side.md', 'side\n');
    const side = commitAs(thief, mallory, '[maint] docs: a side note', ['docs/side.md']);
    thief.git('reset', '-q', '--hard', old);
    const claimed = claim(thief, slug, mallory);
    const tree = thief.git('rev-parse', `${claimed}^{tree}`).trim();
    // The same claim, made by a merge commit of main and the side note (its raw diff is empty in `git log`).
    const merged = git(thief.dir, 'commit-tree', tree, '-p', old, '-p', side, '-m', `[${slug}] chore: claim session`).trim();
    const pushedPlain = gitTry(thief.dir, ['push', '--no-verify', 'origin', `${claimed}:refs/heads/main`]);
    expect(pushedPlain.status, pushedPlain.stderr).not.toBe(0); // the plain claim: refused (baseline)
    expect(pushedPlain.stderr).toMatch(/claim ref/);
    const pushed = gitTry(thief.dir, ['push', '--no-verify', 'origin', `${merged}:refs/heads/main`]);
    expect(pushed.status, pushed.stderr).not.toBe(0);
    expect(pushed.stderr).toMatch(/claim ref/);
    expect(git(hub, 'rev-parse', 'main').trim()).toBe(old);
  });
});

describe('refs mode: the plan of a session held by a claim ref', () => {
  it('is read-only on main while the claim is live (main still shows it planned)', async () => {
    const { hub, planner, slugs } = plannedHub(2);
    const [slug, other] = [slugs[0]!, slugs[1]!];
    const file = join(planner.dir, 'agent-sessions.config.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.git.hubMode = 'refs';
    writeFileSync(file, JSON.stringify(config, null, 2));
    planner.git('commit', '-q', '-m', '[maint] chore: refs hub mode', 'agent-sessions.config.json');
    planner.git('push', '-q', 'origin', 'HEAD:main');
    const installed = runCli(planner.dir, ['install-server-hook', hub]);
    expect(installed.code, installed.stderr).toBe(0);
    const holder = cloneAgent(hub, 'alice');
    expect((await runCliAsync(holder.dir, ['claim', slug, '--json'])).code).toBe(0);

    const editor = cloneOf(hub);
    const old = editor.git('rev-parse', 'HEAD').trim();
    // The unclaimed session's plan may still change ...
    editor.write(`${S}/planned/${other}/SESSION.md`, `${editor.read(`${S}/planned/${other}/SESSION.md`)}- and one more thing\n`);
    const free = commitAs(editor, mallory, `[${other}] docs: sharpen the plan`, [`${S}/planned/${other}/SESSION.md`]);
    const pushedFree = gitTry(editor.dir, ['push', '--no-verify', 'origin', `${free}:refs/heads/main`]);
    expect(pushedFree.status, pushedFree.stderr).toBe(0);
    // ... the held one's may not: its holder works from the plan it claimed.
    editor.write(`${S}/planned/${slug}/SESSION.md`, `${editor.read(`${S}/planned/${slug}/SESSION.md`)}- and rewrite billing too\n`);
    const held = commitAs(editor, mallory, `[${slug}] docs: sharpen the plan`, [`${S}/planned/${slug}/SESSION.md`]);
    const pushed = gitTry(editor.dir, ['push', '--no-verify', 'origin', `${held}:refs/heads/main`]);
    expect(pushed.status, pushed.stderr).not.toBe(0);
    expect(pushed.stderr).toMatch(/claim ref/);
    expect(git(hub, 'rev-parse', 'main').trim()).toBe(free);
    expect(old).not.toBe(free);
  });
});
