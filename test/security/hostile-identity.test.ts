// Agent names and emails are the one piece of hostile text that claim writes into a file a
// shell will source (.session-env). Proof that sourcing it runs nothing: source it in dash and
// bash, check that a marker file was NOT created and that each variable holds the exact bytes.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { plannedHub } from '../helpers/lifecycle.ts';
import { cloneAgent, type Repo } from '../helpers/repo.ts';
import { IDENTITY_CASES, SESSION_ENV_TEMPLATE_CASES } from './hostile-cases.ts';
import { expectClearRefusal, MARKER, RUN_MARKER, snapshotAll, withFiles } from './hostile.ts';

const S = '_AGENTS/sessions';
const KEYS = ['SESSION_SLUG', 'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL'];
const SHELLS = ['sh', 'dash', 'bash'].filter((shell) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0);

// The name the issue asks for: ', ", $(…), backticks and a newline, plus a few more.
const NAME = `O'Brien "Bob" $(${RUN_MARKER}) \`${RUN_MARKER}\` \${HOME} ; ${RUN_MARKER} | x & y\nsecond line \\ end '`;
const EMAIL = `o'b"$(${RUN_MARKER})\`${RUN_MARKER}\`@example.test`;

/** Sources `file` (or evals `script`) in `shell` and returns the five variables, NUL-separated. */
function sourced(shell: string, script: string): string[] {
  const printer = KEYS.map((k) => `"$${k}"`).join(' ');
  const result = spawnSync(shell, ['-c', `${script}\nprintf '%s\\0' ${printer}`], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.split('\0').slice(0, KEYS.length);
}

let hub: string;
let slugs: string[];

beforeAll(() => {
  rmSync(MARKER, { force: true });
  slugs = ['2025-10-20-quoted-name', '2025-10-21-refusals'];
  hub = plannedHub(2, slugs).hub;
});

describe('.session-env from a hostile name', () => {
  it("sources in every shell without running anything, holding the exact bytes (', \", $(…), backticks, newline)", () => {
    const agent = cloneAgent(hub, 'quoting');
    const slug = slugs[0]!;
    const claim = agent.cli(['claim', slug, '--agent-name', NAME, '--agent-email', EMAIL, '--json']);
    expect(claim.code, claim.stderr).toBe(0);
    const file = join(agent.dir, '.worktrees', slug, S, 'active', slug, '.session-env');
    expect(existsSync(file)).toBe(true);
    const expected = [slug, NAME, EMAIL, NAME, EMAIL];
    expect(SHELLS.length).toBeGreaterThanOrEqual(2);
    for (const shell of SHELLS) {
      expect(sourced(shell, `. '${file}'`), `${shell} sourcing .session-env`).toEqual(expected);
      // the other documented way in: eval "$(agent-sessions env <slug>)"
      const env = agent.cli(['env', slug]);
      expect(env.code, env.stderr).toBe(0);
      expect(sourced(shell, `eval "$(cat <<'AS_EOF'\n${env.stdout}\nAS_EOF\n)"`), `${shell} eval of env`).toEqual(expected);
    }
    expect(existsSync(MARKER), 'a payload in the name ran').toBe(false);
    expect(claim.json.env.GIT_AUTHOR_NAME).toBe(NAME);
  });
});

describe('hostile identities and .session-env templates are refused before the push', () => {
  let agent: Repo;
  beforeAll(() => {
    agent = cloneAgent(hub, 'refusals');
  });

  it.each(IDENTITY_CASES.map((c) => [c.name, c] as const))('refuses %s', (_name, hostile) => {
    const before = snapshotAll(agent, hub);
    const result = agent.cli(['claim', slugs[1]!, ...hostile.args], { env: hostile.env ?? {} });
    expectClearRefusal(result, hostile.name, 2, hostile.message);
    expect(snapshotAll(agent, hub)).toEqual(before);
  });

  it.each(SESSION_ENV_TEMPLATE_CASES.map((c) => [c.name, c] as const))('refuses a session-env.j2 override that %s', (_name, hostile) => {
    withFiles(agent.dir, { [`${S}/_templates/session-env.j2`]: hostile.template }, () => {
      const before = snapshotAll(agent, hub);
      const result = agent.cli(['claim', slugs[1]!, '--agent-name', NAME, '--agent-email', EMAIL]);
      expectClearRefusal(result, hostile.name, 2, /session-env|template/);
      if (/GIT_CONFIG|PROMPT|BASH_ENV|PATH/.test(hostile.name)) expect(result.stderr).toMatch(/only SESSION_SLUG, GIT_AUTHOR_NAME, GIT_AUTHOR_EMAIL, GIT_COMMITTER_NAME, GIT_COMMITTER_EMAIL may be set/);
      expect(snapshotAll(agent, hub)).toEqual(before);
    });
    expect(existsSync(MARKER)).toBe(false);
  });
});
