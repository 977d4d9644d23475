// Pure rendering of BOARD.md. Nothing here reads a clock: the board must come out the same on
// every machine for `board --check` to mean anything, so ages are dates, not "3h ago".
import { STATES, TRANSITIONS, type SessionState } from '../states.ts';
import { compareCodeUnits } from '../compare.ts';
import { printable } from '../printable.ts';

export interface BoardRow {
  slug: string;
  state: SessionState;
  title?: string;
  holder?: string;
  /** Unix seconds the session entered its current phase (claim for active, creation otherwise). */
  since?: number;
  sinceLabel: 'claimed' | 'created';
  lastCommit?: { hash: string; time: number; subject: string };
}

function utc(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Markdown table cells: no pipes, no newlines. */
function cell(text: string | undefined): string {
  return printable((text ?? '').replace(/\r?\n/g, ' ')).replace(/\|/g, '\\|').trim() || '-';
}

export function renderBoard(rows: readonly BoardRow[], sessionsPath: string): string {
  const counts = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<SessionState, number>;
  for (const row of rows) counts[row.state]++;
  const lines = [
    '# Sessions board',
    '',
    `<!-- Written by \`agent-sessions board\` from ${sessionsPath}/ and main's history; do not edit by hand.`,
    '     `agent-sessions board --check` exits 1 when this file is out of date. -->',
    '',
    '```mermaid',
    'flowchart LR',
    ...STATES.map((s) => `  ${s}["${s} (${counts[s]})"]`),
    ...TRANSITIONS.map((t) => `  ${t.from} -->|${t.verb}| ${t.to}`),
    '```',
    '',
  ];
  for (const state of STATES) {
    const inState = rows.filter((r) => r.state === state).sort((a, b) => compareCodeUnits(a.slug, b.slug));
    lines.push(`## ${state} (${inState.length})`, '');
    if (inState.length === 0) {
      lines.push('_none_', '');
      continue;
    }
    lines.push('| slug | title | holder | age | last commit |', '|---|---|---|---|---|');
    for (const row of inState) {
      const age = row.since === undefined ? '-' : `${row.sinceLabel} ${utc(row.since)} UTC`;
      const last = row.lastCommit ? `\`${row.lastCommit.hash.slice(0, 10)}\` ${utc(row.lastCommit.time)} ${row.lastCommit.subject}` : undefined;
      lines.push(`| \`${row.slug}\` | ${cell(row.title)} | ${cell(row.holder)} | ${age} | ${cell(last)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
