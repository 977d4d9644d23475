// Path: a teammate (or an agent with the hooks skipped) pushes something that breaks the
// layout: a folder in active/ that is no session, a state folder replaced by a file. The
// pre-push hook and the hub's pre-receive refuse it with the fix, and the fix, done as printed,
// lands. Everything from a user's shell with the packed tarball.
import { beforeAll, describe, expect, it } from 'vitest';
import { AS, hubLog, makeTeam, type Checkout, type Team } from './harness.ts';

describe("the layout's shape is held by the hooks and the hub", () => {
  let team: Team;
  let ben: Checkout;
  beforeAll(() => {
    team = makeTeam();
    team.planner.must(`${AS} install-server-hook ${team.hub}`);
    ben = team.agent('ben');
  });

  it('a folder in active/ that is not a session: refused by pre-push and by the hub; moved out as the fix says, it lands', () => {
    ben.must('mkdir -p _AGENTS/sessions/active/notes && echo todo > _AGENTS/sessions/active/notes/todo.md');
    ben.must('git add _AGENTS/sessions/active/notes && git commit -q -m "[maint] docs: notes"');
    const before = hubLog(team, 1);
    const hooked = ben.sh('git push -q');
    expect(hooked.code).not.toBe(0);
    expect(hooked.stderr).toMatch(/_AGENTS\/sessions\/active\/notes is not a session folder named by a valid slug/);
    const skipped = ben.sh('git push -q --no-verify');
    expect(skipped.code).not.toBe(0);
    expect(skipped.stderr).toMatch(/remote: .*_AGENTS\/sessions\/active\/notes is not a session folder named by a valid slug/);
    expect(skipped.stderr).toMatch(/move it out of the state folders/);
    expect(hubLog(team, 1)).toEqual(before);
    // the fix: move it out of the state folders (and amend the commit that added it)
    ben.must('mkdir -p docs && git mv _AGENTS/sessions/active/notes docs/notes && git commit -q --amend --no-edit && git push -q');
    expect(hubLog(team, 1)).toEqual(['[maint] docs: notes']);
  });

  it('a state folder replaced by a file: refused by the hub; the printed fix restores the folder', () => {
    ben.must('git pull -q --rebase');
    ben.must('echo more >> README.md && git rm -q _AGENTS/sessions/planned/.gitkeep && printf "x\\n" > _AGENTS/sessions/planned && git add README.md _AGENTS/sessions/planned && git commit -q -m "[maint] chore: tidy"');
    const before = hubLog(team, 1);
    const pushed = ben.sh('git push -q --no-verify');
    expect(pushed.code).not.toBe(0);
    expect(pushed.stderr).toMatch(/remote: .*state folder _AGENTS\/sessions\/planned is added as a file, link or submodule/);
    expect(hubLog(team, 1)).toEqual(before);
    const fix = /fix: (git rm [^,]+?), then/.exec(pushed.stderr)?.[1];
    expect(fix, pushed.stderr).toBeDefined();
    ben.must(fix!.replace(/\bagent-sessions\b/g, AS));
    ben.must('git add _AGENTS/sessions/planned && git commit -q --amend --no-edit && git push -q');
    expect(ben.git('ls-tree', '--name-only', 'origin/main', '_AGENTS/sessions/planned/')).toMatch(/^_AGENTS\/sessions\/planned\/\.gitkeep$/m);
  });
});
