// The refs hub mode against a simulated forge: a bare hub whose pre-receive refuses direct
// updates of main with GitHub's GH006 wording (a person's merge passes with FORGE_MERGE=1, as
// a forge's own merge does) and then runs our installed pre-receive on every push. The fix
// printed for the protected main, copied as it is, switches to the refs mode through a pull
// request; 8 agents race for one session (claim refs, create-only lease) over file:// and
// over smart HTTP; a completion is a pull-request branch whose merge (merge commit, rebase)
// passes our pre-receive and `check`, while a squash merge does not.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpHub, type HttpHub } from './helpers/http-hub.ts';
import { plannedHub, runCliAsync, S } from './helpers/lifecycle.ts';
import { cloneAgent, git, gitTry, linkPackage, repoAt, runCli, tempDir, type Repo } from './helpers/repo.ts';

// Eight racers: a real race on two cores; 16 race in test/lifecycle-race.test.ts, where the
// protocol's own numbers are held (the hosting modes here share its claim code).
const RACERS = 8;

const FORGE = `#!/bin/sh
# A forge's branch protection (main changes only through a pull request), then our pre-receive.
input=$(cat)
echo "$input" | while read old new ref; do
  if [ "$ref" = "refs/heads/main" ] && [ -z "$FORGE_MERGE" ]; then
    echo "error: GH006: Protected branch update failed for refs/heads/main." >&2
    echo "error: Changes must be made through a pull request." >&2
    exit 1
  fi
done || exit 1
echo "$input" | "$(dirname "$0")/agent-sessions-pre-receive"
`;

let hub: string;
let slugs: string[];
let server: HttpHub | undefined;
/** Which agent holds which session after the races. */
const holders = new Map<string, Repo>();

/**
 * The forge merges a pull request: a person's clone, pushed with the forge's own right to main.
 * A merge commit's message is the pull request's title (the forge setting docs/hosting.md names).
 */
