// Every temp folder a test makes is recorded here and removed after its test file
// (test/helpers/cleanup.ts registers the afterAll). A process 'exit' handler alone is not
// enough: vitest's fork workers are stopped without running it, which left hundreds of
// folders behind every run. KEEP_TEMP=1 keeps them for debugging.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

export function trackTemp(dir: string): string {
  made.push(dir);
  return dir;
}

export function makeTemp(prefix = 'as-test-'): string {
  return trackTemp(mkdtempSync(join(tmpdir(), prefix)));
}

export function removeTempDirs(): void {
  if (process.env.KEEP_TEMP === '1') return;
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

process.on('exit', removeTempDirs);
