// Renders the package's .j2 templates with nunjucks. A file of the same name in the
// repository's `<sessions>/_templates/` overrides the package's copy. A template error
// names the template file and its line.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
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

const environments = new Map<string, { env: nunjucks.Environment; loader: ContainedLoader }>();

// nunjucks' own loader checks containment with a string prefix on unresolved paths, so
// `{% include "../_templates-x/f" %}` or a symlink reaches outside the folder. This one
// resolves real paths and treats anything outside its folders as not found.
class ContainedLoader extends nunjucks.FileSystemLoader {
  private readonly roots: string[];
  constructor(roots: string[]) {
    super(roots, { noCache: true });
    this.roots = roots;
  }
  override getSource(name: string): nunjucks.LoaderSource {
    for (const root of this.roots) {
      const candidate = resolve(root, name);
      if (!existsSync(candidate)) continue;
      const real = realpathSync(candidate);
      const inside = relative(realpathSync(root), real);
      if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) continue;
      return { src: readFileSync(real, 'utf8'), path: candidate, noCache: true };
    }
    return null as never;
  }
}

// nunjucks is not a sandbox: `range.constructor("return process")()` reaches Node from a
// template, and overrides are repository content. Every `a.b` in a template goes through
// runtime.memberLookup, so refusing these names closes the known ways out (best effort:
// docs/SECURITY.md still counts a template override as code).
const FORBIDDEN_MEMBERS = new Set(['constructor', 'prototype', '__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);
const runtime = (nunjucks as unknown as { runtime: { memberLookup: (obj: unknown, key: unknown) => unknown; __contained?: boolean } }).runtime;
if (!runtime.__contained) {
  const memberLookup = runtime.memberLookup;
  runtime.memberLookup = (obj, key) => (FORBIDDEN_MEMBERS.has(String(key)) ? undefined : memberLookup(obj, key));
  runtime.__contained = true;
}

function environment(overrideDir: string | undefined): { env: nunjucks.Environment; loader: ContainedLoader } {
  const key = overrideDir ?? '';
  let entry = environments.get(key);
  if (!entry) {
    const searchPaths = [...(overrideDir && existsSync(overrideDir) ? [overrideDir] : []), join(packageRoot(), 'templates')];
    const loader = new ContainedLoader(searchPaths);
    const env = new nunjucks.Environment(loader, {
      autoescape: false,
      throwOnUndefined: false,
      trimBlocks: false,
    });
    env.addFilter('yamlstr', (value: unknown) => JSON.stringify(String(value ?? '')));
    env.addFilter('shquote', (value: unknown) => shellQuote(String(value ?? '')));
    entry = { env, loader };
    environments.set(key, entry);
  }
  return entry;
}

// Compiled templates by file, kept while the file's text stays the same: a claim that
// retries renders the same three templates on every attempt, and compiling them was most
// of the render's cost. The loader still reads the file each time (a long-running `mcp`
// server sees an edited override at once).
const compiled = new Map<string, { src: string; env: nunjucks.Environment; template: nunjucks.Template }>();

/**
 * The seed README's names for the override files, honoured beside ours (ours win when both
 * exist). They are looked up in the repository's `_templates/` only.
 */
export const TEMPLATE_ALIASES: Partial<Record<TemplateName, readonly string[]>> = {
  'session-env.j2': ['session-env.template.j2', 'session-env.template'],
  'kb-merge-SESSION.md.j2': ['kb-merge-SESSION.md'],
};

/** The file name to load for `name`: ours, else a seed alias present in the override folder. */
function overrideName(name: TemplateName, overrideDir: string | undefined): string {
  if (!overrideDir || existsSync(join(overrideDir, name))) return name;
  return TEMPLATE_ALIASES[name]?.find((alias) => existsSync(join(overrideDir, alias))) ?? name;
}

function compiledTemplate(name: TemplateName, overrideDir: string | undefined): nunjucks.Template {
  const { env, loader } = environment(overrideDir);
  // getSource() still refuses an alias that is a symlink out of the folder (not found).
  const source = loader.getSource(overrideName(name, overrideDir)) ?? loader.getSource(name);
  if (!source) throw new Error(`template not found: ${name}`);
  const hit = compiled.get(source.path);
  if (hit && hit.src === source.src && hit.env === env) return hit.template;
  const template = new nunjucks.Template(source.src, env, source.path, true);
  compiled.set(source.path, { src: source.src, env, template });
  return template;
}

/** Which file a template name resolves to (the repo's override, else the package's). */
export function templatePath(name: TemplateName, layout?: Layout): string {
  if (layout) {
    const dir = layout.abs(layout.rel.templates);
    const override = join(dir, overrideName(name, dir));
    if (existsSync(override)) return override;
  }
  return join(packageRoot(), 'templates', name);
}

export function renderTemplate(name: TemplateName, context: Record<string, unknown>, layout?: Layout): string {
  const overrideDir = layout ? layout.abs(layout.rel.templates) : undefined;
  try {
    return compiledTemplate(name, overrideDir).render(context);
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
