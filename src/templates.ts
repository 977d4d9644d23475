// Renders the package's .j2 templates with nunjucks. A file of the same name in the
// repository's `<sessions>/_templates/` overrides the package's copy. Every template is checked
// against an allowlist of nunjucks constructs before it is compiled (template-allowlist.ts):
// overrides are repository data, and nunjucks is not a sandbox. A template error or refusal
// names the template file and its line (exit 2).
import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import nunjucks from 'nunjucks';
import { UsageError } from './errors.ts';
import type { Layout } from './layout.ts';
import { packageRoot } from './package-root.ts';
import { shellQuote } from './sessions.ts';
import { checkedPath, readBounded } from './safe-fs.ts';
import { ALLOWED_FILTERS, MAX_RENDERED_BYTES, MAX_TEMPLATE_BYTES, templateProblem } from './template-allowlist.ts';

export type TemplateName =
  | 'SESSION.md.j2'
  | 'kb-merge-SESSION.md.j2'
  | 'session-env.j2'
  | 'worklog.md.j2'
  | 'active-plan.md.j2'
  | 'subsessions.md.j2'
  | 'SESSIONS-README.md.j2'
  | 'claim-session.j2'
  | 'complete-session.j2'
  | 'agents-section.md.j2';

/**
 * The variables each template's context provides: the only names an override may use
 * (documented in docs/SECURITY.md). The keys a caller passes are allowed too, so a new
 * context variable works in the package's template before it is listed here.
 */
export const TEMPLATE_VARIABLES: Readonly<Record<TemplateName, readonly string[]>> = {
  'SESSION.md.j2': ['SESSION_SLUG', 'TITLE', 'CREATED', 'CONTEXT', 'PROBLEM_STATEMENT', 'ACCEPTANCE_CRITERIA', 'SUBSESSIONS', 'RISKS', 'DEPENDENCIES', 'EDGE_CASES', 'NOTES'],
  'kb-merge-SESSION.md.j2': ['SESSION_SLUG', 'TOPIC', 'TIMESTAMP', 'SOURCE_SESSION', 'LEARNINGS_PATH'],
  'session-env.j2': ['SESSION_SLUG', 'USER_NAME', 'USER_EMAIL'],
  'worklog.md.j2': ['SESSION_SLUG', 'TIMESTAMP', 'USER_NAME'],
  'active-plan.md.j2': ['SESSION_SLUG', 'TIMESTAMP', 'USER_NAME'],
  'subsessions.md.j2': ['SESSION_SLUG', 'TIMESTAMP', 'USER_NAME'],
  'SESSIONS-README.md.j2': ['SESSIONS', 'KNOWLEDGE', 'WORKTREES', 'CLONES', 'LOCK_FILE', 'MAIN', 'BRANCH_PREFIX', 'TYPES', 'MAINT', 'BIN', 'WT_UP', 'CL_UP'],
  'claim-session.j2': ['PACKAGE_BIN'],
  'complete-session.j2': ['PACKAGE_BIN'],
  'agents-section.md.j2': ['SESSIONS', 'KNOWLEDGE', 'WORKTREES', 'BRANCH_PREFIX', 'TYPES', 'MAINT', 'MAIN', 'PACKAGE_BIN'],
};

const ENV_OPTIONS = { autoescape: false, throwOnUndefined: false, trimBlocks: false } as const;

const environments = new Map<string, { env: nunjucks.Environment; loader: ContainedLoader }>();

// nunjucks' own loader checks containment with a string prefix on unresolved paths. This one
// resolves real paths, treats anything outside its folders as not found, refuses an override
// that is a symbolic link or not a plain file, and never reads more than MAX_TEMPLATE_BYTES.
class ContainedLoader extends nunjucks.FileSystemLoader {
  private readonly roots: string[];
  constructor(roots: string[]) {
    super(roots, { noCache: true });
    this.roots = roots;
  }
  override getSource(name: string): nunjucks.LoaderSource {
    for (const root of this.roots) {
      const candidate = resolve(root, name);
      let link: boolean;
      try {
        link = lstatSync(candidate).isSymbolicLink();
      } catch {
        continue;
      }
      if (link) {
        throw new UsageError('bad-template', `template ${candidate} is a symbolic link; templates are read only from plain files`, {
          fix: `replace ${candidate} with a plain file (git rm it and commit), or delete it to use the package's template`,
          data: { template: candidate },
        });
      }
      const real = realpathSync(candidate);
      const inside = relative(realpathSync(root), real);
      if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) continue;
      return { src: readTemplateFile(candidate), path: candidate, noCache: true };
    }
    return null as never;
  }
}

/** Reads a template without following a symlink, refusing anything but a plain file of bounded size. */
function readTemplateFile(file: string): string {
  const refused = (size: number) =>
    new UsageError('bad-template', `template ${file} ${size > MAX_TEMPLATE_BYTES ? `is larger than ${MAX_TEMPLATE_BYTES / 1024} KB` : 'is not a plain file'}`, {
      fix: `replace ${file} with a small plain-text template, or delete it to use the package's template`,
      data: { template: file },
    });
  return readBounded(file, MAX_TEMPLATE_BYTES, refused) ?? '';
}

