// Templates are compiled once per file text: a retried claim renders the same templates again
// without compiling them, yet an override edited while the process runs (the mcp server) is
// rendered from its new text at once.
import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config.ts';
import { makeLayout } from '../../src/layout.ts';
import { renderTemplate } from '../../src/templates.ts';
import { tempDir } from '../helpers/repo.ts';

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
