// ESLint-RuleTester style tables for rules: each case describes Facts compactly (the files
// of the tree before and after the commit, or explicit changes), and the tester checks that
// `valid` cases report nothing and `invalid` ones report what they should. Rules are pure,
// so no git is needed here; the hooks' real-git behaviour is covered in test/hooks-commit.
import { describe, expect, it } from 'vitest';
import { defaultConfig, type Config } from '../../src/config.ts';
import { snapshotFromPaths } from '../../src/engine/snapshot.ts';
import type { Change, Facts, Rule, RuleReport, RunPoint } from '../../src/engine/types.ts';
import type { SessionState } from '../../src/states.ts';
import { parseSessionEnv } from '../../src/sessions.ts';

export interface FactsSpec {
  runPoint?: RunPoint;
  message?: string;
  currentSession?: string;
  branch?: string;
  /** Sessions present on both sides: slug -> state (adds their SESSION.md). */
  sessions?: Record<string, SessionState>;
  /** Files of the tree before the commit (path -> content). */
  before?: Record<string, string>;
  /** Files after the commit; default: `before` with `changes` applied. */
  after?: Record<string, string>;
  /** Explicit changes; default: the difference between `before` and `after`. Shorthand "A path", "R old new". */
  changes?: (Change | string)[];
  untracked?: string[];
  merging?: boolean;
  commit?: Facts['commit'];
  /** History, a merge: the changed paths it leaves as another parent has them (takenFromOtherParent). */
  taken?: string[];
  /** Commit time: the author git will record. */
  author?: { name: string; email: string };
  config?: (config: Config) => void;
  /** The team's commitlint rules (message-format), as a lint function. */
  teamLint?: Facts['teamLint'];
}

export interface RuleCase {
  name: string;
  facts: FactsSpec;
  options?: Record<string, unknown>;
}

export interface InvalidCase extends RuleCase {
  /** How many reports, or a pattern each report's message must match in order. */
  errors: number | (string | RegExp)[];
  /** A pattern the first report's fix must match. */
  fix?: string | RegExp;
}

function parseChange(change: Change | string): Change {
  if (typeof change !== 'string') return change;
  const [status = '', a = '', b] = change.split(' ');
  return b !== undefined ? { status, from: a, path: b, mode: '100644' } : { status, path: a, mode: status === 'D' ? '000000' : '100644' };
}

function diffFiles(before: Record<string, string>, after: Record<string, string>): Change[] {
  const out: Change[] = [];
  for (const [path, text] of Object.entries(after)) {
    if (!(path in before)) out.push({ status: 'A', path, mode: '100644' });
    else if (before[path] !== text) out.push({ status: 'M', path, mode: '100644' });
  }
  for (const path of Object.keys(before)) if (!(path in after)) out.push({ status: 'D', path, mode: '000000' });
  return out;
}

export function makeFacts(spec: FactsSpec): Facts {
  const config = defaultConfig();
  spec.config?.(config);
  const before: Record<string, string> = { ...spec.before };
  for (const [slug, state] of Object.entries(spec.sessions ?? {})) {
    before[`${config.paths.sessions}/${state}/${slug}/SESSION.md`] ??= `# ${slug}\n`;
  }
  let after: Record<string, string>;
  let changes: Change[];
  if (spec.after) {
    after = { ...spec.after };
    for (const [slug, state] of Object.entries(spec.sessions ?? {})) after[`${config.paths.sessions}/${state}/${slug}/SESSION.md`] ??= `# ${slug}\n`;
    changes = spec.changes ? spec.changes.map(parseChange) : diffFiles(before, after);
  } else {
    changes = (spec.changes ?? []).map(parseChange);
    after = { ...before };
    for (const c of changes) {
      if (c.from) {
        after[c.path] = after[c.from] ?? '';
        if (c.status === 'R') delete after[c.from];
      } else if (c.status === 'D') delete after[c.path];
      else after[c.path] ??= '';
    }
  }
  return {
    runPoint: spec.runPoint ?? (spec.commit ? 'check' : spec.message !== undefined ? 'commit-msg' : 'pre-commit'),
    config,
    message: spec.message,
    currentSession: spec.currentSession,
    branch: spec.branch ?? (spec.currentSession ? `session/${spec.currentSession}` : spec.commit ? undefined : 'main'),
    changes,
    // The lock file's text, when the case has one, as the real facts parse it.
    before: snapshotFromPaths(Object.keys(before), config, before[config.paths.lockFile]),
    after: () => snapshotFromPaths(Object.keys(after), config, after[config.paths.lockFile]),
    untracked: () => spec.untracked ?? [],
    ...(spec.merging ? { merging: true } : {}),
    ...(spec.commit ? { commit: spec.commit } : {}),
    ...(spec.taken ? { takenFromOtherParent: async () => new Set(spec.taken) } : {}),
    ...(spec.author ? { author: () => spec.author } : {}),
    ...(spec.teamLint ? { teamLint: spec.teamLint } : {}),
    // As the real facts do: the session's .session-env in the tree before the commit.
    sessionIdentity: (slug) => {
      const state = snapshotFromPaths(Object.keys(before), config).states.get(slug);
      const text = state ? before[`${config.paths.sessions}/${state}/${slug}/.session-env`] : undefined;
      if (text === undefined) return undefined;
      const values = parseSessionEnv(text);
      return values.GIT_AUTHOR_NAME && values.GIT_AUTHOR_EMAIL ? { name: values.GIT_AUTHOR_NAME, email: values.GIT_AUTHOR_EMAIL } : undefined;
    },
    readAfter: (path) => after[path],
    readBefore: (path) => before[path],
  };
}

export function historyCommit(onMain: boolean, parents = 1, who = { name: 'A', email: 'a@example.test' }): NonNullable<Facts['commit']> {
  return { sha: 'c0ffee'.padEnd(40, '0'), parents: Array.from({ length: parents }, (_, i) => `${i}`.padEnd(40, 'a')), author: who, committer: who, onMain };
}

export function runRuleTests(rule: Rule, tables: { valid: RuleCase[]; invalid: InvalidCase[] }): void {
  describe(rule.meta.id, () => {
    for (const c of tables.valid) {
      it(`valid: ${c.name}`, async () => {
        const reports = await rule.check(makeFacts(c.facts), c.options ?? {});
        expect(reports.map((r) => r.message)).toEqual([]);
      });
    }
    for (const c of tables.invalid) {
      it(`invalid: ${c.name}`, async () => {
        const reports: readonly RuleReport[] = await rule.check(makeFacts(c.facts), c.options ?? {});
        if (typeof c.errors === 'number') expect(reports).toHaveLength(c.errors);
        else {
          expect(reports.map((r) => r.message)).toHaveLength(c.errors.length);
          c.errors.forEach((pattern, i) => expect(reports[i]!.message).toMatch(pattern));
        }
        for (const r of reports) expect(r.fix.length).toBeGreaterThan(0);
        if (c.fix !== undefined) expect(reports[0]!.fix).toMatch(c.fix);
        // Every report word for word (message, fix, path): what the user reads and copies.
        // Reviewed when written; `npx vitest run test/rules -u` after a deliberate change.
        expect(reports).toMatchSnapshot();
      });
    }
  });
}
