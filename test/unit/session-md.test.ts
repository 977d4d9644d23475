// SESSION.md parsing: front matter (flat key: value, quotes stripped), the title (front matter
// first, then the first "# " before any section), "## " sections, acceptance criteria without
// placeholders, final notes, and the cheap head summary status prints (control characters
// neutralised). Pure functions; exact outputs.
import { describe, expect, it } from 'vitest';
import { acceptanceCriteria, appendFinalNotes, parseSessionMd, summarizeSessionMd } from '../../src/session-md.ts';

describe('parseSessionMd', () => {
  it('reads front matter as flat key: value data, quotes stripped only when they pair', () => {
    const doc = parseSessionMd(
      ['---', 'title: "Quoted title"', "single: 'one'", 'mixed: "a\'', 'lone: "', 'empty:', 'spaced:    padded value   ', '- not: a key', '1key: no', '_ok-key2: yes', '---', '# Heading title', ''].join('\n'),
    );
    expect(doc.frontMatter).toEqual({ title: 'Quoted title', single: 'one', mixed: '"a\'', lone: '"', empty: '', spaced: 'padded value', '_ok-key2': 'yes' });
    expect(doc.title).toBe('Quoted title');
  });

  it('takes CRLF front matter and a BOM, and falls back to the first heading when the title is empty', () => {
    const doc = parseSessionMd('\uFEFF---\r\ntitle:\r\nstatus: planned\r\n---\r\n# Session: Auth system ##\r\n\r\n## Goal\r\nlog in\r\n');
    expect(doc.frontMatter).toEqual({ title: '', status: 'planned' });
    expect(doc.title).toBe('Auth system');
    expect(doc.sections.get('goal')).toBe('log in');
  });

  it('without front matter: no keys, the first "# " is the title, sections keyed in lower case and trimmed', () => {
    const doc = parseSessionMd(['# session:   Billing', '', 'intro', '## Acceptance Criteria', '', '- one', '### detail', '- two', '', '## Notes ##', 'n', '# Not a title'].join('\n'));
    expect(doc.frontMatter).toEqual({});
    expect(doc.title).toBe('Billing');
    expect([...doc.sections.keys()]).toEqual(['acceptance criteria', 'notes']);
    expect(doc.sections.get('acceptance criteria')).toBe('- one\n### detail\n- two');
    expect(doc.sections.get('notes')).toBe('n\n# Not a title');
  });

  it('a heading after the first section is no title; an unclosed front matter is text', () => {
    expect(parseSessionMd('## First\n# Late\n').title).toBeUndefined();
    const open = parseSessionMd('---\ntitle: x\n# Real\n');
    expect(open.frontMatter).toEqual({});
    expect(open.title).toBe('Real');
    expect(parseSessionMd('#NoSpace\n# Spaced\n').title).toBe('Spaced');
    expect(parseSessionMd('# One\n# Two\n').title).toBe('One');
    expect(parseSessionMd('').sections.size).toBe(0);
  });
});

describe('acceptanceCriteria', () => {
  it('lists the criteria with real text: bullets, numbers and boxes removed, placeholders and comments dropped', () => {
    const doc = parseSessionMd(
      [
        '## Acceptance criteria',
        '- [ ] users can log in',
        '* [x] tokens expire',
        '+ [X] plus bullet',
        '1. numbered',
        '12) paren numbered',
        '-    spaced bullet   ',
        '<!-- a comment',
        '- hidden in the comment',
        '-->',
        '- TODO',
        '- tbd',
        '- ...',
        '- ___',
        '- None',
        '- none of the above is fine',
        '',
        '- [ ]',
        'plain line',
        '## Next',
        '- not a criterion',
      ].join('\n'),
    );
    expect(acceptanceCriteria(doc)).toEqual(['users can log in', 'tokens expire', 'plus bullet', 'numbered', 'paren numbered', 'spaced bullet', 'none of the above is fine', 'plain line']);
  });

  it('is empty without the section', () => {
    expect(acceptanceCriteria(parseSessionMd('# x\n## Goal\n- a\n'))).toEqual([]);
  });
});

