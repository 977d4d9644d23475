// lifecycle and attribution as pure rules over {valid, invalid} tables: trees before and
// after a commit (with the lock file's text), no git.
import { describe, expect, it } from 'vitest';
import { rule as attribution } from '../../rules/attribution.ts';
import { rule as lifecycle } from '../../rules/lifecycle.ts';
import { defaultConfig } from '../../src/config.ts';
import { snapshotFromPaths } from '../../src/engine/snapshot.ts';
import type { Change, Facts, Identity } from '../../src/engine/types.ts';
import { historyCommit } from '../helpers/rule-tester.ts';

const S = '_AGENTS/sessions';
const LOCK = `${S}/sessions.lock`;
const A = '2025-10-14-auth-system';
const B = '2025-10-15-billing';
const KB = 'kb-2025-10-20-merge-auth-system';

interface Spec {
  message?: string;
  before: string[];
  after: string[];
  lockBefore?: string;
  lockAfter?: string;
  changes?: Change[];
  author?: Identity;
  identity?: Identity;
  envAfter?: string;
}

function facts(spec: Spec): Facts {
  const config = defaultConfig();
  const before = new Set(spec.before);
  const after = new Set(spec.after);
  const changes: Change[] = spec.changes ?? [
    ...[...after].filter((p) => !before.has(p)).map((path) => ({ status: 'A', path })),
    ...[...before].filter((p) => !after.has(p)).map((path) => ({ status: 'D', path })),
    ...(spec.lockBefore !== spec.lockAfter ? [{ status: 'M', path: LOCK }] : []),
  ];
  const commit = historyCommit(true);
  if (spec.author) commit.author = spec.author;
  return {
    runPoint: 'check',
    config,
    message: spec.message ?? `[${A}] chore: x`,
    currentSession: undefined,
    branch: undefined,
    changes,
    before: snapshotFromPaths(before, config, spec.lockBefore ?? ''),
    after: () => snapshotFromPaths(after, config, spec.lockAfter ?? spec.lockBefore ?? ''),
    untracked: () => [],
    commit,
    sessionIdentity: () => spec.identity,
    readAfter: (path) => (path.endsWith('.session-env') ? spec.envAfter : undefined),
    readBefore: () => undefined,
  };
}

const md = (state: string, slug: string) => `${S}/${state}/${slug}/SESSION.md`;
const f = (state: string, slug: string, name: string) => `${S}/${state}/${slug}/${name}`;
const activeA = [md('active', A), f('active', A, '.session-env')];

const valid: [string, Spec][] = [
  ['draft', { before: [], after: [md('drafting', A)] }],
  ['ready', { before: [md('drafting', A)], after: [md('planned', A)] }],
  ['claim', { before: [md('planned', A)], after: activeA, lockBefore: '', lockAfter: `${A}:1\n` }],
  ['complete with patch', { before: activeA, after: [md('completed', A), f('completed', A, `${A}.patch`)], lockBefore: `${A}:1\n`, lockAfter: '' }],
  ['abandon', { before: activeA, after: [md('abandoned', A)], lockBefore: `${A}:1\n${B}:2\n`, lockAfter: `${B}:2\n` }],
  ['kb merge session born in planned', { before: [], after: [md('planned', KB)] }],
  ['work inside an active session', { before: activeA, after: [...activeA, f('active', A, 'worklog.md')], lockBefore: `${A}:1\n` }],
  ['code only', { before: [], after: [], changes: [{ status: 'M', path: 'src/a.ts' }] }],
  ['claim written as renames', { before: [md('planned', A)], after: activeA, lockBefore: '', lockAfter: `${A}:1\n`, changes: [{ status: 'R', from: md('planned', A), path: md('active', A) }, { status: 'A', path: f('active', A, '.session-env') }, { status: 'M', path: LOCK }] }],
  ['kb merge session born in drafting', { before: [], after: [md('drafting', KB)] }],
  ['a .gitkeep in a state folder', { before: [], after: [`${S}/active/.gitkeep`] }],
  ['a stray that was there before is edited (judged where it appeared)', { before: [`${S}/active/Notes/a.md`], after: [`${S}/active/Notes/a.md`, `${S}/active/Notes/b.md`] }],
  ['a stray is removed', { before: [`${S}/planned/Notes/a.md`], after: [] }],
  ['a file beside the sessions folder whose name starts like it', { before: [], after: [], changes: [{ status: 'A', path: '_AGENTS/sessions-old' }, { status: 'A', path: '_AGENTS/sess' }, { status: 'A', path: `${S}/activity.md` }] }],
  ['a modified file where a folder should be (judged where it was added)', { before: [], after: [], changes: [{ status: 'M', path: `${S}/active` }] }],
];

