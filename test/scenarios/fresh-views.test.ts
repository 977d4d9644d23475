// Path 7: status and board show the hub's branch (after one fetch), not a stale checkout.
import { beforeAll, describe, expect, it } from 'vitest';
import { AS, makeTeam, type Checkout, type Team } from './harness.ts';

describe('status and board read the hub', () => {
  let team: Team;
  let ana: Checkout;
  let ben: Checkout;
  let slug: string;
  beforeAll(() => {
    team = makeTeam();
    slug = team.plan('fresh-view')[0]!;
    ben = team.agent('ben'); // clones now, then never pulls
    ana = team.agent('ana');
    ana.must(`${AS} claim ${slug} && ${AS} complete ${slug}`);
  });

  it('status shows the session completed on the hub though this checkout never pulled; --local shows the checkout', () => {
    const fresh = ben.must(`${AS} status --json`).json;
    expect(fresh.source.kind).toBe('hub');
    expect(fresh.sessions.find((s: { slug: string }) => s.slug === slug).state).toBe('completed');
    const local = ben.must(`${AS} status --local --json`).json;
    expect(local.source.kind).toBe('local');
    expect(local.sessions.find((s: { slug: string }) => s.slug === slug).state).toBe('planned');
  });

  it('board writes the hub view; an unreachable hub falls back to the last fetch with a note', () => {
    ben.must(`${AS} board`);
    expect(ben.must('cat _AGENTS/sessions/BOARD.md').stdout).toMatch(new RegExp(`## completed \\(1\\)[\\s\\S]*${slug}`));
    ben.must('git remote set-url origin /nonexistent/hub.git');
    const r = ben.sh(`${AS} status`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/note: cannot fetch main from the hub "origin".*showing origin\/main as last fetched/);
    expect(r.stdout).toMatch(new RegExp(`completed\\s+\\S+\\s+${slug}`));
  });
});