describe('appendFinalNotes', () => {
  it('appends a dated section after exactly one blank line, notes trimmed', () => {
    expect(appendFinalNotes('# x\n', '  done  \n', '2025-10-14')).toBe('# x\n\n## Final notes (2025-10-14)\n\ndone\n');
    expect(appendFinalNotes('# x', 'done', 'today')).toBe('# x\n\n## Final notes (today)\n\ndone\n');
  });
});

describe('summarizeSessionMd', () => {
  it('reads title and created from front matter', () => {
    expect(summarizeSessionMd('\uFEFF---\ntitle: T\ncreated: 2025-10-14T10:00:00Z\n---\n# Other\n')).toEqual({ title: 'T', created: '2025-10-14T10:00:00Z' });
  });

  it('falls back to the first "# " heading, never a "## " one', () => {
    expect(summarizeSessionMd('---\ncreated: c\n---\n## Section\n# Session: Real one #\n')).toEqual({ title: 'Real one', created: 'c' });
    expect(summarizeSessionMd('## only a section\n')).toEqual({});
    expect(summarizeSessionMd('---\ntitle:\n---\n# Heading\n')).toEqual({ title: 'Heading' });
  });

  it('neutralises control characters and cuts at 300 characters', () => {
    expect(summarizeSessionMd('---\ntitle: a\u001b[31mred\u0007\u009b\u007f\ncreated: x\u0000y\n---\n')).toEqual({ title: 'a?[31mred???', created: 'x?y' });
    expect(summarizeSessionMd(`# ${'t'.repeat(400)}\n`).title).toBe('t'.repeat(300));
    expect(summarizeSessionMd('# caf\u00e9 \u00a0ok\n').title).toBe('caf\u00e9 \u00a0ok');
  });
});

describe('edges the mutation run found', () => {
  it('front matter: no space after the colon, a value of just two quotes, a quote at one end only', () => {
    const doc = parseSessionMd(['---', 'key:value', 'two: ""', "twos: ''", 'tail: a"', "stail: a'", 'head: "a', "shead: 'a", '---'].join('\n'));
    expect(doc.frontMatter).toEqual({ key: 'value', two: '', twos: '', tail: 'a"', stail: "a'", head: '"a', shead: "'a" });
  });

  it('a "# " line inside front matter is not the title; headings with runs of spaces are trimmed', () => {
    expect(parseSessionMd('---\n# yaml comment\ntitle:\n---\n#   Real title\n##   Goal\nx\n').title).toBe('Real title');
    expect([...parseSessionMd('##   Goal\nx\n').sections.keys()]).toEqual(['goal']);
    expect(parseSessionMd('# My Session: x\n').title).toBe('My Session: x');
    expect(parseSessionMd('# Session:x\n').title).toBe('x');
  });

  it('criteria: indented and unspaced bullets, boxes without a space, words that end like placeholders', () => {
    const doc = parseSessionMd(['## Acceptance criteria', 'plain line - with a dash', '   - indented', '-nospace', '- [x]done', '- works - mostly', '- step 2. done', '- handle none', '- nothing todo'].join('\n'));
    expect(acceptanceCriteria(doc)).toEqual(['plain line - with a dash', 'indented', 'nospace', 'done', 'works - mostly', 'step 2. done', 'handle none', 'nothing todo']);
  });

  it('summary: no keys for what is absent, the last line without a newline, closing hashes, a "# " in front matter', () => {
    expect(summarizeSessionMd('---\ncreated: c\n---\n')).toStrictEqual({ created: 'c' });
    expect(summarizeSessionMd('---\ntitle: t\n---\n')).toStrictEqual({ title: 't' });
    expect(summarizeSessionMd('# Last line')).toStrictEqual({ title: 'Last line' });
    expect(summarizeSessionMd('# Closed ##\n')).toStrictEqual({ title: 'Closed' });
    expect(summarizeSessionMd('# Closed at the end ##')).toStrictEqual({ title: 'Closed at the end' });
    expect(summarizeSessionMd('#   Spaced\n')).toStrictEqual({ title: 'Spaced' });
    expect(summarizeSessionMd('---\n# comment\n---\n# Body title\n')).toStrictEqual({ title: 'Body title' });
    expect(summarizeSessionMd('# Session:x\n')).toStrictEqual({ title: 'x' });
    expect(summarizeSessionMd('# My Session: x\n')).toStrictEqual({ title: 'My Session: x' });
  });
});
