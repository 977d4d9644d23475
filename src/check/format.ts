// Reporters for `check`: plain text, one JSON document, and GitHub workflow commands
// (`::error file=…,title=…::…`) plus a Markdown summary for $GITHUB_STEP_SUMMARY.
// Pure: they turn a CheckReport into text; writing it is the command's job.
import { printable } from '../engine/report.ts';
import type { Violation } from '../engine/types.ts';

export interface CheckReport {
  range: string;
  source: string;
  commits: number;
  violations: Violation[];
  summary: { errors: number; warnings: number; commits: number; byRule: Record<string, number> };
}

export function summarize(range: string, source: string, commits: number, violations: Violation[]): CheckReport {
  const byRule: Record<string, number> = {};
  for (const v of violations) byRule[v.rule] = (byRule[v.rule] ?? 0) + 1;
  return {
    range,
    source,
    commits,
    violations,
    summary: { errors: violations.filter((v) => v.severity === 'error').length, warnings: violations.filter((v) => v.severity === 'warn').length, commits, byRule },
  };
}

const short = (sha: string | undefined) => (sha ? sha.slice(0, 12) : '');

export function formatText(report: CheckReport): string {
  const lines: string[] = [];
  for (const v of report.violations) {
    // Messages quote commit headers and paths: hostile input, shown with control characters escaped.
    const where = printable([short(v.commit), v.path].filter(Boolean).join(' '));
    lines.push(`${v.severity === 'error' ? 'error' : 'warn '} ${v.rule}${where ? ` ${where}` : ''}: ${printable(v.message)}`);
    lines.push(`      fix: ${printable(v.fix)}`);
  }
  const { errors, warnings, commits } = report.summary;
  lines.push(`check: ${commits} commit(s) in ${report.range} (${report.source}): ${errors} error(s), ${warnings} warning(s)`);
  return lines.join('\n');
}

export function formatJson(report: CheckReport): unknown {
  return {
    ok: report.summary.errors === 0,
    range: report.range,
    source: report.source,
    violations: report.violations.map((v) => ({ rule: v.rule, severity: v.severity, commit: v.commit ?? null, path: v.path ?? null, line: v.line ?? null, message: v.message, fix: v.fix })),
    summary: report.summary,
  };
}

/** Escapes the message part of a workflow command (GitHub's escapeData). */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value of a workflow command (GitHub's escapeProperty). */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(report: CheckReport): string {
  const lines = report.violations.map((v) => {
    const props: string[] = [];
    if (v.path) props.push(`file=${escapeProperty(printable(v.path))}`);
    if (v.path && v.line) props.push(`line=${v.line}`);
    props.push(`title=${escapeProperty(`agent-sessions ${v.rule}${v.commit ? ` (${short(v.commit)})` : ''}`)}`);
    const level = v.severity === 'error' ? 'error' : 'warning';
    return `::${level} ${props.join(',')}::${escapeData(`${printable(v.message)}\nfix: ${printable(v.fix)}`)}`;
  });
  const { errors, warnings, commits } = report.summary;
  lines.push(`check: ${commits} commit(s) in ${report.range}: ${errors} error(s), ${warnings} warning(s)`);
  return lines.join('\n');
}

const cell = (text: string) => printable(text).replace(/\|/g, '\\|');

export function markdownSummary(report: CheckReport): string {
  const { errors, warnings, commits } = report.summary;
  const lines = [`## agent-sessions check`, '', `${commits} commit(s) in \`${report.range}\` (${report.source}): **${errors} error(s)**, ${warnings} warning(s).`, ''];
  if (report.violations.length > 0) {
    lines.push('| severity | rule | commit | path | message | fix |', '|---|---|---|---|---|---|');
    for (const v of report.violations.slice(0, 500)) {
      lines.push(`| ${v.severity} | ${v.rule} | ${short(v.commit)} | ${cell(v.path ?? '')} | ${cell(v.message)} | ${cell(v.fix)} |`);
    }
    if (report.violations.length > 500) lines.push('', `…and ${report.violations.length - 500} more (run \`agent-sessions check --format json\`).`);
  }
  return `${lines.join('\n')}\n`;
}
