// The suite must not leave temp folders behind (it used to leave ~300, 177 MB, per run): a
// vitest run of a probe test file, with TMPDIR set to an empty folder, leaves it empty.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { PROJECT_ROOT } from './helpers/repo.ts';

it('a test file removes every temp folder it made (counted before and after)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'as-tempcount-'));
  try {
    const before = readdirSync(scratch).length;
    const run = spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'test/fixtures-temp/vitest.config.ts'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: { ...process.env, TMPDIR: scratch, KEEP_TEMP: '' },
      timeout: 120_000,
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/1 passed/);
    expect(before).toBe(0);
    expect(readdirSync(scratch)).toEqual([]);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
