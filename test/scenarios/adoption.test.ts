// Paths 5 and 10: a team adopts agent-sessions in a repository whose branch is `master`, as
// the README says: install from the tarball, init, stage what init wrote, push. Then the
// everyday commands use `master`, and doctor's fixes work when copied.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AS, hubLog, installedPackage, makeTeam, type Team } from './harness.ts';

describe('adoption in a master repository', () => {
  let team: Team;
  let initOut: string;
  beforeAll(() => {
    team = makeTeam({ branch: 'master', bare: true });
    const { tarball } = installedPackage();
    // README: "npm i -D <path to agent-sessions-<version>.tgz>" while the package is unpublished
    team.planner.must(`npm init -y >/dev/null && npm i -D --no-audit --no-fund --prefer-offline --loglevel=error '${tarball}'`);
    initOut = team.planner.must(`${AS} init`).stdout;
  });

  it('init reads the hub default branch and says so; .gitignore gets node_modules/', () => {
    expect(initOut).toMatch(/branch\s+master guarded \(git\.mainBranch, from hub\)/);
    expect(JSON.parse(team.planner.must('cat agent-sessions.config.json').stdout).git.mainBranch).toBe('master');
    expect(team.planner.must('cat .gitignore').stdout.split('\n')).toContain('node_modules/');
  });

  it("the printed `git add` line stages only what init wrote (no node_modules), and the push lands", () => {
    const line = /Next: review and commit these files: (git add .+)$/m.exec(initOut)?.[1];
    expect(line).toBeDefined();
    // README: the line init printed, plus the lock file of your own `npm i -D`
    const commit = line!.replace(/ && git commit -m ".*"$/, ' package-lock.json && git commit -q -m "[maint] chore: adopt agent-sessions"');
    team.planner.must(`${commit} && git push -q origin master`);
    expect(team.planner.must('git ls-files').stdout).not.toMatch(/node_modules/);
    expect(team.planner.must('git status --porcelain --untracked-files=all').stdout).toBe('');
    expect(hubLog(team, 1)).toEqual(['[maint] chore: adopt agent-sessions']);
  });

  it('planning, claim and completion run on master (no "hub unreachable")', () => {
    const slug = team.plan('master-works')[0]!;
    const agent = team.agent('mo');
    const claimed = agent.sh(`${AS} claim ${slug} --json`);
    expect(claimed.code, claimed.stderr + claimed.stdout).toBe(0);
    expect(hubLog(team, 1)[0]).toBe(`[${slug}] chore: claim session (planned -> active)`);
    expect(existsSync(join(agent.dir, '.worktrees', slug))).toBe(true);
    const done = agent.sh(`${AS} complete ${slug} --json`);
    expect(done.code, done.stderr + done.stdout).toBe(0);
    expect(agent.must('git ls-remote origin master').stdout.split('\t')[0]).toBe(team.planner.git('ls-remote', 'origin', 'master').split('\t')[0]);
  });

  it("doctor names a config that says main, and its fix works when copied", () => {
    const agent = team.agent('doc');
    agent.must(`node -e "const f='agent-sessions.config.json';const c=JSON.parse(require('fs').readFileSync(f));c.git.mainBranch='main';require('fs').writeFileSync(f,JSON.stringify(c,null,2))"`);
    const sick = agent.sh(`${AS} doctor --json`);
    expect(sick.code).toBe(1);
    const hub = sick.json.checks.find((c: { id: string }) => c.id === 'hub');
    expect(hub.ok).toBe(false);
    expect(hub.fix).toBe('set "git": { "mainBranch": "master" } in agent-sessions.config.json');
    agent.must(`node -e "const f='agent-sessions.config.json';const c=JSON.parse(require('fs').readFileSync(f));c.git.mainBranch='master';require('fs').writeFileSync(f,JSON.stringify(c,null,2))"`);
    const well = agent.sh(`${AS} doctor --json`);
    expect(well.json.checks.find((c: { id: string }) => c.id === 'hub').ok).toBe(true);
  });
});
