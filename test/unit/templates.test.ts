// Templates are checked against an allowlist of nunjucks constructs, then compiled once per file text: a retried claim renders the same templates again
// without compiling them, yet an override edited while the process runs (the mcp server) is
// rendered from its new text at once.
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config.ts';
import { makeLayout } from '../../src/layout.ts';
import { MAX_TEMPLATE_BYTES, templateProblem } from '../../src/template-allowlist.ts';
import { renderTemplate, TEMPLATE_VARIABLES, type TemplateName } from '../../src/templates.ts';
import { PROJECT_ROOT, tempDir } from '../helpers/repo.ts';

describe('renderTemplate', () => {
  it('renders an override again from its new text after it changes', () => {
    const root = tempDir('as-templates-');
    const layout = makeLayout(root, defaultConfig());
    const dir = layout.abs(layout.rel.templates);
    mkdirSync(dir, { recursive: true });
    const context = { SESSION_SLUG: '2025-01-01-x', TIMESTAMP: 't', USER_NAME: 'u' };
    writeFileSync(`${dir}/worklog.md.j2`, 'first {{ SESSION_SLUG }}\n');
    expect(renderTemplate('worklog.md.j2', context, layout)).toBe('first 2025-01-01-x\n');
    expect(renderTemplate('worklog.md.j2', { ...context, SESSION_SLUG: '2025-01-02-y' }, layout)).toBe('first 2025-01-02-y\n');
    writeFileSync(`${dir}/worklog.md.j2`, 'second {{ USER_NAME }}\n');
    expect(renderTemplate('worklog.md.j2', context, layout)).toBe('second u\n');
  });
});

