// `status --json` on a repository with 2,000 sessions vs `node -e 0`, in the same run.
// Target (issue 2): at most 3x `node -e 0`. Prints medians and the ratio.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, timeRuns } from './lib.mjs';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'as-bench-status-'));
const SESSIONS = 2000;
try {
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  const states = ['drafting', 'planned', 'active', 'completed', 'abandoned'];
  const lock = [];
  for (let i = 0; i < SESSIONS; i++) {
    const state = states[i % states.length];
    const slug = `2025-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}-session-number-${i}`;
    const folder = join(dir, '_AGENTS', 'sessions', state, slug);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'SESSION.md'), `---\nslug: ${slug}\ntitle: "Session ${i}"\ncreated: 2025-01-01T00:00:00.000Z\n---\n# Session: Session ${i}\n\n## Acceptance Criteria\n- [ ] works\n`);
    if (state === 'active') {
      writeFileSync(join(folder, '.session-env'), `export SESSION_SLUG='${slug}'\nexport GIT_AUTHOR_NAME='Agent ${i}'\nexport GIT_AUTHOR_EMAIL='a${i}@example.test'\n`);
      lock.push(`${slug}:1700000000`);
    }
  }
  writeFileSync(join(dir, '_AGENTS', 'sessions', 'sessions.lock'), `${lock.join('\n')}\n`);

  const runs = Number(process.env.BENCH_RUNS ?? 15);
  const nodeBaseline = timeRuns(runs, () => spawnSync(process.execPath, ['-e', '0']));
  const status = timeRuns(runs, () => {
    const r = spawnSync(process.execPath, [cli, 'status', '--json'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`status failed: ${r.stderr}`);
  });
  const base = median(nodeBaseline);
  const measured = median(status);
  console.log(`status --json, ${SESSIONS} sessions (median of ${runs})`);
  console.log(`  node -e 0           ${base.toFixed(1)} ms`);
  console.log(`  status --json       ${measured.toFixed(1)} ms   ratio ${(measured / base).toFixed(2)}x   (target <= 3.0x)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
