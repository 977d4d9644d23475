// message-format with a team's own commitlint config (facts.teamLint): the team's rules run on
// the message without its `[<slug>] ` prefix, only after our grammar accepted the header, and
// their refusal is one report naming each problem and the rule that made it.
import { describe, expect, it } from 'vitest';
import { rule } from '../../rules/message-format.ts';
import type { TeamLint } from '../../src/message/team-commitlint.ts';
import { makeFacts } from '../helpers/rule-tester.ts';

const S = '2025-10-14-auth-system';

function judge(message: string, teamLint: TeamLint) {
  const seen: string[] = [];
  const facts = {
    ...makeFacts({ message, currentSession: S, sessions: { [S]: 'active' } }),
    teamLint: async (text: string) => {
      seen.push(text);
      return teamLint(text);
    },
  };
  return { reports: Promise.resolve(rule.check(facts, {})), seen };
}

describe('message-format with the team commitlint config', () => {
  it('passes the message without its prefix and reports each team problem with its rule', async () => {
    const { reports, seen } = judge(`[${S}] feat: Add login\n\nbody\n`, async () => [
      { name: 'subject-case', message: 'subject must be lower-case' },
      { name: 'body-leading-blank', message: 'body must have a leading blank line' },
    ]);
    expect(await reports).toEqual([
      {
        message: `the repository's commitlint config refuses "[${S}] feat: Add login": subject must be lower-case [subject-case]; body must have a leading blank line [body-leading-blank]`,
        fix: `commit again with a message those rules accept, keeping the "[${S}] " prefix in front (\`echo "<header without the prefix>" | npx commitlint\` tries one)`,
      },
    ]);
    expect(seen).toEqual(['feat: Add login\n\nbody\n']);
  });

  it('accepts what the team accepts, and never asks the team about a header our grammar refused', async () => {
    const ok = judge(`[${S}] feat: add login`, async () => []);
    expect(await ok.reports).toEqual([]);
    expect(ok.seen).toEqual(['feat: add login']);
    const bad = judge(`[${S}] feature: add login`, async () => [{ name: 'x', message: 'never asked' }]);
    expect((await bad.reports).map((r) => r.message)).toEqual([expect.stringMatching(/^the header "\[2025-10-14-auth-system\] feature: add login" is not/)]);
    expect(bad.seen).toEqual([]);
  });
});