function forgeMerge(branch: string, how: 'merge' | 'rebase' | 'squash', title: string): { before: string; after: string } {
  const person = cloneAgent(hub, `forge-${how}`);
  const before = person.git('rev-parse', 'HEAD').trim();
  person.git('fetch', '-q', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`);
  if (how === 'merge') person.git('merge', '-q', '--no-ff', '--no-verify', '-m', title, `origin/${branch}`);
  if (how === 'rebase') person.git('rebase', '-q', '--no-verify', 'HEAD', `origin/${branch}`);
  if (how === 'squash') {
    person.git('merge', '-q', '--squash', `origin/${branch}`);
    person.git('commit', '-q', '--no-verify', '-m', title);
  }
  const pushed = gitTry(person.dir, ['push', '--no-verify', 'origin', 'HEAD:refs/heads/main'], { FORGE_MERGE: '1' });
  return { before, after: pushed.status === 0 ? person.git('rev-parse', 'HEAD').trim() : `refused: ${pushed.stderr}` };
}

/**
 * A racer's clone (file:// path or smart-HTTP URL): the package linked, no client hooks (a
 * claim's own push is judged in-process; the hub's pre-receive judges it again), so that the
 * racers cost one `git clone` each and no Node start.
 */
function racer(url: string, name: string): Repo {
  const dir = join(tempDir(`as-race-${name}-`), 'work');
  git(tempDir(), 'clone', '-q', url, dir);
  git(dir, 'config', 'user.name', name);
  git(dir, 'config', 'user.email', `${name}@example.test`);
  linkPackage(dir);
  return repoAt(dir);
}

beforeAll(() => {
  const planned = plannedHub(6);
  hub = planned.hub;
  slugs = planned.slugs;
  pin(planned.planner.dir);
}, 120_000);

/** Installs (or re-pins, after a policy change on main) our pre-receive behind the forge's protection. */
function pin(from: string): void {
  const wrapper = join(hub, 'hooks', 'pre-receive');
  const ours = join(hub, 'hooks', 'agent-sessions-pre-receive');
  if (existsSync(ours)) renameSync(ours, wrapper);
  const installed = runCli(from, ['install-server-hook', hub]);
  if (installed.code !== 0) throw new Error(installed.stderr);
  renameSync(wrapper, ours);
  writeFileSync(wrapper, FORGE);
  chmodSync(wrapper, 0o755);
}

afterAll(async () => server?.stop());

describe('the refs hub mode on a forge that protects main', () => {
  it('the default mode fails fast with a fix whose refs command, copied, switches through a pull request', async () => {
    const planner = cloneAgent(hub, 'planner');
    const before = git(hub, 'rev-parse', 'main');
    const refused = await runCliAsync(planner.dir, ['claim', slugs[0]!, '--json']);
    expect(refused.code).toBe(1);
    expect(refused.json?.error?.code).toBe('hub-protected');
    const fix: string = refused.json?.error?.fix ?? '';
    expect(fix).toMatch(/--hub-mode refs/);
    expect(fix).toMatch(/--hub-mode integration/);
    expect(git(hub, 'rev-parse', 'main')).toBe(before);
    const command = /`(agent-sessions init --hub-mode refs[^`]*)`/.exec(fix)?.[1];
    expect(command).toBeDefined();
    const shell = spawnSync('sh', ['-c', command!], { cwd: planner.dir, encoding: 'utf8', env: { ...process.env, PATH: `${join(planner.dir, 'node_modules', '.bin')}:${process.env.PATH}` } });
    expect(shell.status, shell.stderr).toBe(0);
    const merged = forgeMerge('agent-sessions/hub-mode', 'merge', '[maint] chore: agent-sessions hub mode refs (#1)');
    expect(merged.after).toMatch(/^[0-9a-f]{40}$/);
    expect(JSON.parse(git(hub, 'show', 'main:agent-sessions.config.json')).git.hubMode).toBe('refs');
    // The hub's admin pins the new policy (docs/SECURITY.md, "What the hub pins").
    planner.git('switch', '-q', 'main');
    planner.git('pull', '-q', '--ff-only', 'origin', 'main');
    pin(planner.dir);
  }, 90_000);

  it('8 agents race for one session over file://: one claim ref, one winner, main untouched; next --claim takes the rest once each', async () => {
    const mainBefore = git(hub, 'rev-parse', 'main');
    const racers = Array.from({ length: RACERS }, (_, i) => racer(hub, `racer-${i + 1}`));
    const first = await Promise.all(racers.map((agent) => runCliAsync(agent.dir, ['claim', slugs[0]!, '--json'])));
    expect(first.map((r) => r.code).sort(), first.map((r) => r.stderr).join('\n')).toEqual([0, ...Array(RACERS - 1).fill(3)]);
    expect(git(hub, 'rev-parse', 'main')).toBe(mainBefore);
    const claim = git(hub, 'rev-parse', `refs/agent-sessions/claims/${slugs[0]}`).trim();
    expect(git(hub, 'rev-parse', `refs/heads/session/${slugs[0]}`).trim()).toBe(claim);
    const rest = await Promise.all(racers.slice(1, 5).map((agent) => runCliAsync(agent.dir, ['next', '--claim', '--json'])));
    expect(rest.filter((r) => r.code === 0).length, rest.map((r) => r.stderr).join('\n')).toBe(4);
    const claimed = git(hub, 'for-each-ref', '--format=%(refname:lstrip=3)', 'refs/agent-sessions/claims/').trim().split('\n').sort();
    expect(claimed).toEqual(slugs.slice(0, 5).sort());
    expect(git(hub, 'rev-parse', 'main')).toBe(mainBefore);
    holders.set(slugs[0]!, racers[first.findIndex((r) => r.code === 0)]!);
    rest.forEach((r, i) => r.code === 0 && holders.set(r.json.slug, racers[i + 1]!));

    // Everyone sees the same: status (one fetch of main + claim refs), next, board.
    const observer = cloneAgent(hub, 'observer');
    const status = await runCliAsync(observer.dir, ['status', '--json']);
    expect(status.json?.hub).toEqual({ mode: 'refs', mainBranch: 'main' });
    const active = (status.json?.sessions ?? []).filter((s: { state: string }) => s.state === 'active').map((s: { slug: string }) => s.slug).sort();
    expect(active).toEqual(slugs.slice(0, 5).sort());
    const winner = racers[first.findIndex((r) => r.code === 0)]!;
    const holder = status.json.sessions.find((s: { slug: string }) => s.slug === slugs[0]);
    expect(holder.holder.email).toBe(`${winner.git('config', 'user.email').trim()}`);
    expect(status.json.problems).toEqual([]);
    const next = await runCliAsync(observer.dir, ['next', '--json']);
    expect(next.json?.slug).toBe(slugs[5]);
    const board = await runCliAsync(observer.dir, ['board', '--json']);
    expect(board.code, board.stderr).toBe(0);
    expect(board.json.counts).toMatchObject({ planned: 1, active: 5 });
    expect(observer.read(`${S}/BOARD.md`)).toContain(slugs[0]!);
  }, 240_000);

  it('8 agents race over smart HTTP for the last session: exactly one winner', async () => {
    server = await startHttpHub(hub);
    const racers = Array.from({ length: RACERS }, (_, i) => racer(server!.url, `http-${i + 1}`));
    const results = await Promise.all(racers.map((agent) => runCliAsync(agent.dir, ['claim', slugs[5]!, '--json'])));
    expect(results.map((r) => r.code).sort(), results.map((r) => r.stderr).join('\n')).toEqual([0, ...Array(RACERS - 1).fill(3)]);
    expect(git(hub, 'for-each-ref', 'refs/agent-sessions/claims/').trim().split('\n')).toHaveLength(6);
  }, 240_000);

  it('complete offers a pull-request branch; merged with a merge commit titled as the PR it passes the pre-receive and check; complete again cleans up', async () => {
    const slug = slugs[0]!;
    const agent = holders.get(slug)!;
    const mainBefore = git(hub, 'rev-parse', 'main').trim();
    work(agent, slug, 'feature.txt');
    const offered = await runCliAsync(agent.dir, ['complete', slug, '--json']);
    expect(offered.code, offered.stderr).toBe(0);
    expect(offered.json.state).toBe('pull-request');
    const branch = `agent-sessions/complete/${slug}`;
    expect(offered.json.pullRequest).toMatchObject({ branch, into: 'main', title: `[${slug}] feat: complete session (active -> completed)` });
    expect(git(hub, 'rev-parse', 'main').trim()).toBe(mainBefore);
    const tip = git(hub, 'rev-parse', `refs/heads/${branch}`).trim();
    expect(git(hub, 'rev-parse', `refs/agent-sessions/claims/${slug}`).trim()).toBe(tip);
    // Two commits on main: the claim (here the claim commit itself: main has not moved), the squash.
    expect(git(hub, 'rev-list', '--count', `main..${branch}`).trim()).toBe('2');
    const ci = cloneAgent(hub, 'ci-1');
    ci.git('fetch', '-q', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`);
    // CI on the pull request, with the claims compared to the hub's claim refs (GitHub has no pre-receive).
    const pr = await runCliAsync(ci.dir, ['check', '--range', `origin/main..origin/${branch}`, '--claims', '--json']);
    expect(pr.code, pr.stdout).toBe(0);
    const status = await runCliAsync(ci.dir, ['status', '--json']);
    expect(status.json.sessions.find((s: { slug: string }) => s.slug === slug).claim.completion).toBe(branch);

    const merged = forgeMerge(branch, 'merge', `${offered.json.pullRequest.title} (#2)`);
    expect(merged.after).toMatch(/^[0-9a-f]{40}$/);
    ci.git('fetch', '-q', 'origin');
    const after = await runCliAsync(ci.dir, ['check', '--range', `${merged.before}..origin/main`, '--json']);
    expect(after.code, after.stdout).toBe(0);
    expect(git(hub, 'ls-tree', '--name-only', `main:${S}/completed/`)).toContain(slug);

    const cleaned = await runCliAsync(agent.dir, ['complete', slug, '--json']);
    expect(cleaned.code, cleaned.stderr).toBe(0);
    expect(cleaned.json.state).toBe('completed');
    expect(gitTry(hub, ['rev-parse', '-q', '--verify', `refs/agent-sessions/claims/${slug}`]).status).not.toBe(0);
    const seen = await runCliAsync(ci.dir, ['status', '--json']);
    expect(seen.json.sessions.find((s: { slug: string }) => s.slug === slug).state).toBe('completed');
  }, 180_000);

  it('after main moved, a completion rebuilds the claim on it; a rebase merge passes too', async () => {
    const slug = slugs[1]!;
    const agent = holders.get(slug)!;
    work(agent, slug, 'second.txt');
    // The holder brings main (with the first session's feature.txt) into the branch: the
    // record (patch, commit list) still holds only this session's work.
    const worktree = join(agent.dir, '.worktrees', slug);
    git(worktree, 'fetch', '-q', 'origin');
    git(worktree, 'merge', '-q', '--no-edit', '--no-verify', 'origin/main');
    const offered = await runCliAsync(agent.dir, ['complete', slug, '--json']);
    expect(offered.code, offered.stderr).toBe(0);
    const branch = offered.json.pullRequest.branch as string;
    const main = git(hub, 'rev-parse', 'main').trim();
    expect(git(hub, 'rev-parse', `${branch}~1^`).trim()).toBe(main);
    const patch = git(hub, 'show', `${branch}:${S}/completed/${slug}/${slug}.patch`);
    expect(patch).toMatch(/second\.txt/);
    expect(patch).not.toMatch(/feature\.txt/);
    expect(git(hub, 'log', '-1', '--format=%B', branch)).not.toMatch(/Merge/);
    const merged = forgeMerge(branch, 'rebase', '');
    expect(merged.after).toMatch(/^[0-9a-f]{40}$/);
    const ci = cloneAgent(hub, 'ci-2');
    const checked = await runCliAsync(ci.dir, ['check', '--range', `${merged.before}..origin/main`, '--json']);
    expect(checked.code, checked.stdout).toBe(0);
  }, 180_000);

  it("a forge's squash merge folds claim and completion into one commit: the pre-receive refuses it", async () => {
    const slug = slugs[2]!;
    const agent = holders.get(slug)!;
    work(agent, slug, 'third.txt');
    const offered = await runCliAsync(agent.dir, ['complete', slug, '--json']);
    expect(offered.code, offered.stderr).toBe(0);
    const merged = forgeMerge(offered.json.pullRequest.branch, 'squash', `[${slug}] feat: the third (#3)`);
    expect(merged.after).toMatch(/^refused: /);
    expect(merged.after).toMatch(/hook declined/);
  }, 180_000);

  it('someone with push access cannot forge or drop a claim ref where the hub runs our pre-receive', async () => {
    const intruder = cloneAgent(hub, 'intruder');
    const main = intruder.git('rev-parse', 'HEAD').trim();
    const push = (...args: string[]) => gitTry(intruder.dir, ['push', '--no-verify', 'origin', ...args]);
    // A claim ref for a session main has completed.
    const completed = push(`${main}:refs/agent-sessions/claims/${slugs[0]}`);
    expect(completed.status).not.toBe(0);
    expect(completed.stderr).toMatch(/is completed on main, not planned/);
    // Someone else's live claim, deleted (would free the session for a second agent).
    const live = slugs[3]!;
    const dropped = push(`:refs/agent-sessions/claims/${live}`);
    expect(dropped.status).not.toBe(0);
    expect(dropped.stderr).toMatch(/this claim is live/);
    expect(git(hub, 'rev-parse', '-q', '--verify', `refs/agent-sessions/claims/${live}`).trim()).toMatch(/^[0-9a-f]{40}$/);
    // Moved onto a commit that is no claim (main itself), and a name that is no slug.
    const moved = push(`+${main}:refs/agent-sessions/claims/${live}`);
    expect(moved.status).not.toBe(0);
    expect(moved.stderr).toMatch(/must name its claim/);
    expect(push(`${main}:refs/agent-sessions/claims/not-a-slug`).status).not.toBe(0);

    // A pull request that claims a session whose claim ref names someone else: its own claim
    // commit (another .session-env), built on main by hand. The merge into main is refused.
    const held = git(hub, 'rev-parse', `refs/agent-sessions/claims/${live}`).trim();
    intruder.git('fetch', '-q', 'origin', `+refs/agent-sessions/claims/${live}:refs/stolen`);
    intruder.git('rm', '-r', '-q', `${S}/planned/${live}`);
    intruder.git('checkout', held, '--', `${S}/active/${live}`, `${S}/sessions.lock`);
    writeFileSync(join(intruder.dir, S, 'active', live, '.session-env'), `${intruder.read(`${S}/active/${live}/.session-env`)}# mine now\n`);
    intruder.git('add', '-A', S);
    intruder.git('commit', '-q', '--no-verify', '-m', `[${live}] chore: claim session (planned -> active)`);
    expect(push(`HEAD:refs/heads/steal/${live}`).status).toBe(0);
    // The same claim commit forced onto the claim ref: a new holder for a session that is not stale.
    const forced = push(`+HEAD:refs/agent-sessions/claims/${live}`);
    expect(forced.status).not.toBe(0);
    expect(forced.stderr).toMatch(/new holder .* not stale/);
    expect(git(hub, 'rev-parse', `refs/agent-sessions/claims/${live}`).trim()).toBe(held);
    // CI on that pull request says so too (the forge without our hook relies on it).
    intruder.git('fetch', '-q', 'origin', `+refs/heads/steal/${live}:refs/remotes/origin/steal/${live}`);
    const ci = await runCliAsync(intruder.dir, ['check', '--range', `origin/main..origin/steal/${live}`, '--claims', '--json']);
    expect(ci.code, ci.stdout).toBe(1);
    expect(JSON.stringify(ci.json)).toMatch(/claim-ref/);
    const stolen = forgeMerge(`steal/${live}`, 'rebase', '');
    expect(stolen.after).toMatch(/^refused: /);
    expect(stolen.after).toMatch(/claim ref .* names another holder/);
  }, 60_000);
});

/** One commit of work in the session's worktree. */
function work(agent: Repo, slug: string, file: string): void {
  const worktree = join(agent.dir, '.worktrees', slug);
  writeFileSync(join(worktree, file), `${file}\n`);
  git(worktree, 'add', file);
  const committed = gitTry(worktree, ['commit', '-q', '-m', `[${slug}] feat: ${file}`]);
  expect(committed.status, committed.stderr).toBe(0);
}
