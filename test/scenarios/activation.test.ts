// Path 3: activation works with the package as a devDependency (nothing on PATH), in the
// shells people use, and a commit under the wrong identity is reported at commit time.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AS, makeTeam, printedActivation, type Checkout, type Team } from './harness.ts';

describe('activating a claimed session', () => {
  let team: Team;
  let agent: Checkout;
  let slug: string;
  let claimOut: string;
  beforeAll(() => {
    team = makeTeam();
    slug = team.plan('activation-path')[0]!;
    agent = team.agent('ana');
    claimOut = agent.must(`${AS} claim ${slug}`).stdout;
  });

  it('the printed activation line works as pasted, with no agent-sessions on PATH', () => {
    expect(agent.sh('command -v agent-sessions').code).not.toBe(0);
    const line = printedActivation(claimOut);
    const r = agent.must(`${line} && printf '%s|%s|%s' "$SESSION_SLUG" "$GIT_AUTHOR_NAME" "$(pwd)"`);
    expect(r.stdout).toBe(`${slug}|Agent ana|${join(agent.dir, '.worktrees', slug)}`);
  });

  it('a commit made after activation carries the session identity; no warning', () => {
    const line = printedActivation(claimOut);
    const r = agent.must(`${line} && git -c user.name=Someone -c user.email=someone@example.test commit -q --allow-empty -m "[${slug}] chore: first step" && git log -1 --format=%an`);
    expect(r.stdout.trim()).toBe('Agent ana');
    expect(r.stderr).not.toMatch(/session-identity/);
  });

  it('the SESSIONS-README lines for this layout work from the worktree (eval and the .session-env)', () => {
    const readme = agent.must(`cat _AGENTS/sessions/SESSIONS-README.md`).stdout;
    const evalLine = /^  - `(eval "\$\(\.\.\/\.\.\/[^`]+ env <slug>\)")` \(sh, bash, zsh\)$/m.exec(readme)?.[1];
    const sourceLine = /^  - `(\. _AGENTS\/sessions\/active\/<slug>\/\.session-env)`/m.exec(readme)?.[1];
    expect(evalLine, readme).toBeDefined();
    expect(sourceLine, readme).toBeDefined();
    const wt = join(agent.dir, '.worktrees', slug);
    for (const line of [evalLine!, sourceLine!]) {
      const r = agent.must(`cd '${wt}' && ${line.replace(/<slug>/g, slug)} && printf '%s' "$GIT_AUTHOR_EMAIL"`);
      expect(r.stdout).toBe('ana@example.test');
    }
  });

  it('env --shell fish prints set -gx lines; --json gives the line to paste', () => {
    const r = agent.must(`${AS} env ${slug} --shell fish --json`);
    expect(r.json.exports).toContain(`set -gx GIT_AUTHOR_NAME 'Agent ana';`);
    expect(r.json.activate).toMatch(new RegExp(`^'/.*/node_modules/\\.bin/agent-sessions' env ${slug} --shell fish \\| source$`));
    expect(agent.sh(`${AS} env ${slug} --shell tcsh`).code).toBe(2);
  });

  it('committing in the session as someone else is reported at once (warn), and refused when configured', () => {
    const wt = join(agent.dir, '.worktrees', slug);
    const warned = agent.sh(`cd '${wt}' && git -c user.name=Mallory -c user.email=m@example.test commit -q --allow-empty -m "[${slug}] chore: wrong hands"`);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toMatch(/session-identity.*Mallory/);
    // the team decides to refuse it
    agent.must(`cd '${wt}' && node -e "const f='agent-sessions.config.json';const c=JSON.parse(require('fs').readFileSync(f));c.rules={...c.rules,'session-identity':'error'};require('fs').writeFileSync(f,JSON.stringify(c,null,2))"`);
    const refused = agent.sh(`cd '${wt}' && git -c user.name=Mallory -c user.email=m@example.test commit -q --allow-empty -m "[${slug}] chore: wrong hands again"`);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/session-identity/);
  });

  it('SESSION.md is read-only in the worktree', () => {
    expect(statSync(join(agent.dir, '.worktrees', slug, '_AGENTS/sessions/active', slug, 'SESSION.md')).mode & 0o777).toBe(0o444);
  });
});