// Defence in depth behind the allowlist: a member key that is not a plain string or number
// (an object whose toString answers differently on each call) is never looked up, and the
// names that lead to constructors are refused.
const FORBIDDEN_MEMBERS = new Set(['constructor', 'prototype', '__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);
const runtime = (nunjucks as unknown as { runtime: { memberLookup: (obj: unknown, key: unknown) => unknown; __contained?: boolean } }).runtime;
if (!runtime.__contained) {
  const memberLookup = runtime.memberLookup;
  runtime.memberLookup = (obj, key) => ((typeof key !== 'string' && typeof key !== 'number') || FORBIDDEN_MEMBERS.has(String(key)) ? undefined : memberLookup(obj, key));
  runtime.__contained = true;
}

function environment(overrideDir: string | undefined): { env: nunjucks.Environment; loader: ContainedLoader } {
  const key = overrideDir ?? '';
  let entry = environments.get(key);
  if (!entry) {
    const searchPaths = [...(overrideDir && existsSync(overrideDir) ? [overrideDir] : []), join(packageRoot(), 'templates')];
    const loader = new ContainedLoader(searchPaths);
    const env = new nunjucks.Environment(loader, { ...ENV_OPTIONS });
    env.addFilter('yamlstr', (value: unknown) => JSON.stringify(String(value ?? '')));
    env.addFilter('shquote', (value: unknown) => shellQuote(String(value ?? '')));
    entry = { env, loader };
    environments.set(key, entry);
  }
  return entry;
}

// Compiled templates by file, kept while the file's text (and the names its context
// provides) stay the same: a claim that retries renders the same three templates on every
// attempt, and checking and compiling them was most of the render's cost. The loader still
// reads the file each time (a long-running `mcp` server sees an edited override at once).
const compiled = new Map<string, { src: string; names: string; env: nunjucks.Environment; template: nunjucks.Template }>();

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

function compiledTemplate(name: TemplateName, overrideDir: string | undefined, context: Record<string, unknown>, shown: (path: string) => string): nunjucks.Template {
  const { env, loader } = environment(overrideDir);
  // getSource() still refuses an alias that is a symlink out of the folder (not found).
  const source = loader.getSource(overrideName(name, overrideDir)) ?? loader.getSource(name);
  if (!source) throw new Error(`template not found: ${name}`);
  const variables = new Set([...(TEMPLATE_VARIABLES[name] ?? []), ...Object.keys(context)]);
  const names = [...variables].sort().join(',');
  const hit = compiled.get(source.path);
  if (hit && hit.src === source.src && hit.names === names && hit.env === env) return hit.template;
  // The allowlist is for overrides (repository data). The package's own templates are this
  // package, like its code (a test holds each to the allowlist): a claim compiles three of
  // them, and checking parsed each one a second time.
  const own = dirname(source.path) === join(packageRoot(), 'templates');
  const problem = own ? undefined : templateProblem(source.src, variables, ENV_OPTIONS);
  if (problem) {
    const file = shown(source.path);
    throw new UsageError('bad-template', `template ${file} line ${problem.line}: ${problem.message}`, {
      fix: `edit ${file} at line ${problem.line}: a template may use only {{ VARIABLE }}, if, for and the filters ${Object.keys(ALLOWED_FILTERS).join(' ')} (docs/SECURITY.md), or delete it to use the package's template`,
      data: { template: file, line: problem.line },
    });
  }
  const template = new nunjucks.Template(source.src, env, source.path, true);
  compiled.set(source.path, { src: source.src, names, env, template });
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
  // repository files are named repo-relative, the package's own by their absolute path
  const shown = (path: string) => {
    const rel = layout ? relative(layout.root, path) : '';
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : path;
  };
  try {
    // the override folder itself (or a folder above it) may be a link out of the repository
    if (layout && overrideDir) checkedPath(layout.root, overrideDir);
    const text = compiledTemplate(name, overrideDir, context, shown).render(context);
    if (text.length > MAX_RENDERED_BYTES) {
      const file = shown(templatePath(name, layout));
      throw new UsageError('bad-template', `template ${file} renders ${text.length} characters, more than ${MAX_RENDERED_BYTES}`, {
        fix: `shorten ${file}, or delete it to use the package's template`,
        data: { template: file },
      });
    }
    return text;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const file = shown(templatePath(name, layout));
    const raw = err instanceof Error ? err.message : String(err);
    const line = /\[Line (\d+), Column (\d+)\]/.exec(raw);
    const detail = raw.replace(/^\(.*?\)\s*/, '').replace(/\s+/g, ' ').trim().slice(0, 300);
    throw new UsageError('bad-template', `template ${file}${line ? ` line ${line[1]}` : ''}: ${detail}`, {
      fix: `fix ${file}${line ? ` at line ${line[1]}` : ''}, or delete the override to use the package's template`,
      data: { template: file, ...(line ? { line: Number(line[1]) } : {}) },
    });
  }
}
