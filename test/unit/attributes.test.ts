// A .gitattributes that re-encodes (working-tree-encoding) or rewrites (ident) what a checkout
// writes of a file the hub reads is refused at the hub (src/policy/attributes.ts); line endings
// and a team's own folders pass.
import { describe, expect, it } from 'vitest';
import { attributesProblem, nameMatches, type ReadNames } from '../../src/policy/attributes.ts';

const read: ReadNames = {
  tops: ['_AGENTS', 'agent-sessions.config.json', 'package.json'],
  basenames: ['agent-sessions.config.json', 'package.json', 'sessions.lock', 'SESSION.md', '.session-env', 'worklog.md'],
};

describe('attributesProblem', () => {
  it('refuses re-encoding or ident where a file the hub reads may be', () => {
    for (const text of [
      'agent-sessions.config.json working-tree-encoding=UTF-16LE-BOM',
      '* ident',
      '*.json text working-tree-encoding=UTF-16',
      '/_AGENTS/** ident',
      '*/sessions/sessions.lock working-tree-encoding=UTF-16',
      '"sessions.lock" working-tree-encoding=UTF-16',
      '[attr]utf16 working-tree-encoding=UTF-16LE-BOM\n*.lock utf16',
      '# a comment\r\n\r\n*.md ident\r\n',
    ]) {
      expect(attributesProblem(text, true, read), text).toMatch(/^it sets (working-tree-encoding|ident|utf16) for /);
    }
  });

  it("passes line endings, unsets, a team's own folders and names the hub never reads", () => {
    for (const text of ['* text=auto eol=lf', '*.png binary', '* -ident', '* !working-tree-encoding', 'src/** ident', '/docs/*.md working-tree-encoding=UTF-16', '*.ps1 working-tree-encoding=UTF-16LE', '[attr]utf16 working-tree-encoding=UTF-16LE-BOM\n*.ps1 utf16']) {
      expect(attributesProblem(text, true, read), text).toBeUndefined();
    }
  });

  it('inside the layout, any re-encoding is refused, whatever its pattern', () => {
    expect(attributesProblem('*.ps1 working-tree-encoding=UTF-16LE', false, read)).toBeDefined();
    expect(attributesProblem('* text eol=crlf', false, read)).toBeUndefined();
    // A macro the root defines applies here too: only attributes known to be inert pass.
    expect(attributesProblem('* utf16', false, read)).toMatch(/^it sets utf16 for "\*"/);
    expect(attributesProblem('*.md diff=markdown linguist-documentation -text', false, read)).toBeUndefined();
  });

  it('matches a name as git does on any clone, and takes what it cannot read as matching', () => {
    const yes: [string, string][] = [['agent-sessions.config.json', '*.json'], ['sessions.lock', '*'], ['.session-env', '*'], ['SESSION.md', 'S?SSION.md'], ['a.b', 'a.b'], ['x(1)+', 'x(1)+'],
      // core.ignorecase (macOS, Windows clones): git matches attributes without case.
      ['agent-sessions.config.json', 'AGENT-SESSIONS.CONFIG.JSON'], ['SESSION.md', 'session.md'],
      // Brackets and backslashes (classes, escapes, a quoted pattern's octal escapes): refused, never misread.
      ['SESSION.md', '[a-z]*.md'], ['x', '[z-a]'], ['x', '[[:digit:]]'], ['agent-sessions.config.json', 'agent-sessions.config.jso[!]]'], ['SESSION.md', 'SESSION\\056md']];
    const no: [string, string][] = [['package.json', '*.ps1'], ['a.b', 'a?c'], ['axb', 'a.b'], ['sessions.lock', 'sessions'], ['SESSION.md', '*.txt']];
    for (const [name, pattern] of yes) expect(nameMatches(name, pattern), `${name} ${pattern}`).toBe(true);
    for (const [name, pattern] of no) expect(nameMatches(name, pattern), `${name} ${pattern}`).toBe(false);
    expect(attributesProblem('/_agents/** ident', true, read)).toBeDefined();
  });
});
