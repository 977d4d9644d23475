// The figures of docs/SECURITY.md come from the tables themselves: this test counts every
// hostile case, requires at least 40 (the bar), prints the counts, and fails when the
// document states a different total, so the figure cannot go stale.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/repo.ts';
import {
  CONFIG_CASES,
  FRONT_MATTER_CASES,
  IDENTITY_CASES,
  LOCK_CASES,
  MESSAGE_CASES,
  NAME_CASES,
  NEW_INPUT_CASES,
  SESSION_ENV_TEMPLATE_CASES,
  SESSION_FILE_CASES,
  SLUG_INPUTS,
  SYMLINK_CASES,
  TEMPLATE_CASES,
  TEXT_CASES,
} from './hostile-cases.ts';

/** NUL slugs go through the command functions (argv cannot carry NUL): see hostile-input.test.ts. */
const NUL_SLUG_CASES = 3;

export const HOSTILE_COUNTS: Record<string, number> = {
  'slugs (every verb that takes one)': SLUG_INPUTS.length + NUL_SLUG_CASES,
  '`new` input': NEW_INPUT_CASES.length,
  'titles, criteria, spec files': TEXT_CASES.length,
  'agent names and emails': IDENTITY_CASES.length + 1,
  '.session-env template overrides': SESSION_ENV_TEMPLATE_CASES.length,
  'commit messages (through the real hooks)': MESSAGE_CASES.length,
  'config files': CONFIG_CASES.length,
  'lock files': LOCK_CASES.length,
  'SESSION.md front matter': FRONT_MATTER_CASES.length,
  'template overrides': TEMPLATE_CASES.length,
  'symlinks in the work tree': SYMLINK_CASES.length,
  'folder names on the terminal': NAME_CASES.length,
  'oversized session files': SESSION_FILE_CASES.length,
};
// (+1 for agent names: the quoting proof, a name holding ', ", $(…), backticks and a newline.)

describe('hostile case figures', () => {
  const total = Object.values(HOSTILE_COUNTS).reduce((a, b) => a + b, 0);

  it('has at least 40 cases across every category the issue names', () => {
    for (const [category, count] of Object.entries(HOSTILE_COUNTS)) expect(count, category).toBeGreaterThan(0);
    expect(total).toBeGreaterThanOrEqual(40);
    console.log([`hostile cases tried and held: ${total}`, ...Object.entries(HOSTILE_COUNTS).map(([k, v]) => `  ${k}: ${v}`)].join('\n'));
  });

  it('docs/SECURITY.md states the same total', () => {
    const doc = readFileSync(join(PROJECT_ROOT, 'docs', 'SECURITY.md'), 'utf8');
    expect(doc).toContain(`**${total}** hostile cases`);
    for (const [category, count] of Object.entries(HOSTILE_COUNTS)) expect(doc).toContain(`| ${category} | ${count} |`);
  });
});
