// The drift report: the frozen plan (SESSION.md) against what happened (active-plan.md,
// worklog.md, subsessions.md, and the session's real change). Pure: the caller gathers the
// texts and the change; this module only compares and writes Markdown. `complete` writes
// it to completed/<slug>/drift.md; `agent-sessions drift <slug>` prints it.
import micromatch from 'micromatch';
import { acceptanceCriteria, parseSessionMd } from './session-md.ts';
import { compareCodeUnits } from './compare.ts';

export interface DriftCommit {
  hash: string;
  time: number;
  subject: string;
}

export interface DriftInput {
  slug: string;
  sessionMd: string;
  activePlan?: string;
  worklog?: string;
  subsessions?: string;
  /** Files the session changed, outside its own folder. */
  files: string[];
  commits: DriftCommit[];
  claimedAt?: number;
  /** When the session ended (completion) or the newest commit. */
  endedAt?: number;
}

export interface Trace {
  item: string;
  trace: 'ticked' | 'mentioned' | 'none';
  where?: string;
}

export interface DriftSummary {
  criteria: Trace[];
  plannedSubsessions: Trace[];
  addedSubsessions: string[];
  namedPaths: Array<{ path: string; touched: boolean }>;
  unnamedChanges: string[];
}

const STOP = new Set(['that', 'this', 'with', 'from', 'when', 'into', 'have', 'each', 'will', 'must', 'should', 'does', 'after', 'before', 'their', 'there', 'which', 'them', 'then', 'than', 'only']);

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 4 && !STOP.has(w)));
}

/** A line "speaks of" an item when it holds most of the item's significant words. */
function overlaps(item: string, line: string): boolean {
  const want = words(item);
  if (want.size === 0) return line.toLowerCase().includes(item.toLowerCase());
  const have = words(line);
  let hit = 0;
  for (const w of want) if (have.has(w)) hit++;
  return hit / want.size >= 0.6;
}

function traceOf(item: string, sources: Array<[string, string | undefined]>): Trace {
  let mentioned: string | undefined;
  for (const [name, text] of sources) {
    for (const line of (text ?? '').split(/\r?\n/)) {
      if (!overlaps(item, line)) continue;
      if (/^\s*[-*+]\s*\[[xX]\]/.test(line)) return { item, trace: 'ticked', where: name };
      mentioned ??= name;
    }
  }
  return mentioned ? { item, trace: 'mentioned', where: mentioned } : { item, trace: 'none' };
}

/** List items of a Markdown block: bullets or numbers, checkboxes and comments dropped. */
export function listItems(block: string): string[] {
  return block
    .replace(/<!--[\s\S]*?-->/g, '')
    .split(/\r?\n/)
    .filter((line) => /^\s*(?:[-*+]|\d+[.)])\s+/.test(line))
    .map((line) => line.replace(/^\s*(?:[-*+]|\d+[.)])\s*(?:\[[ xX]\]\s*)?/, '').replace(/\s*\(red: .*\)\s*$/, '').trim())
    .filter((item) => item.length > 0);
}

