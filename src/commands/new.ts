// `agent-sessions new <words|slug>`: renders drafting/<slug>/SESSION.md and commits it.
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Command } from '../cli/command.ts';
import { openRepo, type CommonOptions } from '../context.ts';
import { RefusedError, UsageError } from '../errors.ts';
import { commitPlanned, removeAgain } from '../planning.ts';
import { pushPlanned, type PlanPush } from '../planning-push.ts';
import { findSession } from '../sessions.ts';
import { parseSlug, slugFromInput } from '../slug.ts';
import { safeMkdir, safeWriteFile } from '../safe-fs.ts';
import { pushedLines } from './ready.ts';
import { renderTemplate } from '../templates.ts';

export interface NewOptions extends CommonOptions {
  /** Plain words (become a dated slug) or a slug (validated strictly). */
  input: string;
  title?: string;
  context?: string;
  problem?: string;
  criteria?: string[];
  subsessions?: string[];
  risks?: string;
  dependencies?: string;
  edgeCases?: string;
  notes?: string;
  /** A spec file (.json, .yaml, .yml) with the same fields. */
  from?: string;
  /** Commit the new session (default true). */
  commit?: boolean;
  /** Push the commit to the hub's main (rebuilt on it when main has moved). */
  push?: boolean;
  now?: Date;
}

export interface NewResult {
  slug: string;
  state: 'drafting';
  path: string;
  commit?: string;
  pushed?: PlanPush;
}

const text = z.string().max(20_000);
const specSchema = z
  .object({
    title: z.string().max(200).optional(),
    context: text.optional(),
    problem: text.optional(),
    problemStatement: text.optional(),
    criteria: z.array(z.string().max(2000)).optional(),
    acceptanceCriteria: z.array(z.string().max(2000)).optional(),
    subsessions: z.array(z.string().max(2000)).optional(),
    risks: text.optional(),
    dependencies: text.optional(),
    edgeCases: text.optional(),
    notes: text.optional(),
  })
  .strict();

function readSpec(file: string, cwd: string): z.infer<typeof specSchema> {
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw new UsageError('bad-spec', `spec file not found: ${file}`, { fix: 'pass an existing .json or .yaml file to --from' });
  const raw = readFileSync(path, 'utf8');
  let data: unknown;
  try {
    data = ['.yaml', '.yml'].includes(extname(path).toLowerCase()) ? parseYaml(raw) : JSON.parse(raw);
  } catch (err) {
    // the parser quotes the file; keep one printable line
    const reason = (err as Error).message.split('\n')[0]!.replace(/,?\s*"[\s\S]*$/, '').replace(/[^\x20-\x7e]/g, '?');
    throw new UsageError('bad-spec', `${file} does not parse: ${reason}`, { fix: `repair ${file}` });
  }
  const parsed = specSchema.safeParse(data ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const what = issue.code === 'unrecognized_keys' ? `unknown key ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}` : `${issue.path.join('.')}: ${issue.message}`;
    throw new UsageError('bad-spec', `${file}: ${what}`, {
      fix: 'spec keys: title, context, problem, criteria[], subsessions[], risks, dependencies, edgeCases, notes',
    });
  }
  return parsed.data;
}

function refuseControl(label: string, value: string | undefined): void {
  // eslint-disable-next-line no-control-regex
  if (value !== undefined && /[\0\x01-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(value)) {
    throw new UsageError('bad-input', `${label} holds a control character`, { fix: `remove control characters from ${label}` });
  }
}

export async function newSession(options: NewOptions): Promise<NewResult> {
  const cwd = options.cwd ?? process.cwd();
  if (options.push && options.commit === false) throw new UsageError('push-without-commit', '--push needs the commit: drop --no-commit', { fix: 'run again without --no-commit' });
  const input = options.input ?? '';
  refuseControl('the session name', input);
  const slug = slugFromInput(input.trim(), options.now);
  const ctx = await openRepo({ cwd });
  const spec = options.from ? readSpec(options.from, cwd) : {};
  const fields = {
    title: options.title ?? spec.title,
    context: options.context ?? spec.context,
    problem: options.problem ?? spec.problem ?? spec.problemStatement,
    criteria: options.criteria?.length ? options.criteria : (spec.criteria ?? spec.acceptanceCriteria ?? []),
    subsessions: options.subsessions?.length ? options.subsessions : (spec.subsessions ?? []),
    risks: options.risks ?? spec.risks,
    dependencies: options.dependencies ?? spec.dependencies,
    edgeCases: options.edgeCases ?? spec.edgeCases,
    notes: options.notes ?? spec.notes,
  };
  for (const [key, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) refuseControl(`--${key}`, item);
  }
  const existing = findSession(ctx.layout, slug);
  if (existing) {
    throw new RefusedError('session-exists', `session ${slug} already exists (${existing.state})`, {
      fix: 'choose other words or another slug; `agent-sessions status` lists the sessions',
      data: { state: existing.state },
    });
  }
  const parsed = parseSlug(slug);
  const title = (fields.title ?? (input === slug ? parsed.words.replace(/-/g, ' ') : input)).replace(/\s+/g, ' ').trim().slice(0, 200);
  const dirRel = ctx.layout.rel.session('drafting', slug);
  const content = renderTemplate(
    'SESSION.md.j2',
    {
      SESSION_SLUG: slug,
      TITLE: title,
      CREATED: (options.now ?? new Date()).toISOString(),
      CONTEXT: fields.context,
      PROBLEM_STATEMENT: fields.problem,
      ACCEPTANCE_CRITERIA: fields.criteria.map((c) => c.replace(/\s+/g, ' ').trim()).filter(Boolean),
      SUBSESSIONS: fields.subsessions.map((c) => c.replace(/\s+/g, ' ').trim()).filter(Boolean),
      RISKS: fields.risks,
      DEPENDENCIES: fields.dependencies,
      EDGE_CASES: fields.edgeCases,
      NOTES: fields.notes,
    },
    ctx.layout,
  );
  safeMkdir(ctx.root, ctx.layout.abs(dirRel));
  safeWriteFile(ctx.root, join(ctx.layout.abs(dirRel), 'SESSION.md'), content, { mode: 0o644 });
  const result: NewResult = { slug, state: 'drafting', path: `${dirRel}/SESSION.md` };
  if (options.commit === false) return result;
  result.commit = await commitPlanned(ctx, {
    paths: [dirRel],
    message: `[${slug}] docs: draft session ${slug}`,
    undo: removeAgain(ctx, dirRel),
  });
  if (options.push) result.pushed = await pushPlanned(ctx, result.commit, { slug, state: undefined, verb: 'draft' });
  return result;
}

export const command: Command<NewOptions, NewResult> = {
  run: newSession,
  text: (r) =>
    [
      `Drafted ${r.slug} at ${r.path}${r.commit && !r.pushed ? ` (commit ${r.commit.slice(0, 8)})` : ''}.`,
      ...pushedLines(r.pushed),
      `Next: fill in SESSION.md (acceptance criteria are required), then \`agent-sessions ready ${r.slug} --push\`.`,
    ].join('\n'),
};
