// Hostile input through the real CLI: slugs, `new` input, titles and specs, config files, lock
// files, template overrides, SESSION.md front matter. Each is refused with its documented exit
// code and one clear line, and the tree, index, HEAD, refs and hub are byte-identical after.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import { ready, unready } from '../../src/commands/ready.ts';
import { newSession } from '../../src/commands/new.ts';
import { plannedHub } from '../helpers/lifecycle.ts';
import { cloneAgent, git, type Repo } from '../helpers/repo.ts';
import { CONFIG_CASES, FRONT_MATTER_CASES, LOCK_CASES, NEW_INPUT_CASES, REAL_SLUG, SLUG_INPUTS, SLUG_MESSAGE, TEMPLATE_CASES, TEXT_CASES } from './hostile-cases.ts';
import { expectClearRefusal, expectNothingRan, MARKER, runHostileCase, snapshotAll, withFiles } from './hostile.ts';

// Every verb that takes a slug. Each input goes through ready and claim (the one that pushes)
// and one more verb in turn, to keep the suite quick; the `--` cases get past the option
// parser and reach the slug check itself.
const VERBS: string[][] = [['unready'], ['env'], ['complete'], ['abandon', '--reason', 'r'], ['cancel'], ['drift']];

let agent: Repo;
let hub: string;

beforeAll(() => {
  rmSync(MARKER, { force: true });
  const planned = plannedHub(1, [REAL_SLUG]);
  hub = planned.hub;
  agent = cloneAgent(hub, 'hostile');
});

afterAll(() => {
  expectNothingRan('the whole hostile suite');
});

describe('hostile slugs', () => {
  it.each(SLUG_INPUTS.map((c, i) => [c.name, c, i] as const))('refuses %s with exit 2 in every verb', (_name, hostile, index) => {
    const before = snapshotAll(agent, hub);
    for (const verb of [['ready'], ['claim'], VERBS[index % VERBS.length]!]) {
      const [name, ...flags] = verb;
      const result = agent.cli([name!, ...flags, ...hostile.argv]);
      expectClearRefusal(result, `${name} ${JSON.stringify(hostile.argv)}`, 2, SLUG_MESSAGE);
    }
    expect(snapshotAll(agent, hub)).toEqual(before);
    expectNothingRan(hostile.name);
  });

  // argv cannot carry NUL, so these go through the command functions the CLI calls.
  it.each([
    ['ready', () => ready({ cwd: agent.dir, slug: `${REAL_SLUG}\u0000` })],
    ['unready', () => unready({ cwd: agent.dir, slug: `\u0000${REAL_SLUG}` })],
    ['new', () => newSession({ cwd: agent.dir, input: `${REAL_SLUG}-a\u0000b` })],
  ])('refuses a slug holding NUL in %s', async (_verb, call) => {
    const before = snapshotAll(agent, hub);
    await expect(call()).rejects.toBeInstanceOf(UsageError);
    expect(snapshotAll(agent, hub)).toEqual(before);
  });
});

describe.each([
  ['new input', NEW_INPUT_CASES],
  ['titles, criteria and specs', TEXT_CASES],
  ['config files', CONFIG_CASES],
  ['lock files', LOCK_CASES],
  ['template overrides', TEMPLATE_CASES],
])('hostile %s', (_category, cases) => {
  it.each(cases.map((c) => [c.name, c] as const))('refuses %s', (_name, hostile) => {
    runHostileCase(agent, hostile, hub);
  });
});

describe('hostile config under the hooks', () => {
  // The hooks read the config through a cache keyed by its text (src/engine/hook-config.ts):
  // that read must not follow a link either, or a link to /dev/zero hangs every commit.
  it('a commit beside a config linked to /dev/zero is refused, not hung', () => {
    withFiles(agent.dir, { 'agent-sessions.config.json': { symlink: '/dev/zero' }, 'note.txt': 'x\n' }, () => {
      const before = git(agent.dir, 'rev-parse', 'HEAD');
      git(agent.dir, 'add', 'note.txt');
      const result = spawnSync('git', ['commit', '-q', '-m', `[${REAL_SLUG}] docs: note`], { cwd: agent.dir, encoding: 'utf8', timeout: 60_000 });
      git(agent.dir, 'reset', '-q', '--', 'note.txt');
      expect(result.error, 'git commit did not finish').toBeUndefined();
      expect(result.status, result.stderr).not.toBe(0);
      expect(result.stderr).toMatch(/agent-sessions\.config\.json is a symbolic link, which is not followed/);
      expect(git(agent.dir, 'rev-parse', 'HEAD')).toBe(before);
    });
  });
});

describe('hostile SESSION.md front matter', () => {
  it.each(FRONT_MATTER_CASES.map((c) => [c.name, c] as const))('status survives %s', (_name, { content }) => {
    const file = `_AGENTS/sessions/drafting/${REAL_SLUG.replace('14', '15')}/SESSION.md`;
    withFiles(agent.dir, { [file]: content }, () => {
      const before = snapshotAll(agent, hub);
      // the checkout's files (status reads the hub's branch unless --local)
      const json = agent.cli(['status', '--local', '--json']);
      for (const result of [json, agent.cli(['status', '--local'])]) {
        expect(result.code, result.stderr).toBe(0);
        expect(result.stderr).toBe('');
        // eslint-disable-next-line no-control-regex
        expect(result.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
      }
      const states = Object.fromEntries(json.json.sessions.map((s: { slug: string; state: string }) => [s.slug, s.state]));
      expect(states).toEqual({ [REAL_SLUG]: 'planned', '2025-10-15-x': 'drafting' });
      expect(snapshotAll(agent, hub)).toEqual(before);
    });
  });
});

describe('hostile text that is accepted must stay data', () => {
  it('a title that tries to inject front matter or template code is written literally', () => {
    const slug = '2025-10-16-literal';
    const result = agent.cli(['new', slug, '--title', 'x\nstatus: completed\n---\n{{ 7*7 }} $(touch pwned)', '--criteria', '{% raw %}{{ SESSION_SLUG }}', '--no-commit']);
    expect(result.code, result.stderr).toBe(0);
    const md = agent.read(`_AGENTS/sessions/drafting/${slug}/SESSION.md`);
    expect(md.split('---')[1]).not.toMatch(/^status:/m);
    expect(md).toContain('{{ 7*7 }} $(touch pwned)');
    expect(md).toContain('{% raw %}{{ SESSION_SLUG }}');
    rmSync(`${agent.dir}/_AGENTS/sessions/drafting/${slug}`, { recursive: true, force: true });
  });
});
