// Every rule module in rules/ is in the index, is named after its file, has a description,
// a test table in test/rules/<id>.test.ts and a section in docs/rules.md (or, for rules
// documented elsewhere by their authors, a section in some docs/*.md).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index.ts';
import { PROJECT_ROOT } from '../helpers/repo.ts';

const files = readdirSync(join(PROJECT_ROOT, 'rules')).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
const docs = readdirSync(join(PROJECT_ROOT, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => readFileSync(join(PROJECT_ROOT, 'docs', f), 'utf8'))
  .join('\n');

describe('rule index', () => {
  it('lists every module in rules/, once, under its file name', () => {
    const ids = rules.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(files.map((f) => f.replace(/\.ts$/, '')).sort());
  });

  for (const rule of rules) {
    describe(rule.meta.id, () => {
      it('has a one-line description, a severity and run points', () => {
        expect(rule.meta.description.length).toBeGreaterThan(10);
        expect(rule.meta.description).not.toContain('\n');
        expect(['error', 'warn', 'off']).toContain(rule.meta.defaultSeverity);
        expect(rule.meta.runsAt.length).toBeGreaterThan(0);
      });
      it('has a test file', () => {
        expect(existsSync(join(PROJECT_ROOT, 'test', 'rules', `${rule.meta.id}.test.ts`))).toBe(true);
      });
      it('has a documentation section', () => {
        expect(docs).toMatch(new RegExp(`^#{2,3} \`?${rule.meta.id}\`?(\\s|$)`, 'm'));
      });
    });
  }
});
