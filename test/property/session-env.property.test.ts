// .session-env is sourced by a shell: whatever the values, the text claim writes must be inert
// (only assignments) and must parse back to exactly those values. Hostile shapes are not inert.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from './runs.ts';
import { parseSessionEnv, SESSION_ENV_NAMES, sessionEnvProblem, shellQuote } from '../../src/sessions.ts';

const value = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom("'", '"', '$(x)', '`x`', '\n', "\\'", "''\n'"));

describe('.session-env (property)', () => {
  it('shell-quoted assignments of any values are inert and round-trip exactly', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 5 }), (values) => {
        const values0 = values.filter((v) => !v.includes('\0'));
        const text = `# comment\n${values0.map((v, i) => `export ${SESSION_ENV_NAMES[i]}=${shellQuote(v)}`).join('\n')}\n`;
        expect(sessionEnvProblem(text)).toBeUndefined();
        const parsed = parseSessionEnv(text);
        values0.forEach((v, i) => expect(parsed[SESSION_ENV_NAMES[i]!]).toBe(v));
      }),
      runs(1000),
    );
  });

  it.each([
    ['a command line', "export SESSION_SLUG='x'\ntouch y\n"],
    ['a name outside the five identity variables', "export GIT_CONFIG_COUNT='1'\n"],
    ['PROMPT_COMMAND', "PROMPT_COMMAND='touch y'\n"],
    ['command substitution', 'export SESSION_SLUG=$(touch y)\n'],
    ['backticks', 'export SESSION_SLUG=`touch y`\n'],
    ['double quotes', 'export SESSION_SLUG="$HOME"\n'],
    ['a second command after ;', "export SESSION_SLUG='x' ; touch y\n"],
    ['an unterminated quote', "export SESSION_SLUG='x\n"],
    ['an unquoted expansion', 'export SESSION_SLUG=$HOME\n'],
    ['a redirection', "export SESSION_SLUG='x'>/tmp/y\n"],
  ])('refuses %s', (_name, text) => {
    expect(sessionEnvProblem(text)).toBeDefined();
  });
});
