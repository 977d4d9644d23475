// Path 6: the planner's push after main has moved (every claim and completion moves it).
import { beforeAll, describe, expect, it } from 'vitest';
import { AS, hubLog, makeTeam, type Checkout, type Team } from './harness.ts';

describe('planning while agents move main', () => {
  let team: Team;
  let agent: Checkout;
  beforeAll(() => {
    team = makeTeam();
    const first = team.plan('first-job')[0]!;
    agent = team.agent('ben');
    agent.must(`${AS} claim ${first}`); // main moved; the planner has not pulled
  });

  it('new --push and ready --push rebuild on the moved main and land; the local main follows', () => {
    const slug = '2026-01-16-second-job';
    const drafted = team.planner.sh(`${AS} new ${slug} --criteria "done" --push --json`);
    expect(drafted.code, drafted.stderr).toBe(0);
    expect(drafted.json.pushed.rebuilt).toBe(true);
    const readied = team.planner.sh(`${AS} ready ${slug} --push`);
    expect(readied.code, readied.stderr).toBe(0);
    expect(hubLog(team, 3)).toEqual([
      `[${slug}] chore: ready session (drafting -> planned)`,
      `[${slug}] docs: draft session ${slug}`,
      expect.stringMatching(/claim session/),
    ]);
    expect(team.planner.git('rev-parse', 'HEAD')).toBe(team.planner.git('ls-remote', 'origin', 'main').split('\t')[0] + '\n');
    expect(team.planner.must('git status --porcelain').stdout).toBe('');
    // and an agent can claim it at once
    expect(agent.sh(`${AS} claim ${slug} --json`).code).toBe(0);
  });

  it('a plain push is rejected once main moved; the documented `git pull --rebase` then `git push` works', () => {
    const slug = '2026-01-17-third-job';
    team.planner.must(`${AS} new ${slug} --criteria "done"`);
    const pushed = team.planner.sh('git push -q');
    expect(pushed.code).not.toBe(0);
    expect(pushed.stderr).toMatch(/rejected|fetch first/);
    team.planner.must('git pull -q --rebase && git push -q');
    expect(hubLog(team, 1)).toEqual([`[${slug}] docs: draft session ${slug}`]);
  });

  it('ready --push of a session an agent cancelled meanwhile is refused with exit 3 and changes nothing on the hub', () => {
    const slug = '2026-01-18-fourth-job';
    team.planner.must(`${AS} new ${slug} --criteria "done" --push`);
    agent.must(`git pull -q --rebase && ${AS} cancel ${slug} --reason "not needed"`);
    const before = team.planner.git('ls-remote', 'origin', 'main');
    const r = team.planner.sh(`${AS} ready ${slug} --push --json`);
    expect(r.code).toBe(3);
    expect(r.json.error.message).toMatch(/abandoned/);
    expect(team.planner.git('ls-remote', 'origin', 'main')).toBe(before);
  });
});