/** Paths SESSION.md names in `backticks` (files, folders, globs); URLs and commands left out. */
export function namedPaths(text: string): string[] {
  const out = new Set<string>();
  for (const match of text.matchAll(/`([^`\s]+)`/g)) {
    const token = match[1]!.replace(/^\.\//, '');
    if (token.includes('://') || token.startsWith('-') || token.startsWith('$')) continue;
    if (/^[\w.@*-]+(?:\/[\w.@*-]*)+$/.test(token) || /^[\w-]+\.(?:[a-z]{1,5})$/i.test(token)) out.add(token);
  }
  return [...out];
}

function touches(named: string, files: readonly string[]): boolean {
  if (named.includes('*')) return micromatch(files, named).length > 0;
  const dir = named.endsWith('/') ? named : `${named}/`;
  return files.some((f) => f === named || f.startsWith(dir) || f.endsWith(`/${named}`));
}

export function summarizeDrift(input: DriftInput): DriftSummary {
  const doc = parseSessionMd(input.sessionMd);
  const sources: Array<[string, string | undefined]> = [
    ['active-plan.md', input.activePlan],
    ['worklog.md', input.worklog],
    ['subsessions.md', input.subsessions],
  ];
  const criteria = acceptanceCriteria(doc).map((c) => traceOf(c, sources));
  const plannedSubsessions = listItems(doc.sections.get('subsessions') ?? '').map((s) => traceOf(s, sources));
  const addedSubsessions = listItems(input.subsessions ?? '').filter((s) => !plannedSubsessions.some((p) => overlaps(p.item, s)));
  const named = namedPaths(input.sessionMd);
  const namedPathsOut = named.map((path) => ({ path, touched: touches(path, input.files) }));
  const unnamedChanges = input.files.filter((f) => !named.some((n) => touches(n, [f])));
  return { criteria, plannedSubsessions, addedSubsessions, namedPaths: namedPathsOut, unnamedChanges };
}

function utc(seconds: number | undefined): string {
  return seconds === undefined ? '-' : `${new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : `${m}m`;
}

const cell = (t: string) => t.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const traceText = (t: Trace) => (t.trace === 'ticked' ? `ticked in ${t.where}` : t.trace === 'mentioned' ? `mentioned in ${t.where}` : '**no trace**');

/** The whole report as Markdown. Deterministic: no clock, only the input. */
export function renderDrift(input: DriftInput): string {
  const s = summarizeDrift(input);
  const first = input.commits.length ? Math.min(...input.commits.map((c) => c.time)) : undefined;
  const last = input.commits.length ? Math.max(...input.commits.map((c) => c.time)) : undefined;
  const start = input.claimedAt ?? first;
  const end = input.endedAt ?? last;
  const traced = s.criteria.filter((c) => c.trace !== 'none').length;
  const lines = [
    `# Drift report: ${input.slug}`,
    '',
    'The plan as frozen in SESSION.md, against what happened: active-plan.md, worklog.md,',
    "subsessions.md and the session's change. Drift is not failure; unexplained drift is.",
    '',
    '## Summary',
    '',
    `- Acceptance criteria: ${traced} of ${s.criteria.length} with a trace in the session's notes`,
    `- Subsessions: ${s.plannedSubsessions.length} planned, ${s.addedSubsessions.length} added during the session`,
    `- Paths named in SESSION.md: ${s.namedPaths.filter((p) => p.touched).length} of ${s.namedPaths.length} touched; ${s.unnamedChanges.length} changed file(s) it does not name`,
    `- Change: ${input.files.length} file(s), ${input.commits.length} commit(s)`,
    `- Time: claimed ${utc(input.claimedAt)}, first commit ${utc(first)}, last commit ${utc(last)}${start !== undefined && end !== undefined ? `; ${formatDuration(end - start)} in all` : ''}`,
    '',
    '## Acceptance criteria',
    '',
  ];
  if (s.criteria.length) {
    lines.push('| criterion | trace |', '|---|---|', ...s.criteria.map((c) => `| ${cell(c.item)} | ${traceText(c)} |`));
  } else lines.push('_SESSION.md lists none._');
  lines.push('', '## Subsessions', '');
  if (s.plannedSubsessions.length) {
    lines.push('| planned in SESSION.md | trace |', '|---|---|', ...s.plannedSubsessions.map((p) => `| ${cell(p.item)} | ${traceText(p)} |`));
  } else lines.push('_None planned._');
  if (s.addedSubsessions.length) lines.push('', 'Added in subsessions.md (scope found on the way):', '', ...s.addedSubsessions.map((a) => `- ${a}`));
  lines.push('', '## Paths', '');
  if (s.namedPaths.length) {
    lines.push('| named in SESSION.md | touched |', '|---|---|', ...s.namedPaths.map((p) => `| \`${cell(p.path)}\` | ${p.touched ? 'yes' : '**no**'} |`));
  } else lines.push('_SESSION.md names no paths._');
  if (s.unnamedChanges.length) {
    const shown = s.unnamedChanges.slice(0, 50);
    lines.push('', 'Changed but not named in SESSION.md:', '', ...shown.map((f) => `- \`${f}\``));
    if (s.unnamedChanges.length > shown.length) lines.push(`- ... and ${s.unnamedChanges.length - shown.length} more`);
  }
  lines.push('', '## Commits', '');
  if (input.commits.length) {
    const sorted = [...input.commits].sort((a, b) => a.time - b.time || compareCodeUnits(a.hash, b.hash));
    lines.push(...sorted.map((c) => `- \`${c.hash.slice(0, 10)}\` ${utc(c.time)} ${c.subject}`));
  } else lines.push('_No commits on the session branch._');
  return `${lines.join('\n')}\n`;
}
