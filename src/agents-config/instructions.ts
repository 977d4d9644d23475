// The short, delimited section `init --agents` keeps in AGENTS.md (and CLAUDE.md / GEMINI.md
// for agents that read only their own file): the protocol as commands. Re-running init
// replaces what is between the markers and touches nothing else in the file.
import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Config } from '../config.ts';
import { UsageError } from '../errors.ts';
import type { Layout } from '../layout.ts';
import { renderTemplate } from '../templates.ts';
import { lstatExists, readOwned, writeOwned, type WriteLog } from './files.ts';

export const SECTION_START = '<!-- agent-sessions:start (written by `agent-sessions init --agents`; edits here are replaced) -->';
export const SECTION_END = '<!-- agent-sessions:end -->';
const START_PREFIX = '<!-- agent-sessions:start';

export function renderSection(config: Config, layout: Layout): string {
  const body = renderTemplate(
    'agents-section.md.j2',
    {
      SESSIONS: layout.rel.sessions,
      KNOWLEDGE: layout.rel.knowledge,
      WORKTREES: layout.rel.worktrees,
      BRANCH_PREFIX: config.git.branchPrefix,
      TYPES: config.commit.types.map((t) => `\`${t}\``).join(', '),
    },
    layout,
  );
  return `${SECTION_START}\n${body.trim()}\n${SECTION_END}\n`;
}

/** The file's text with our section put in (replacing the old one) or appended. */
export function withSection(existing: string | undefined, section: string, rel: string): string {
  if (existing === undefined || existing === '') return section;
  const start = existing.indexOf(START_PREFIX);
  if (start < 0) return `${existing}${existing.endsWith('\n') ? '' : '\n'}\n${section}`;
  const end = existing.indexOf(SECTION_END, start);
  if (end < 0 || existing.indexOf(START_PREFIX, start + 1) >= 0) {
    throw new UsageError('broken-agents-section', `${rel} has an agent-sessions start marker without one matching end marker`, {
      fix: `remove the agent-sessions section from ${rel} (both marker lines and what is between), then run init --agents again`,
    });
  }
  let after = end + SECTION_END.length;
  if (existing[after] === '\n') after += 1;
  return `${existing.slice(0, start)}${section}${existing.slice(after)}`;
}

export const INSTRUCTION_FILES = ['AGENTS.md', 'CLAUDE.md', 'GEMINI.md'];

/**
 * A common setup links CLAUDE.md to AGENTS.md: a symlink to another of these files at the top
 * of the repository is written through (the section is then already there). Any other symlink
 * is refused: repository data must not steer the write elsewhere (into .git/hooks, say).
 */
export function writeInstructions(root: string, relName: string, section: string, log: WriteLog): void {
  const { rel, content } = planInstructions(root, relName, section);
  writeOwned(root, rel, content, log, 'all');
}

/** A symbolic link whose target does not exist (yet). */
export function danglingLink(path: string): boolean {
  return lstatExists(path) && lstatSync(path).isSymbolicLink() && !existsSync(path);
}

/**
 * The file writeInstructions writes for `relName` and its new content, read (and refused) before
 * anything is written: init reads every instruction file before it wires a guard.
 */
export function planInstructions(root: string, relName: string, section: string): { rel: string; content: string } {
  let rel = relName;
  const link = join(root, rel);
  if (lstatExists(link) && lstatSync(link).isSymbolicLink() && existsSync(link)) {
    const target = relative(realpathSync(root), realpathSync(link)).split(sep).join('/');
    if (INSTRUCTION_FILES.includes(target) && !lstatSync(join(root, target)).isSymbolicLink()) rel = target;
  }
  // never through a link (a dangling one included), a FIFO or a device: repository data
  const existing = readOwned(root, rel, 'all');
  return { rel, content: withSection(existing, section, rel) };
}
