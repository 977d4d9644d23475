// The mutants issue 16 names, made by hand and each required to be killed by the fast tests
// (vitest.mutation.config.ts: unit, rules, property; no git). They are module-level regexes
// and constants, which Stryker's default run leaves out as "static" mutants (see
// stryker.config.mjs), and they are the loosenings that matter most: a grammar that accepts
// what PROTOCOL.md refuses.
// Each mutant is made in memory as vitest loads the file (NAMED_MUTANT, a plugin in
// vitest.mutation.config.ts; the work tree is never written) and runs only the fast test
// files that guard that file (GUARDS), two mutants at a time (two cores). Prints the tests
// that killed each mutant; exits 1 if any survives, or if a run could not run its tests.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The fast test files that guard each mutated file (a mutant must be killed by these). */
const GUARDS = {
  'src/slug.ts': ['test/property/grammar-edges.property.test.ts', 'test/property/slug-lockfile.property.test.ts', 'test/unit/slug.test.ts', 'test/unit/slug-words.test.ts', 'test/unit/lockfile.test.ts'],
  'src/message/commitlint.ts': ['test/property/grammar-edges.property.test.ts', 'test/property/message.property.test.ts', 'test/unit/commit-message.test.ts', 'test/unit/message-forms.test.ts', 'test/rules/message-format.test.ts', 'test/rules/message-format-reports.test.ts'],
  'src/lockfile.ts': ['test/property/slug-lockfile.property.test.ts', 'test/unit/lockfile.test.ts', 'test/unit/lockfile-lines.test.ts'],
};

export const NAMED_MUTANTS = [
  { name: 'slug words accept upper case and "_"', file: 'src/slug.ts', from: '((?:-[a-z0-9]+)+)', to: '((?:-[a-zA-Z0-9_]+)+)' },
  { name: 'slug accepts any day 1-31 (Feb 30)', file: 'src/slug.ts', from: 'const days = new Date(Date.UTC(year, month, 0)).getUTCDate();', to: 'const days = 31;' },
  { name: 'slug accepts month 13', file: 'src/slug.ts', from: 'month > 12', to: 'month > 13' },
  { name: 'slug accepts 81 characters', file: 'src/slug.ts', from: 'if (input.length > MAX_SLUG_LENGTH)', to: 'if (input.length > MAX_SLUG_LENGTH + 1)' },
  { name: 'slug date digits accept any character', file: 'src/slug.ts', from: '(\\d{4})-(\\d{2})-(\\d{2})((?:', to: '(.{4})-(.{2})-(.{2})((?:' },
  { name: 'header type-enum check removed', file: 'src/message/commitlint.ts', from: 'if (!settings.types.includes(type))', to: 'if (false)' },
  { name: 'header allows spaces inside [slug]', file: 'src/message/commitlint.ts', from: 'headerPattern: /^\\[([^\\]\\s]+)\\]', to: 'headerPattern: /^\\[([^\\]]+)\\]' },
  { name: 'header colon optional', file: 'src/message/commitlint.ts', from: '(!)?: (.*)$/', to: '(!)?:? (.*)$/' },
  { name: 'header length limit off by one', file: 'src/message/commitlint.ts', from: 'header.length > settings.headerMaxLength', to: 'header.length >= settings.headerMaxLength' },
  { name: 'header-trim check removed', file: 'src/message/commitlint.ts', from: 'if (header !== header.trim())', to: 'if (false)' },
  { name: 'lock line accepts 13-digit seconds', file: 'src/lockfile.ts', from: '(\\d{1,12})$/', to: '(\\d{1,13})$/' },
];

const ROOT = new URL('..', import.meta.url).pathname;
const CONCURRENCY = Number(process.env.NAMED_MUTANT_CONCURRENCY ?? 2);

/** One mutant: its fast guards run with the loosening made in memory; the tests that failed. */
function run(mutant) {
  const text = readFileSync(join(ROOT, mutant.file), 'utf8');
  if (!text.includes(mutant.from)) return Promise.reject(new Error(`${mutant.name}: ${mutant.file} no longer holds ${mutant.from}; update scripts/named-mutants.mjs`));
  const tests = GUARDS[mutant.file];
  if (!tests) return Promise.reject(new Error(`${mutant.name}: no guarding tests listed for ${mutant.file} in scripts/named-mutants.mjs`));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'vitest.mutation.config.ts', '--reporter', 'json', ...tests], {
      cwd: ROOT,
      env: { ...process.env, NAMED_MUTANT: JSON.stringify(mutant) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', () => {
      let report;
      try {
        report = JSON.parse(out.slice(out.indexOf('{')));
      } catch {
        return reject(new Error(`${mutant.name}: vitest gave no report\n${err.slice(-2000)}`));
      }
      // A file that failed to load (e.g. the mutant's `from` vanished) kills nothing: an error.
      const broken = report.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0);
      if (broken.length || report.numTotalTests === 0) return reject(new Error(`${mutant.name}: the guarding tests did not run\n${broken.map((f) => `${f.name}: ${f.message}`).join('\n')}`));
      resolve(report.testResults.flatMap((f) => f.assertionResults.filter((t) => t.status === 'failed').map((t) => `${f.name.slice(ROOT.length)} > ${t.fullName}`)));
    });
  });
}

const started = Date.now();
const results = new Array(NAMED_MUTANTS.length);
let next = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < NAMED_MUTANTS.length) {
      const i = next++;
      results[i] = await run(NAMED_MUTANTS[i]);
    }
  }),
);
let survived = 0;
NAMED_MUTANTS.forEach((mutant, i) => {
  const killers = results[i];
  if (killers.length === 0) survived++;
  console.log(`${killers.length ? 'killed  ' : 'SURVIVED'} ${mutant.name}${killers.length ? ` by ${killers.length} test(s):` : ''}`);
  for (const k of killers) console.log(`           ${k}`);
});
console.log(`named mutants: ${NAMED_MUTANTS.length - survived} of ${NAMED_MUTANTS.length} killed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
if (survived) {
  console.error(`${survived} named mutant(s) survived: the fast tests must refuse what these loosenings accept`);
  process.exit(1);
}
