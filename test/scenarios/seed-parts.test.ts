// Path 8 (team's part): subsessions.md at claim and the `subsession` verb; SESSION.md modes
// after `git pull` (post-merge) and `git pull --rebase` (post-rewrite); the seed's template
// file names honoured.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AS, hubLog, makeTeam, type Checkout, type Team } from './harness.ts';

const mode = (file: string) => statSync(file).mode & 0o777;

describe('seed parts', () => {
  let team: Team;
  let ana: Checkout;
  let slug: string;
  beforeAll(() => {
    team = makeTeam();
    // the seed's name for the .session-env template, in the repository's _templates/
    team.planner.must(
      `printf '%s\\n' '# seed-named template' 'export SESSION_SLUG={{ SESSION_SLUG }}' 'export GIT_AUTHOR_NAME={{ USER_NAME }}' 'export GIT_AUTHOR_EMAIL={{ USER_EMAIL }}' 'export GIT_COMMITTER_NAME={{ USER_NAME }}' 'export GIT_COMMITTER_EMAIL={{ USER_EMAIL }}' > _AGENTS/sessions/_templates/session-env.template.j2 && git add _AGENTS/sessions/_templates && git commit -q -m "[maint] chore: seed template names" && git push -q`,
    );
    slug = team.plan('seed-parts')[0]!;
    ana = team.agent('ana');
    ana.must(`${AS} claim ${slug}`);
  });

  it('claim writes subsessions.md from its template and .session-env from the seed-named template', () => {
    const dir = join(ana.dir, '.worktrees', slug, '_AGENTS/sessions/active', slug);
    expect(ana.must(`cat '${dir}/subsessions.md'`).stdout).toMatch(new RegExp(`# Subsessions: ${slug}`));
    expect(ana.must(`cat '${dir}/.session-env'`).stdout).toMatch(/^# seed-named template/);
  });

  it('subsession drafts a new session on the hub and links it from subsessions.md on the session branch', () => {
    const wt = join(ana.dir, '.worktrees', slug);
    const r = ana.sh(`cd '${wt}' && ../../node_modules/.bin/agent-sessions subsession ${slug} "2026-01-20-split-out-parser" --json`);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(hubLog(team, 1)).toEqual(['[2026-01-20-split-out-parser] docs: draft subsession']);
    expect(team.planner.must('git pull -q --rebase && ls _AGENTS/sessions/drafting').stdout).toMatch(/2026-01-20-split-out-parser/);
    const link = ana.must(`cd '${wt}' && git log -1 --format='%an|%s' && tail -1 _AGENTS/sessions/active/${slug}/subsessions.md`).stdout;
    expect(link).toMatch(new RegExp(`^Agent ana\\|\\[${slug}\\] docs: subsession 2026-01-20-split-out-parser\\n- \`2026-01-20-split-out-parser\``));
  });

  it('SESSION.md of an active session is 0444 again after git pull (merge) and git pull --rebase', () => {
    const bob = team.agent('bob');
    const file = join(bob.dir, '_AGENTS/sessions/active', slug, 'SESSION.md');
    // bob cloned after the claim: post-checkout of the clone does not run; the modes come from a pull
    team.plan('moves-main');
    bob.must('chmod 0644 ' + `'${file}'`);
    bob.must('git pull -q --no-rebase');
    expect(mode(file)).toBe(0o444);
    bob.must(`chmod 0644 '${file}' && git commit -q --allow-empty -m "[maint] chore: local note"`);
    team.plan('moves-main-again');
    bob.must('git pull -q --rebase');
    expect(mode(file)).toBe(0o444);
  });
});
