// `ready <slug> --push` (and `new`, `unready`) refused because the local main has a commit the
// hub lacks under the command's commit: the printed fix, typed as printed (its git commands),
// publishes that commit, and running the command again anyway ends in exit 0: it finds the
// session already planned on the hub's main and says so (text and --json), with no second
// commit or push. A rerun whose state is NOT on the hub still refuses as before.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { makeHub, makeRepo, type Repo } from './helpers/repo.ts';

const S = '_AGENTS/sessions';

/** A planner with a hub, a drafted session on both, and a local [maint] commit not pushed. */
function plannerWithUnpushedCommit(slug: string): { planner: Repo; hub: string } {
  const planner = makeRepo();
  const hub = makeHub(planner);
  const drafted = planner.cli(['new', slug, '--criteria', 'done', '--push']);
  expect(drafted.code, drafted.stderr).toBe(0);
  planner.write('notes.md', 'local only\n');
  const committed = planner.commit('[maint] docs: local notes', ['notes.md']);
  expect(committed.status, committed.stderr).toBe(0);
  return { planner, hub };
}

const hubTip = (planner: Repo) => planner.git('ls-remote', 'origin', 'refs/heads/main').split('\t')[0]!;

/** The shell commands of a printed fix, as printed: `git pull ... && git push ...`. */
function fixCommands(fix: string): string {
  const commands = /(git pull --rebase \S+ \S+ && git push \S+ \S+)/.exec(fix)?.[1];
  if (!commands) throw new Error(`no commands in the fix: ${fix}`);
  return commands;
}

describe('ready --push over a local commit the hub lacks', () => {
  it('the printed fix, typed as printed, publishes it; the command run again: exit 0, said to be done already', () => {
    const slug = '2026-02-01-rerun-job';
    const { planner } = plannerWithUnpushedCommit(slug);
    const refused = planner.cli(['ready', slug, '--push', '--json']);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.json.error.code).toBe('unpushed-commits');
    const fix: string = refused.json.error.fix;
    expect(fix).toMatch(/your ready commit goes with them: nothing more to run/);

    const typed = spawnSync('bash', ['-c', fixCommands(fix)], { cwd: planner.dir, encoding: 'utf8' });
    expect(typed.status, typed.stderr).toBe(0);
    const published = hubTip(planner);
    expect(planner.git('show', '-s', '--format=%s', published).trim()).toBe(`[${slug}] chore: ready session (drafting -> planned)`);

    const again = planner.cli(['ready', slug, '--push', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json).toMatchObject({ ok: true, slug, from: 'drafting', to: 'planned', path: `${S}/planned/${slug}`, alreadyOnHub: true, commit: published });
    expect(again.json.pushed).toBeUndefined();
    // nothing committed or pushed twice
    expect(hubTip(planner)).toBe(published);
    expect(planner.git('rev-parse', 'HEAD').trim()).toBe(published);

    const text = planner.cli(['ready', slug, '--push']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`${slug}: already planned on the hub's main \\(commit ${published.slice(0, 8)}\\); nothing to push`));
  });

  it('new --push: the printed fix, typed as printed, publishes the draft', () => {
    const planner = makeRepo();
    makeHub(planner);
    planner.write('notes.md', 'local only\n');
    expect(planner.commit('[maint] docs: local notes', ['notes.md']).status).toBe(0);
    const slug = '2026-02-04-new-job';
    const refused = planner.cli(['new', slug, '--criteria', 'done', '--push', '--json']);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.json.error.fix).toMatch(/your draft commit goes with them: nothing more to run/);
    const typed = spawnSync('bash', ['-c', fixCommands(refused.json.error.fix)], { cwd: planner.dir, encoding: 'utf8' });
    expect(typed.status, typed.stderr).toBe(0);
    expect(planner.git('show', '-s', '--format=%s', hubTip(planner)).trim()).toBe(`[${slug}] docs: draft session ${slug}`);
  });

  it('unready --push is rerun the same way', () => {
    const slug = '2026-02-02-rerun-back';
    const { planner } = plannerWithUnpushedCommit(slug);
    expect(planner.cli(['ready', slug, '--push']).code).toBe(1);
    expect(spawnSync('bash', ['-c', 'git pull -q --rebase origin main && git push -q origin HEAD:main'], { cwd: planner.dir }).status).toBe(0);
    const back = planner.cli(['unready', slug, '--push', '--json']);
    expect(back.code, back.stderr).toBe(0);
    expect(back.json.pushed).toBeDefined();
    const again = planner.cli(['unready', slug, '--push', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json).toMatchObject({ from: 'planned', to: 'drafting', alreadyOnHub: true });
  });

  it('a rerun whose planned state never reached the hub is still refused, and nothing is pushed', () => {
    const slug = '2026-02-03-not-published';
    const { planner } = plannerWithUnpushedCommit(slug);
    expect(planner.cli(['ready', slug, '--push']).code).toBe(1);
    const before = hubTip(planner);
    const again = planner.cli(['ready', slug, '--push', '--json']);
    expect(again.code).toBe(2);
    expect(again.json.error.code).toBe('wrong-state');
    expect(again.json.error.message).toMatch(/planned, not drafting/);
    expect(hubTip(planner)).toBe(before);
    // without --push the hub is not asked: the same refusal
    expect(planner.cli(['ready', slug]).code).toBe(2);
  });
});
