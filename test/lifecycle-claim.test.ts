// claim and env over a real bare hub (file:// and git://): one commit, pushed atomically
// with the session branch; a lost race or a refused push leaves no local trace.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { startDaemon, type GitDaemon } from './helpers/daemon.js';
import { agents, hubFile, LOCK, plannedHub, S } from './helpers/lifecycle.js';
import { cloneAgent, git, gitTry, tempDir } from './helpers/repo.js';

function noTrace(agent: { dir: string; git(...a: string[]): string }, hub: string, slug: string): void {
  expect(agent.git('rev-parse', 'main').trim()).toBe(git(hub, 'rev-parse', 'main').trim());
  expect(gitTry(agent.dir, ['rev-parse', '--verify', '-q', `refs/heads/session/${slug}`]).status).not.toBe(0);
  expect(existsSync(join(agent.dir, '.worktrees', slug))).toBe(false);
  expect(agent.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
  expect(agent.git('status', '--porcelain').trim()).toBe('');
}

describe('claim', () => {
  it('moves planned -> active in ONE commit on the hub, with the branch, a worktree and a lock line', () => {
    const { hub, slugs, planner } = plannedHub(1);
    const slug = slugs[0]!;
    const before = git(hub, 'rev-parse', 'main').trim();
    const [a] = agents(hub, 1);
    const r = a!.cli(['claim', slug, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const main = git(hub, 'rev-parse', 'main').trim();
    expect(r.json.commit).toBe(main);
    expect(git(hub, 'rev-parse', `${main}^`).trim()).toBe(before);
    expect(git(hub, 'log', '-1', '--format=%an <%ae>|%s', 'main').trim()).toBe(`agent-1 <agent-1@example.test>|[${slug}] chore: claim session (planned -> active)`);
    expect(git(hub, 'rev-parse', `session/${slug}`).trim()).toBe(main);
    expect(hubFile(hub, LOCK)).toMatch(new RegExp(`^${slug}:\\d+\\n$`));
    const names = git(hub, 'ls-tree', '--name-only', `main:${S}/active/${slug}`).trim().split('\n').sort();
    expect(names).toEqual(['.session-env', 'SESSION.md', 'active-plan.md', 'subsessions.md', 'worklog.md']);
    expect(hubFile(hub, `${S}/active/${slug}/SESSION.md`)).toBe(planner.read(`${S}/planned/${slug}/SESSION.md`));
    expect(git(hub, 'ls-tree', 'main', `${S}/planned/${slug}`).trim()).toBe('');
    // Local side: worktree on the branch, SESSION.md read-only, main fast-forwarded.
    const wt = join(a!.dir, '.worktrees', slug);
    expect(r.json.path).toBe(wt);
    expect(git(wt, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe(`session/${slug}`);
    expect(statSync(join(wt, S, 'active', slug, 'SESSION.md')).mode & 0o777).toBe(0o444);
    expect(a!.git('rev-parse', 'main').trim()).toBe(main);
    expect(r.json.env).toEqual({
      SESSION_SLUG: slug,
      GIT_AUTHOR_NAME: 'agent-1',
      GIT_AUTHOR_EMAIL: 'agent-1@example.test',
      GIT_COMMITTER_NAME: 'agent-1',
      GIT_COMMITTER_EMAIL: 'agent-1@example.test',
    });
    expect(r.json.activate).toMatch(new RegExp(`node_modules/\\.bin/agent-sessions' env ${slug}\\)"$`)); // by absolute path: no PATH needed
    const env = a!.cli(['env', slug]);
    expect(env.code).toBe(0);
    expect(env.stdout).toContain(`export SESSION_SLUG='${slug}'`);
  });

  it('sets every SESSION.md mode in the new worktree itself (the post-checkout hook is told to skip)', () => {
    const { hub, slugs } = plannedHub(3);
    const [a] = agents(hub, 1);
    expect(a!.cli(['claim', slugs[0]!]).code).toBe(0);
    const r = a!.cli(['claim', slugs[1]!, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const wt = r.json.path as string;
    const mode = (state: string, slug: string) => statSync(join(wt, S, state, slug, 'SESSION.md')).mode & 0o777;
    expect(mode('active', slugs[0]!)).toBe(0o444);
    expect(mode('active', slugs[1]!)).toBe(0o444);
    expect(mode('planned', slugs[2]!)).toBe(0o644);
  });

  it('starts no hook Node process: pre-push judged in process, post-merge and post-checkout work done itself', () => {
    const { hub, slugs } = plannedHub(2);
    const [a] = agents(hub, 1);
    // A `node` first on PATH that notes every hook it is asked to run (the CLI itself runs
    // as process.execPath); and a command of the project's own in .husky/post-merge.
    const bin = tempDir('as-node-spy-');
    const spy = join(bin, 'calls');
    writeFileSync(join(bin, 'node'), `#!/bin/sh\necho "$*" >>'${spy}'\nexec '${process.execPath}' "$@"\n`, { mode: 0o755 });
    writeFileSync(join(a!.dir, '.husky', 'post-merge'), `echo project-post-merge >>'${join(bin, 'own')}'\n${readFileSync(join(a!.dir, '.husky', 'post-merge'), 'utf8')}`);
    a!.git('commit', '-q', '--no-verify', '-am', '[maint] chore: a post-merge command of the project');
    a!.git('push', '-q', '--no-verify', 'origin', 'main');
    expect(a!.cli(['claim', slugs[0]!]).code).toBe(0);
    const r = a!.cli(['next', '--claim', '--json'], { env: { PATH: `${bin}:${process.env.PATH}` } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.slug).toBe(slugs[1]);
    expect(existsSync(spy) ? readFileSync(spy, 'utf8') : '').toBe('');
    expect(readFileSync(join(bin, 'own'), 'utf8')).toBe('project-post-merge\n'.repeat(2));
    // The local main was fast-forwarded and its SESSION.md modes set as the hook would.
    expect(a!.git('rev-parse', 'main').trim()).toBe(git(hub, 'rev-parse', 'main').trim());
    expect(statSync(join(a!.dir, S, 'active', slugs[1]!, 'SESSION.md')).mode & 0o777).toBe(0o444);
    expect(statSync(join(a!.dir, S, 'active', slugs[0]!, 'SESSION.md')).mode & 0o777).toBe(0o444);
  });

  it('loses with exit 3 naming the holder when the session is already active, leaving no trace', () => {
    const { hub, slugs } = plannedHub(1);
    const [a, b] = agents(hub, 2);
    expect(a!.cli(['claim', slugs[0]!]).code).toBe(0);
    const lost = b!.cli(['claim', slugs[0]!, '--json']);
    expect(lost.code).toBe(3);
    expect(lost.json.error.code).toBe('lost-race');
    expect(lost.json.error.message).toContain('agent-1 <agent-1@example.test>');
    noTrace(b!, hub, slugs[0]!);
    // The holder running claim again (e.g. after an interrupted claim) gets its checkout back:
    // its claim token (kept under .git/) matches the hub's record, nothing new is pushed.
    const mainBefore = git(hub, 'rev-parse', 'main').trim();
    a!.git('worktree', 'remove', '--force', join(a!.dir, '.worktrees', slugs[0]!));
    a!.git('branch', '-D', `session/${slugs[0]}`);
    const again = a!.cli(['claim', slugs[0]!, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json.resumed).toBe(true);
    expect(existsSync(join(a!.dir, '.worktrees', slugs[0]!, S, 'active', slugs[0]!, 'SESSION.md'))).toBe(true);
    expect(git(hub, 'rev-parse', 'main').trim()).toBe(mainBefore);
    // The same identity from another checkout (no token) is still just a lost race.
    const twin = cloneAgent(hub, 'agent-1');
    expect(twin.cli(['claim', slugs[0]!]).code).toBe(3);
  });

  it('refuses bad input with exit 2 before touching anything', () => {
    const { hub } = plannedHub(1);
    const [a] = agents(hub, 1);
    expect(a!.cli(['claim', '../x']).code).toBe(2);
    expect(a!.cli(['claim', '2025-01-01-task-1', '--reason', 'x']).code).toBe(2);
    expect(a!.cli(['claim', '2025-02-02-nothing']).code).toBe(2);
    noTrace(a!, hub, '2025-01-01-task-1');
  });

  it('reports a refusal by the pre-push hook as a refusal (exit 1), not a lost race', () => {
    const { hub, slugs } = plannedHub(1);
    const a = cloneAgent(hub, 'refused');
    const hooks = tempDir('as-hooks-');
    writeFileSync(join(hooks, 'pre-push'), '#!/bin/sh\necho "pre-push: lifecycle: refused for the test" >&2\nexit 1\n', { mode: 0o755 });
    a.git('config', 'core.hooksPath', hooks);
    const r = a.cli(['claim', slugs[0]!, '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('push-refused');
    expect(r.json.error.message).toContain('refused for the test');
    noTrace(a, hub, slugs[0]!);
    expect(git(hub, 'ls-tree', '--name-only', `main:${S}/planned`)).toContain(slugs[0]!);
  });

  it('writes a .session-env that sources without running anything, whatever the name', () => {
    const { hub, slugs } = plannedHub(1);
    const [a] = agents(hub, 1);
    const marker = join(tempDir('as-marker-'), 'pwned');
    const name = `O'Brien "x" $(touch ${marker}) \`touch ${marker}\`\nline2 \\ $HOME`;
    const r = a!.cli(['claim', slugs[0]!, '--json'], { env: { AGENT_NAME: name, AGENT_EMAIL: 'ob@example.test' } });
    expect(r.code).toBe(0);
    expect(r.json.env.GIT_AUTHOR_NAME).toBe(name);
    const file = join(r.json.sessionDir, '.session-env');
    const sourced = spawnSync('sh', ['-c', '. "$1" && printf "%s|%s" "$GIT_AUTHOR_NAME" "$SESSION_SLUG"', 'sh', file], { encoding: 'utf8' });
    expect(sourced.status).toBe(0);
    expect(sourced.stdout).toBe(`${name}|${slugs[0]}`);
    const env = a!.cli(['env', slugs[0]!]);
    const evaled = spawnSync('sh', ['-c', 'eval "$1" && printf "%s" "$GIT_AUTHOR_NAME"', 'sh', env.stdout], { encoding: 'utf8' });
    expect(evaled.stdout).toBe(name);
    expect(existsSync(marker)).toBe(false);
  });

  it('takes the identity from the flags over AGENT_NAME over git config', () => {
    const { hub, slugs } = plannedHub(2);
    const [a] = agents(hub, 1);
    const r1 = a!.cli(['claim', slugs[0]!, '--agent-name', 'Flag Name', '--agent-email', 'flag@example.test', '--json'], { env: { AGENT_NAME: 'Env Name' } });
    expect(r1.json.env.GIT_AUTHOR_NAME).toBe('Flag Name');
    expect(git(hub, 'log', '-1', '--format=%an <%ae>', 'main').trim()).toBe('Flag Name <flag@example.test>');
    const r2 = a!.cli(['claim', slugs[1]!, '--json'], { env: { AGENT_NAME: 'Env Name' } });
    expect(r2.json.env.GIT_AUTHOR_NAME).toBe('Env Name');
    expect(r2.json.env.GIT_AUTHOR_EMAIL).toBe('agent-1@example.test');
  });

  it('claims into a clone under .sessions/ with --clone, hooks installed there', () => {
    const { hub, slugs } = plannedHub(1);
    const [a] = agents(hub, 1);
    const r = a!.cli(['claim', slugs[0]!, '--clone', '--json']);
    expect(r.code).toBe(0);
    const clone = join(a!.dir, '.sessions', slugs[0]!);
    expect(r.json.path).toBe(clone);
    expect(git(clone, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe(`session/${slugs[0]}`);
    expect(git(clone, 'config', 'core.hooksPath').trim()).not.toBe('');
    expect(statSync(join(clone, S, 'active', slugs[0]!, 'SESSION.md')).mode & 0o777).toBe(0o444);
  });
});

describe('claim and complete over git://', () => {
  let daemon: GitDaemon | undefined;
  afterAll(async () => daemon?.stop());

  it('claims through git daemon, and a second claimer loses with exit 3', async () => {
    const { hub, slugs } = plannedHub(1);
    daemon = await startDaemon(hub);
    const dir = join(tempDir('as-net-'), 'w');
    mkdirSync(dir);
    const [a, b] = agents(daemon.url, 2);
    expect(a!.git('remote', 'get-url', 'origin').trim()).toMatch(/^git:\/\/127\.0\.0\.1:/);
    const won = a!.cli(['claim', slugs[0]!, '--json']);
    expect(won.code).toBe(0);
    expect(git(hub, 'rev-parse', 'main').trim()).toBe(won.json.commit);
    const lost = b!.cli(['claim', slugs[0]!]);
    expect(lost.code).toBe(3);
    noTrace(b!, hub, slugs[0]!);
    // ...and completes over the same transport: squash pushed, hub branch deleted.
    writeFileSync(join(won.json.path, 'net.txt'), 'over git://\n');
    git(won.json.path, 'add', 'net.txt');
    expect(gitTry(won.json.path, ['commit', '-q', '-m', `[${slugs[0]}] feat: over the network`], won.json.env).status).toBe(0);
    const done = a!.cli(['complete', slugs[0]!, '--json']);
    expect(done.code).toBe(0);
    expect(hubFile(hub, 'net.txt')).toBe('over git://\n');
    expect(git(hub, 'branch', '--list', `session/${slugs[0]}`).trim()).toBe('');
  });
});
