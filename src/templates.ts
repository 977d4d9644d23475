// Renders the package's .j2 templates with nunjucks. A file of the same name in the
// repository's `<sessions>/_templates/` overrides the package's copy. A template error
// names the template file and its line.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import nunjucks from 'nunjucks';
import { UsageError } from './errors.ts';
import type { Layout } from './layout.ts';
import { packageRoot } from './package-root.ts';
import { shellQuote } from './sessions.ts';

export type TemplateName =
  | 'SESSION.md.j2'
  | 'kb-merge-SESSION.md.j2'
  | 'session-env.j2'
  | 'worklog.md.j2'
  | 'active-plan.md.j2'
  | 'subsessions.md.j2'
  | 'SESSIONS-README.md.j2'
  | 'claim-session.j2'
  | 'complete-session.j2';

const environments = new Map<string, nunjucks.Environment>();

function environment(overrideDir: string | undefined): nunjucks.Environment {
  const key = overrideDir ?? '';
  let env = environments.get(key);
  if (!env) {
    const searchPaths = [...(overrideDir && existsSync(overrideDir) ? [overrideDir] : []), join(packageRoot(), 'templates')];
    env = new nunjucks.Environment(new nunjucks.FileSystemLoader(searchPaths, { noCache: true }), {
      autoescape: false,
      throwOnUndefined: false,
      trimBlocks: false,
    });
    env.addFilter('yamlstr', (value: unknown) => JSON.stringify(String(value ?? '')));
    env.addFilter('shquote', (value: unknown) => shellQuote(String(value ?? '')));
    environments.set(key, env);
  }
  return env;
}

/** Which file a template name resolves to (the repo's override, else the package's). */
export function templatePath(name: TemplateName, layout?: Layout): string {
  if (layout) {
    const override = join(layout.abs(layout.rel.templates), name);
    if (existsSync(override)) return override;
  }
  return join(packageRoot(), 'templates', name);
}

export function renderTemplate(name: TemplateName, context: Record<string, unknown>, layout?: Layout): string {
  const overrideDir = layout ? layout.abs(layout.rel.templates) : undefined;
  try {
    return environment(overrideDir).render(name, context);
  } catch (err) {
    const file = templatePath(name, layout);
    const raw = err instanceof Error ? err.message : String(err);
    const line = /\[Line (\d+), Column (\d+)\]/.exec(raw);
    const detail = raw.replace(/^\(.*?\)\s*/, '').replace(/\s+/g, ' ').trim().slice(0, 300);
    throw new UsageError('bad-template', `template ${file}${line ? ` line ${line[1]}` : ''}: ${detail}`, {
      fix: `fix ${file}${line ? ` at line ${line[1]}` : ''}, or delete the override to use the package's template`,
      data: { template: file, ...(line ? { line: Number(line[1]) } : {}) },
    });
  }
}