// Each case lists every report it expects, in order: one pattern, or several.
const invalid: [string, Spec, RegExp | RegExp[]][] = [
  ['drafting -> active', { before: [md('drafting', A)], after: activeA, lockAfter: `${A}:1\n` }, [/illegal move of .*: drafting -> active/, /claim of .*, which is drafting, not planned/]],
  ['completed -> planned', { before: [md('completed', A), f('completed', A, `${A}.patch`)], after: [md('planned', A)] }, /illegal move/],
  ['born in active', { before: [], after: activeA, lockAfter: `${A}:1\n` }, [/born in drafting/, /claim of .*, which is missing, not planned/]],
  ['deleted', { before: [md('planned', A)], after: [] }, /never deleted/],
  ['double claim', { before: activeA, after: activeA, lockBefore: `${A}:1\n`, lockAfter: `${A}:1\n${A}:2\n` }, [/claimed twice/, /lists .* 2 times/]],
  ['lock line without active folder', { before: [md('planned', B)], after: [md('planned', B)], lockBefore: '', lockAfter: `${B}:1\n` }, [/claim of .*billing, which is planned but not moved to active\/$/, /which is in planned\/, not in active/]],
  ['claim without lock line', { before: [md('planned', A)], after: activeA }, /no line in/],
  ['complete without patch', { before: activeA, after: [md('completed', A)], lockBefore: `${A}:1\n`, lockAfter: '' }, /no 2025-10-14-auth-system\.patch/],
  ['claim without .session-env', { before: [md('planned', A)], after: [md('active', A)], lockAfter: `${A}:1\n` }, /no \.session-env/],
  ['in two states', { before: [md('planned', A)], after: [md('planned', A), md('drafting', A)] }, /more than one state/],
  ['kb session born in active', { before: [], after: [md('active', KB), f('active', KB, '.session-env')], lockAfter: `${KB}:1\n` }, [/appears directly in active\/; sessions are born in drafting\/$/, /claim of kb-2025-10-20-merge-auth-system, which is missing, not planned/]],
  ['non-kb session born in planned', { before: [], after: [md('planned', A)] }, [/^session 2025-10-14-auth-system appears directly in planned\//]],
  ['moved out of the sessions folder by a rename', { before: [md('planned', A)], after: [], changes: [{ status: 'R', from: md('planned', A), path: 'docs/A.md' }] }, [/was deleted from planned\/; sessions are never deleted$/]],
  ['lock line for no session at all', { before: [], after: [], lockBefore: '', lockAfter: `2025-10-16-ghost:1\n` }, [/claim of 2025-10-16-ghost, which is missing, not planned/, /lists 2025-10-16-ghost, which is not a session, not in active\/$/]],
  ['unparsable lock', { before: activeA, after: activeA, lockBefore: `${A}:1\n`, lockAfter: 'garbage here\n' }, /line 1/],
  ['a lock file broken while no session is active', { before: [], after: [], lockBefore: '', lockAfter: 'garbage here\n' }, /line 1/],
  ['a folder not named by a slug in active/', { before: [], after: [`${S}/active/Not-A-Slug/SESSION.md`] }, /^_AGENTS\/sessions\/active\/Not-A-Slug is not a session folder named by a valid slug$/],
  ['a loose file in planned/', { before: [], after: [`${S}/planned/notes.md`] }, /^_AGENTS\/sessions\/planned\/notes\.md is not a session folder/],
  ['a state folder replaced by a submodule', { before: [`${S}/active/.gitkeep`], after: [], changes: [{ status: 'D', path: `${S}/active/.gitkeep` }, { status: 'A', path: `${S}/active` }] }, /^state folder _AGENTS\/sessions\/active is added as a file, link or submodule$/],
  ['the sessions folder replaced by a file (a type change)', { before: [], after: [], changes: [{ status: 'T', path: S }] }, /^_AGENTS\/sessions is added as a file, link or submodule where agent-sessions needs a folder$/],
  ['a folder above the knowledge folder added as a file', { before: [], after: [], changes: [{ status: 'A', path: '_AGENTS' }] }, /^_AGENTS is added as a file/],
  ['the knowledge folder added as a submodule', { before: [], after: [], changes: [{ status: 'A', path: '_AGENTS/knowledge' }] }, /^_AGENTS\/knowledge is added as a file/],
  ['a state folder spelled in capitals (two files, one report)', { before: [], after: [], changes: [{ status: 'A', path: `${S}/ACTIVE/2026-01-06-sneaky/SESSION.md` }, { status: 'A', path: `${S}/ACTIVE/2026-01-06-sneaky/worklog.md` }] }, /^folder "ACTIVE" in _AGENTS\/sessions\/ is spelled like the state folder active\/ but is not it/],
  ['a state folder spelled with a trailing dot', { before: [], after: [], changes: [{ status: 'A', path: `${S}/planned. /x.md` }] }, /^folder "planned\. " in _AGENTS\/sessions\/ is spelled like the state folder planned\//],
  ['a session renamed to a name that is not a slug', { before: [md('planned', A)], after: [`${S}/planned/${A}-\u00e9/SESSION.md`] }, [/is not a session folder named by a valid slug$/, /was deleted from planned\//]],
];

describe("lifecycle: the layout's shape, by change status and folder", () => {
  const run = async (changes: Change[], knowledge?: string) => {
    const spec = facts({ before: [], after: [], changes });
    const config = knowledge ? { ...spec.config, paths: { ...spec.config.paths, knowledge } } : spec.config;
    return (await lifecycle.check({ ...spec, config }, {})).map((r) => r.message);
  };
  it.each(['A', 'R100', 'C75', 'T'])('a state folder arriving as a file by status %s is refused', async (status) => {
    expect(await run([{ status, path: `${S}/abandoned`, ...(status.startsWith('R') || status.startsWith('C') ? { from: 'x' } : {}) }])).toEqual([`state folder ${S}/abandoned is added as a file, link or submodule`]);
  });
  it.each(['M', 'D'])('a state-folder path changed by status %s is not judged again', async (status) => {
    expect(await run([{ status, path: `${S}/abandoned` }])).toEqual([]);
  });
  it('the knowledge folder and a folder above it, wherever the config puts it', async () => {
    expect(await run([{ status: 'A', path: 'docs' }], 'docs/kb')).toEqual(['docs is added as a file, link or submodule where agent-sessions needs a folder']);
    expect(await run([{ status: 'A', path: 'docs/kb' }], 'docs/kb')).toEqual(['docs/kb is added as a file, link or submodule where agent-sessions needs a folder']);
    expect(await run([{ status: 'A', path: 'docs/k' }, { status: 'A', path: 'doc' }, { status: 'A', path: 'docs/kb2' }], 'docs/kb')).toEqual([]);
  });
  it('a state folder spelled otherwise, once per folder, and only below the sessions folder', async () => {
    expect(await run([{ status: 'A', path: `${S}/Drafting/a.md` }, { status: 'A', path: `${S}/Drafting/b.md` }, { status: 'A', path: `${S}/COMPLETED` }])).toEqual([
      `folder "Drafting" in ${S}/ is spelled like the state folder drafting/ but is not it (one folder on a case-insensitive or Windows checkout)`,
      `folder "COMPLETED" in ${S}/ is spelled like the state folder completed/ but is not it (one folder on a case-insensitive or Windows checkout)`,
    ]);
    expect(await run([{ status: 'A', path: `_AGENTS/ACTIVE/a.md` }, { status: 'A', path: `${S}x/ACTIVE/a.md` }, { status: 'A', path: `${S}/_templates/a.md` }])).toEqual([]);
  });
});

describe('lifecycle', () => {
  for (const [name, spec] of valid) {
    it(`valid: ${name}`, async () => expect((await lifecycle.check(facts(spec), {})).map((r) => r.message)).toEqual([]));
  }
  for (const [name, spec, pattern] of invalid) {
    it(`invalid: ${name}`, async () => {
      const reports = await lifecycle.check(facts(spec), {});
      const patterns = Array.isArray(pattern) ? pattern : [pattern];
      expect(reports.map((r) => r.message), JSON.stringify(reports)).toEqual(patterns.map((p) => expect.stringMatching(p)));
      for (const r of reports) expect(r.fix.length).toBeGreaterThan(0);
      expect(reports).toMatchSnapshot(); // word for word: message, fix, path
    });
  }
});

describe('attribution', () => {
  const alice = { name: 'Alice', email: 'alice@example.test' };
  const mallory = { name: 'Mallory', email: 'mallory@example.test' };
  const base = { before: activeA, after: activeA, changes: [{ status: 'M', path: 'src/a.ts' }], lockBefore: `${A}:1\n` };
  it('valid: the session identity (email case ignored)', async () => {
    expect(await attribution.check(facts({ ...base, author: { ...alice, email: 'ALICE@example.test' }, identity: alice }), {})).toEqual([]);
  });
  it('valid: the session is not active in the parent (the claim commit)', async () => {
    expect(await attribution.check(facts({ before: [md('planned', A)], after: activeA, author: mallory, identity: alice }), {})).toEqual([]);
  });
  it('valid: a take-over commit judged by the identity it installs', async () => {
    const env = `export GIT_AUTHOR_NAME='Mallory'\nexport GIT_AUTHOR_EMAIL='mallory@example.test'\n`;
    const spec = { ...base, changes: [{ status: 'M', path: f('active', A, '.session-env') }], author: mallory, identity: alice, envAfter: env };
    expect(await attribution.check(facts(spec), {})).toEqual([]);
  });
  it('invalid: someone else', async () => {
    const reports = await attribution.check(facts({ ...base, author: mallory, identity: alice }), {});
    expect(reports).toHaveLength(1);
    expect(reports[0]!.message).toMatch(/Mallory .* not by the session's identity Alice/);
  });
});
