// A hook manager's config in a shape we did not expect (YAML aliases and anchors, merge keys,
// a hook that is a scalar or a list, JSON that does not parse or holds non-strings) is
// refused as bad input: exit 2, what is wrong, the fix; never an "internal error" line, and
// never an edit that would silently drop the team's own hooks (a `<<:` merge overridden).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.ts';
import { addToLefthook } from '../src/hook-managers/lefthook.ts';
import { addToPreCommit } from '../src/hook-managers/pre-commit.ts';
import { addToSimpleGitHooks } from '../src/hook-managers/simple-git-hooks.ts';
import { makeRepo, tempDir } from './helpers/repo.ts';

const RUNNER = '/opt/agent-sessions/hooks/run.sh';

function refusal(run: () => unknown): UsageError {
  try {
    run();
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw new Error(`expected a UsageError (exit 2), got: ${String(err)}`);
  }
  throw new Error('expected a refusal, got none');
}

function withFile(name: string, text: string): string {
  const dir = tempDir('as-shapes-');
  writeFileSync(join(dir, name), text);
  return dir;
}

const LEFTHOOK_BAD: Array<[string, string]> = [
  ['an alias as the whole document', '*base\n'],
  ['a hook that is an alias', 'base: &base\n  commands:\n    lint:\n      run: npm run lint\npre-commit: *base\n'],
  ['a merge key at the top (its hooks would be overridden)', 'base: &base\n  pre-commit:\n    commands:\n      lint:\n        run: npm run lint\n<<: *base\n'],
  ['a merge key in a hook', 'base: &base\n  commands:\n    lint:\n      run: npm run lint\npre-commit:\n  <<: *base\n'],
  ['a hook that is a scalar', 'pre-commit: 5\n'],
  ['a hook that is a list', 'pre-commit:\n  - lint\n'],
  ['commands that are a list', 'pre-commit:\n  commands:\n    - lint\n'],
  ['commands that are an alias', 'c: &c\n  lint:\n    run: npm run lint\npre-commit:\n  commands: *c\n'],
  ['a top-level list', '- pre-commit\n'],
  ['two documents', 'a: 1\n---\nb: 2\n'],
];

describe('lefthook.yml shapes', () => {
  for (const [what, text] of LEFTHOOK_BAD) {
    it(`${what}: exit 2 with the fix, the file untouched`, () => {
      const dir = withFile('lefthook.yml', text);
      const error = refusal(() => addToLefthook(dir, 'lefthook.yml', RUNNER));
      expect(error.exitCode).toBe(2);
      expect(error.code).toBe('bad-hook-manager-config');
      expect(error.message).toMatch(/lefthook\.yml/);
      expect(error.fix).toMatch(/lefthook\.yml/);
      expect(readFileSync(join(dir, 'lefthook.yml'), 'utf8')).toBe(text);
    });
  }

  it('anchors that our edit does not go through are fine (a shared glob)', () => {
    const dir = withFile('lefthook.yml', 'glob: &ts "*.ts"\npre-commit:\n  commands:\n    lint:\n      glob: *ts\n      run: npm run lint\n');
    expect(addToLefthook(dir, 'lefthook.yml', RUNNER)).toBe(true);
    const text = readFileSync(join(dir, 'lefthook.yml'), 'utf8');
    expect(text).toMatch(/glob: \*ts/);
    expect(text).toMatch(/agent-sessions:/);
  });
});

describe('.pre-commit-config.yaml shapes', () => {
  for (const [what, text] of [
    ['repos as an alias', 'x: &r []\nrepos: *r\n'],
    ['a merge key at the top', 'base: &b\n  repos: []\n<<: *b\n'],
    ['repos as a mapping', 'repos:\n  a: 1\n'],
    ['an alias as the whole document', '*x\n'],
  ] as const) {
    it(`${what}: exit 2 with the fix`, () => {
      const dir = withFile('.pre-commit-config.yaml', text);
      const error = refusal(() => addToPreCommit(dir, '.pre-commit-config.yaml', RUNNER));
      expect(error.exitCode).toBe(2);
      expect(error.fix).toMatch(/\.pre-commit-config\.yaml/);
      expect(readFileSync(join(dir, '.pre-commit-config.yaml'), 'utf8')).toBe(text);
    });
  }
});

describe('simple-git-hooks shapes', () => {
  for (const [what, file, text] of [
    ['JSON that does not parse', '.simple-git-hooks.json', '{"pre-commit": '],
    ['a hook that is not a command line', '.simple-git-hooks.json', '{"pre-commit": {"run": "lint"}}'],
    ['hooks as a list', 'package.json', '{"name": "x", "simple-git-hooks": ["npm test"]}'],
  ] as const) {
    it(`${what}: exit 2 with the fix`, () => {
      const dir = withFile(file, text);
      const error = refusal(() => addToSimpleGitHooks(dir, file, RUNNER));
      expect(error.exitCode).toBe(2);
      expect(error.fix).toContain(file);
      expect(readFileSync(join(dir, file), 'utf8')).toBe(text);
    });
  }
});

describe('through the CLI', () => {
  it('install-hooks on a lefthook.yml with a hook that is an alias: exit 2 and the fix, no internal error', () => {
    const repo = makeRepo({ init: false });
    repo.write('lefthook.yml', LEFTHOOK_BAD[1]![1]);
    const result = repo.cli(['install-hooks', '--json']);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(2);
    expect(result.json?.error?.code).toBe('bad-hook-manager-config');
  }, 60_000);
});
