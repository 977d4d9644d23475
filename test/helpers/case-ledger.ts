// The case ledger: which counted cases actually ran and held in this run, written by the runs
// themselves, so the figures in docs/SECURITY.md come from what ran, not from table lengths.
// - Hostile suites (test/security/hostile-*.test.ts) are recorded without any code in them:
//   ledger-setup.ts records every test of those files that passed, with its top describe.
// - Other suites (the faults) call countCase() for each scenario a test tried and survived.
// Entries are JSON lines in one folder per run (ledger-global-setup.ts makes it); the count
// tests run after every other test of the run (a later `sequence.groupOrder`) and compare.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expect, onTestFinished } from 'vitest';

export const LEDGER_ENV = 'AGENT_SESSIONS_CASE_LEDGER';

export interface LedgerEntry {
  /** Test file name, e.g. hostile-input.test.ts. */
  file: string;
  /** The test's top-level describe block. */
  suite: string;
  /** The test's own name. */
  test: string;
  /** Set by countCase: the figure this case counts towards, and its own name. */
  category?: string;
  name?: string;
}

export function ledgerDir(): string | undefined {
  return process.env[LEDGER_ENV];
}

export function recordEntry(entry: LedgerEntry): void {
  const dir = ledgerDir();
  if (!dir) return; // a run without the global setup (e.g. Stryker's): nothing to count
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, `${basename(entry.file)}-${process.pid}.jsonl`), `${JSON.stringify(entry)}\n`);
}

/**
 * Counts `name` towards `category` once the current test has passed (a scenario whose test
 * failed is not a scenario that held). Call it inside the test, after the scenario's checks.
 */
export function countCase(category: string, name: string): void {
  const { testPath, currentTestName } = expect.getState();
  onTestFinished(({ task }) => {
    if (task.result?.state !== 'pass') return;
    const suite = (currentTestName ?? '').split(' > ')[0] ?? '';
    recordEntry({ file: basename(testPath ?? ''), suite, test: task.name, category, name });
  });
}

export function readLedger(): LedgerEntry[] {
  const dir = ledgerDir();
  if (!dir || !existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as LedgerEntry));
}
