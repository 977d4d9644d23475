// The fault figure of docs/SECURITY.md against the fault scenarios that ran and survived in
// THIS run (faults.test.ts counts each with countCase once its checks passed; this test runs
// after the stress suites: vitest.stress.config.ts, a later groupOrder).
import { describe, expect, it } from 'vitest';
import { FAULT_POINTS } from '../../src/faults.ts';
import { ledgerDir, readLedger } from '../helpers/case-ledger.ts';
import { securityDoc } from '../helpers/doc-figures.ts';

describe('fault figures (from the scenarios that ran in this run)', () => {
  const scenarios = readLedger()
    .filter((e) => e.category === 'fault scenarios')
    .map((e) => e.name!);

  it('kill -9 was tried and survived at every fault point of src/faults.ts', () => {
    expect(scenarios.length, `no fault scenario recorded (ledger ${ledgerDir()}): run with the faults, \`npm run test:stress\``).toBeGreaterThan(0);
    expect(scenarios).toEqual(expect.arrayContaining([...FAULT_POINTS]));
    expect(new Set(scenarios).size).toBe(scenarios.length);
  });

  it('docs/SECURITY.md states the number of scenarios that ran and survived', () => {
    console.log(`fault scenarios tried and survived in this run: ${scenarios.length} (${scenarios.join(', ')})`);
    const stated = /\*\*(\d+)\*\* fault scenarios/.exec(securityDoc());
    expect(stated?.[1], `docs/SECURITY.md: write "**${scenarios.length}** fault scenarios"`).toBe(String(scenarios.length));
  });
});
