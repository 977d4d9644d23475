// Reading the figures of docs/SECURITY.md for the count tests: one line per figure, so that
// updating a figure is a one-line change.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SECURITY_MD = join(ROOT, 'docs', 'SECURITY.md');

export function securityDoc(): string {
  return readFileSync(SECURITY_MD, 'utf8');
}

/** The rows `| <label> | <n> |` of the table whose header is `| <first> | <second> |`. */
export function tableRows(doc: string, header: string): Map<string, number> {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => l.trim() === header);
  const rows = new Map<string, number>();
  if (start === -1) return rows;
  for (const line of lines.slice(start + 2)) {
    const cells = /^\|\s*(.+?)\s*\|\s*(\d+)\s*\|\s*$/.exec(line);
    if (!cells) break;
    rows.set(cells[1]!, Number(cells[2]));
  }
  return rows;
}
