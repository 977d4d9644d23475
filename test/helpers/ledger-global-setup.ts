// One fresh ledger folder per run (reports/cases/, git-ignored), before any worker starts, so
// every test process of the run writes into it and the count tests read only this run's cases.
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LEDGER_ENV } from './case-ledger.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export default function setup(): void {
  if (process.env[LEDGER_ENV]) return; // one folder per run, however many projects
  const runs = join(ROOT, 'reports', 'cases');
  mkdirSync(runs, { recursive: true });
  // earlier runs' ledgers are kept a day for reading, then removed (a parallel run keeps its own)
  for (const old of readdirSync(runs)) {
    const path = join(runs, old);
    if (old.startsWith('run-') && Date.now() - statSync(path).mtimeMs > 86_400_000) rmSync(path, { recursive: true, force: true });
  }
  const dir = join(runs, `run-${Date.now()}-${process.pid}`);
  mkdirSync(dir);
  process.env[LEDGER_ENV] = dir;
}
