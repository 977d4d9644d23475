// `npm run bench`: every benchmark, one after the other (never in parallel: they measure
// wall time on a 2-core machine). Each prints its own figures and ratios.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const benches = ['status', 'hooks', 'lifecycle', 'check'];
let failed = 0;
for (const name of benches) {
  const script = fileURLToPath(new URL(`./${name}.mjs`, import.meta.url));
  if (!existsSync(script)) {
    console.log(`\n== ${name}: no bench script yet`);
    continue;
  }
  console.log(`\n== ${name}`);
  const result = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