describe('the template allowlist', () => {
  const names = Object.keys(TEMPLATE_VARIABLES) as TemplateName[];

  it('accepts every template the package ships, with the variables its context provides', () => {
    const shipped = readdirSync(join(PROJECT_ROOT, 'templates')).filter((f) => f.endsWith('.j2'));
    expect(shipped.sort()).toEqual([...names].sort());
    for (const name of shipped) {
      const source = readFileSync(join(PROJECT_ROOT, 'templates', name), 'utf8');
      expect(templateProblem(source, TEMPLATE_VARIABLES[name as TemplateName]), name).toBeUndefined();
    }
  });

  const VARS = ['TITLE', 'ITEMS', 'SESSION_SLUG'];
  // Each refused shape names its line; the attack the issue reproduced comes first.
  const REFUSED: Array<[string, string, number, RegExp]> = [
    ['toString that answers differently (reaches Function through range)', '{% set c = cycler("x", "constructor", "constructor") %}{% set o = {"toString": c.next} %}{{ range[o]("return process")() }}', 1, /"set" is not allowed/],
    ['range as a global', 'ok\n{{ range(3) }}', 2, /a call is not allowed/],
    ['range named without a call', '{{ range }}', 1, /"range" is not a variable/],
    ['cycler', '{{ cycler }}', 1, /"cycler" is not a variable/],
    ['member access to constructor', '{{ TITLE.constructor }}', 1, /member access is not allowed/],
    ['a computed member key', '{% for i in ITEMS %}{{ TITLE[i] }}{% endfor %}', 1, /member access is not allowed/],
    ['a call on a variable', '{{ TITLE.toUpperCase() }}', 1, /a call is not allowed/],
    ['set', '\n\n{% set x = 1 %}', 3, /"set" is not allowed/],
    ['macro', '{% macro m() %}x{% endmacro %}', 1, /"macro" is not allowed/],
    ['include', '{% include "SESSION.md.j2" %}', 1, /"include" is not allowed/],
    ['import', '{% import "x.j2" as x %}', 1, /"import" is not allowed/],
    ['from import', '{% from "x.j2" import y %}', 1, /"from \.\.\. import" is not allowed/],
    ['extends', '{% extends "x.j2" %}', 1, /"extends" is not allowed/],
    ['block', '{% block b %}x{% endblock %}', 1, /"block" is not allowed/],
    ['call block', '{% call TITLE() %}x{% endcall %}', 1, /not allowed/],
    ['filter block', '{% filter upper %}x{% endfilter %}', 1, /a "filter" block is not allowed/],
    ['unknown filter', '{{ TITLE | no_such_filter }}', 1, /the filter "no_such_filter" is not allowed/],
    ['dangerous built-in filter', '{{ ITEMS | join(",", "constructor") }}', 1, /takes at most 1 argument/],
    ['filter with keyword arguments', '{{ TITLE | default(value="x") }}', 1, /keyword arguments|not allowed/],
    ['a regular expression literal', '{{ TITLE | default(r/(a+)+$/) }}', 1, /no regular expressions/],
    ['replace (an empty pattern multiplies the text)', '{{ TITLE | replace("", TITLE) }}', 1, /the filter "replace" is not allowed/],
    ['a dict literal', '{{ {"a": 1} }}', 1, /a dict literal is not allowed/],
    ['a test with arguments', '{% if TITLE is divisibleby(3) %}x{% endif %}', 1, /only the tests/],
    ['an unknown loop field', '{% for i in ITEMS %}{{ loop.cycle }}{% endfor %}', 1, /loop\.cycle is not allowed/],
    ['loop outside a for', '{{ loop.index }}', 1, /member access is not allowed|"loop" is not a variable/],
    ['a loop variable outside its loop', '{% for i in ITEMS %}{% endfor %}{{ i }}', 1, /"i" is not a variable/],
    ['a for inside a for (the output multiplies)', '{% for a in ITEMS %}\n{% if a %}{% for b in TITLE %}x{% endfor %}{% endif %}{% endfor %}', 2, /a "for" inside a "for" is not allowed/],
    ['a syntax error', 'line one\n{% if %}', 2, /./],
  ];
  it.each(REFUSED)('refuses %s, naming its line', (_name, source, line, message) => {
    const problem = templateProblem(source, VARS);
    expect(problem).toBeDefined();
    expect(problem!.message).toMatch(message);
    expect(problem!.line).toBe(line);
  });

  const ACCEPTED: Array<[string, string, Record<string, unknown>, string]> = [
    ['variables and literal text', 'Hi {{ TITLE }}!', { TITLE: 't' }, 'Hi t!'],
    ['if / elif / else', '{% if not TITLE %}a{% elif TITLE == "x" %}b{% else %}c{% endif %}', { TITLE: 'x' }, 'b'],
    ['for with loop fields and else', '{% for i in ITEMS %}{{ loop.index }}:{{ i | upper }}{% if not loop.last %},{% endif %}{% else %}none{% endfor %}', { ITEMS: ['a', 'b'] }, '1:A,2:B'],
    ['for over an empty list', '{% for i in ITEMS %}x{% else %}none{% endfor %}', { ITEMS: [] }, 'none'],
    ['two loops one after the other', '{% for a in ITEMS %}{{ a }}{% endfor %}-{% for b in ITEMS %}{{ b }}{% endfor %}', { ITEMS: ['x', 'y'] }, 'xy-xy'],
    ['filters from the list with their arguments', '{{ TITLE | default("d") | upper | truncate(10) }}|{{ ITEMS | join(", ") }}|{{ ITEMS | length }}', { TITLE: 'aaa', ITEMS: ['1', '2'] }, 'AAA|1, 2|2'],
    ['.length, an index, operators and tests', '{{ TITLE.length }} {{ ITEMS[0] }} {{ ("x" + TITLE) ~ "!" }} {{ "y" if TITLE is defined else "n" }} {{ "a" in ITEMS }}', { TITLE: 'ab', ITEMS: ['a'] }, '2 a xab! y true'],
    ['raw blocks and comments', '{# note #}{% raw %}{{ range }}{% endraw %}', {}, '{{ range }}'],
    ['yamlstr and shquote', '{{ TITLE | yamlstr }} {{ TITLE | shquote }}', { TITLE: "a'b" }, `"a'b" 'a'\\''b'`],
  ];
  it.each(ACCEPTED)('accepts and renders %s', (_name, source, context, output) => {
    const root = tempDir('as-templates-ok-');
    const layout = makeLayout(root, defaultConfig());
    const dir = layout.abs(layout.rel.templates);
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/SESSION.md.j2`, source);
    expect(templateProblem(source, Object.keys(context))).toBeUndefined();
    expect(renderTemplate('SESSION.md.j2', context, layout)).toBe(output);
  });

  it('refuses an override that is a symbolic link, and one larger than the bound', () => {
    const root = tempDir('as-templates-link-');
    const layout = makeLayout(root, defaultConfig());
    const dir = layout.abs(layout.rel.templates);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(root, 'elsewhere.j2'), 'SECRET {{ SESSION_SLUG }}\n');
    symlinkSync(join(root, 'elsewhere.j2'), `${dir}/worklog.md.j2`);
    const context = { SESSION_SLUG: 's', TIMESTAMP: 't', USER_NAME: 'u' };
    expect(() => renderTemplate('worklog.md.j2', context, layout)).toThrow(/is a symbolic link/);
    rmSync(`${dir}/worklog.md.j2`);
    writeFileSync(`${dir}/worklog.md.j2`, 'x'.repeat(MAX_TEMPLATE_BYTES + 1));
    expect(() => renderTemplate('worklog.md.j2', context, layout)).toThrow(/larger than/);
    // output over the bound: one loop over a long value
    writeFileSync(`${dir}/worklog.md.j2`, `{% for c in USER_NAME %}${'y'.repeat(200 * 1024)}{% endfor %}`);
    expect(() => renderTemplate('worklog.md.j2', { ...context, USER_NAME: 'abcdef' }, layout)).toThrow(/renders \d+ characters, more than 1048576/);
    expect(renderTemplate('worklog.md.j2', { ...context, USER_NAME: 'ab' }, layout)).toHaveLength(400 * 1024);
  });

  it('refuses an override folder that is a symbolic link out of the repository', () => {
    const root = tempDir('as-templates-dirlink-');
    const layout = makeLayout(root, defaultConfig());
    const outside = tempDir('as-templates-outside-');
    writeFileSync(join(outside, 'worklog.md.j2'), 'OUTSIDE {{ SESSION_SLUG }}\n');
    mkdirSync(join(root, layout.rel.sessions), { recursive: true });
    symlinkSync(outside, layout.abs(layout.rel.templates));
    expect(() => renderTemplate('worklog.md.j2', { SESSION_SLUG: 's', TIMESTAMP: 't', USER_NAME: 'u' }, layout)).toThrow(/_templates is a symbolic link/);
  });
});
