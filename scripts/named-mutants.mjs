// The mutants issue 16 names, made by hand and each required to be killed by the fast tests
// (vitest.mutation.config.ts: unit, rules, property; no git). They are module-level regexes
// and constants, which Stryker's default run leaves out as "static" mutants (see
// stryker.config.mjs), and they are the loosenings that matter most: a grammar that accepts
// what PROTOCOL.md refuses. Each runs in a copy of the project, never in the work tree.
// Prints the tests that killed each mutant; exits 1 if any mutant survives.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
const COPY = ['src', 'rules', 'test', 'templates', 'docs', 'package.json', 'tsconfig.json', 'vitest.mutation.config.ts'];

let survived = 0;
for (const mutant of NAMED_MUTANTS) {
  const dir = mkdtempSync(join(tmpdir(), 'as-named-mutant-'));
  try {
    for (const entry of COPY) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const file = join(dir, mutant.file);
    const text = readFileSync(file, 'utf8');
    if (!text.includes(mutant.from)) throw new Error(`${mutant.name}: ${mutant.file} no longer holds ${mutant.from}; update scripts/named-mutants.mjs`);
    writeFileSync(file, text.replace(mutant.from, mutant.to));
    const run = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'vitest.mutation.config.ts', '--reporter', 'json'], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{')));
    const killers = report.testResults.flatMap((f) => f.assertionResults.filter((t) => t.status === 'failed').map((t) => `${f.name.slice(dir.length + 1)} > ${t.fullName}`));
    if (killers.length === 0) survived++;
    console.log(`${killers.length ? 'killed  ' : 'SURVIVED'} ${mutant.name}${killers.length ? ` by ${killers.length} test(s):` : ''}`);
    for (const k of killers) console.log(`           ${k}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
if (survived) {
  console.error(`${survived} named mutant(s) survived: the fast tests must refuse what these loosenings accept`);
  process.exit(1);
}
