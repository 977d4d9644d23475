// The hostile-case figures of docs/SECURITY.md against the cases that ran and held in THIS
// run: every passing test of test/security/hostile-*.test.ts is recorded in the case ledger
// (test/helpers/case-ledger.ts, no code in the suites), and this test runs after all of them
// (vitest.config.ts: a later groupOrder). A dropped category, a skipped or failing case, or a
// new case without its doc line makes it fail, naming the one line of the doc to change.
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ledgerDir, readLedger, type LedgerEntry } from '../helpers/case-ledger.ts';
import { securityDoc, tableRows } from '../helpers/doc-figures.ts';
import { PROJECT_ROOT } from '../helpers/repo.ts';

interface Category {
  /** The row label in docs/SECURITY.md. */
  label: string;
  file: string;
  /** Top-level describe blocks whose passing tests count here. */
  suites: string[];
  /** Only tests whose name matches (when the describe holds two categories). */
  test?: RegExp;
}

const ENV_TEMPLATE = /^refuses a session-env\.j2 override/;
const IDENTITIES = 'hostile identities and .session-env templates are refused before the push';

export const CATEGORIES: Category[] = [
  { label: 'slugs (every verb that takes one)', file: 'hostile-input.test.ts', suites: ['hostile slugs'] },
  { label: '`new` input', file: 'hostile-input.test.ts', suites: ['hostile new input'] },
  { label: 'titles, criteria, spec files', file: 'hostile-input.test.ts', suites: ['hostile titles, criteria and specs', 'hostile text that is accepted must stay data'] },
  { label: 'agent names and emails', file: 'hostile-identity.test.ts', suites: ['.session-env from a hostile name', IDENTITIES], test: new RegExp(`^(?!${ENV_TEMPLATE.source.slice(1)})`) },
  { label: '.session-env template overrides', file: 'hostile-identity.test.ts', suites: [IDENTITIES], test: ENV_TEMPLATE },
  { label: 'commit messages (through the real hooks)', file: 'hostile-messages.test.ts', suites: ['hostile commit messages through the commit-msg hook'] },
  { label: 'config files', file: 'hostile-input.test.ts', suites: ['hostile config files', 'hostile config under the hooks'] },
  { label: 'lock files', file: 'hostile-input.test.ts', suites: ['hostile lock files'] },
  { label: 'SESSION.md front matter', file: 'hostile-input.test.ts', suites: ['hostile SESSION.md front matter'] },
  { label: 'template overrides', file: 'hostile-input.test.ts', suites: ['hostile template overrides'] },
  { label: 'symlinks in the work tree', file: 'hostile-repo-data.test.ts', suites: ['symlinks in the work tree are never written or chmod-ed through'], test: /^refuses / },
  { label: 'folder names on the terminal', file: 'hostile-repo-data.test.ts', suites: ['names are printed through one printer'], test: /^status shows a folder named with/ },
  { label: 'oversized session files', file: 'hostile-repo-data.test.ts', suites: ['session files are read bounded'], test: /^ready refuses/ },
  {
    label: 'repository data end to end (hub, check, hooks, fresh clone)',
    file: 'hostile-repo-data.test.ts',
    suites: [
      'a SESSION.md symlink committed to the hub',
      'no-symlinks at the hub, in check and at commit time',
      'a hand-made claim whose .session-env is not inert',
      'a committed template override on a fresh clone',
      'prepare-commit-msg on a 20,000-line message',
    ],
  },
  { label: 'repository files read through links', file: 'hostile-links.test.ts', suites: ['repository files read by commands are never read through a link'] },
  { label: 'twins of the link and name cases', file: 'hostile-repo-data.test.ts', suites: ['symlinks in the work tree are never written or chmod-ed through', 'names are printed through one printer'], test: /^the (legitimate )?twin/ },
];

const categoryOf = (e: LedgerEntry) => CATEGORIES.filter((c) => c.file === e.file && c.suites.includes(e.suite) && (!c.test || c.test.test(e.test)));
const HOSTILE_FILES = readdirSync(join(PROJECT_ROOT, 'test', 'security')).filter((f) => /^hostile-.*\.test\.ts$/.test(f) && f !== 'hostile-count.test.ts');
const TABLE_HEADER = '| category | cases |';

describe('hostile case figures (from the cases that ran in this run)', () => {
  const entries = readLedger().filter((e) => HOSTILE_FILES.includes(e.file));

  it('every hostile suite ran in this run', () => {
    const ran = new Set(entries.map((e) => e.file));
    const missing = HOSTILE_FILES.filter((f) => !ran.has(f));
    expect(missing, `no passing case recorded from ${missing.join(', ')} (ledger ${ledgerDir()}): the figures are checked on a run of all hostile suites, e.g. \`npx vitest run test/security\``).toEqual([]);
  });

  it('every case that ran counts towards exactly one figure', () => {
    const unplaced = entries.filter((e) => categoryOf(e).length !== 1).map((e) => `${e.file} > ${e.suite} > ${e.test}`);
    expect(unplaced, 'add the describe block to CATEGORIES in test/security/hostile-count.test.ts and a row to the table in docs/SECURITY.md').toEqual([]);
  });

  it('docs/SECURITY.md states, per category, the number of cases that ran and held', () => {
    const counts = new Map(CATEGORIES.map((c) => [c.label, entries.filter((e) => categoryOf(e)[0] === c).length]));
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    writeFileSync(join(dirname(ledgerDir() ?? join(PROJECT_ROOT, 'reports', 'cases', 'x')), 'hostile-summary.json'), `${JSON.stringify({ total, categories: Object.fromEntries(counts) }, null, 2)}\n`);
    console.log([`hostile cases tried and held in this run: ${total}`, ...[...counts].map(([k, v]) => `  ${k}: ${v}`)].join('\n'));
    const doc = tableRows(securityDoc(), TABLE_HEADER);
    const want = [...counts].map(([label, n]) => `| ${label} | ${n} |`);
    const have = [...doc].map(([label, n]) => `| ${label} | ${n} |`);
    expect(have, 'docs/SECURITY.md "The figures": write these lines').toEqual(want);
    for (const [label, n] of counts) expect(n, `${label}: no case held`).toBeGreaterThan(0);
    expect(total).toBeGreaterThanOrEqual(40);
  });
});
