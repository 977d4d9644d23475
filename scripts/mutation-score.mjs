// Reads Stryker's JSON report (reports/mutation/mutation.json) and prints the mutation score
// of every mutated file; exits 1 when any file is below the bar (85 % by default), so
// `npm run test:mutation` fails on the file that fell, not only on the average.
// Score = killed (+ timeout) / all valid mutants, as Stryker counts it; `// Stryker disable`
// comments (each with its reason) are the only way a mutant leaves the count.
import { readFileSync } from 'node:fs';

const report = process.argv[2] ?? 'reports/mutation/mutation.json';
const bar = Number(process.env.MUTATION_BAR ?? 85);
const { files } = JSON.parse(readFileSync(report, 'utf8'));

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const rows = [];
for (const [file, { mutants }] of Object.entries(files)) {
  const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
  const undetected = mutants.filter((m) => UNDETECTED.has(m.status)).length;
  const total = detected + undetected;
  rows.push({ file, score: total === 0 ? 100 : (100 * detected) / total, detected, undetected, survivors: mutants.filter((m) => UNDETECTED.has(m.status)) });
}
rows.sort((a, b) => a.file.localeCompare(b.file));
const width = Math.max(...rows.map((r) => r.file.length));
let failed = 0;
console.log(`\nmutation score per file (bar ${bar} %)`);
for (const r of rows) {
  const ok = r.score >= bar;
  if (!ok) failed++;
  console.log(`${ok ? ' ok ' : 'FAIL'} ${r.file.padEnd(width)} ${r.score.toFixed(1).padStart(5)} %  killed ${r.detected}, survived ${r.undetected}`);
}
if (process.env.MUTATION_SURVIVORS === '1') {
  for (const r of rows) {
    for (const m of r.survivors) {
      console.log(`${r.file}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName}: ${JSON.stringify(m.replacement ?? '').slice(0, 120)}`);
    }
  }
}
if (failed > 0) {
  console.error(`\n${failed} file(s) below ${bar} %: add tests that kill the survivors (MUTATION_SURVIVORS=1 lists them), or explain an equivalent mutant in docs/testing.md`);
  process.exit(1);
}
