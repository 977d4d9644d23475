// Pure parse/serialise of a session's SESSION.md: optional YAML-ish front matter, a title,
// and "## " sections. No file I/O here.

export interface SessionDoc {
  title: string | undefined;
  frontMatter: Record<string, string>;
  sections: Map<string, string>;
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

/** Front matter is read as flat `key: value` lines: data, never code (no YAML tags). */
function parseFrontMatter(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    const match = /^([A-Za-z_][A-Za-z0-9_-]*):\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2]!.trim();
    if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) {
      value = value.slice(1, -1);
    }
    out[match[1]!] = value;
  }
  return out;
}

export function parseSessionMd(text: string): SessionDoc {
  let body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let frontMatter: Record<string, string> = {};
  const fm = FRONT_MATTER.exec(body);
  if (fm) {
    frontMatter = parseFrontMatter(fm[1]!);
    body = body.slice(fm[0].length);
  }
  const sections = new Map<string, string>();
  let title: string | undefined;
  let current: string | undefined;
  let buffer: string[] = [];
  const flush = () => {
    if (current !== undefined) sections.set(current.toLowerCase(), buffer.join('\n').trim());
  };
  for (const line of body.split(/\r?\n/)) {
    const h1 = /^#\s+(.+?)\s*#*\s*$/.exec(line);
    const h2 = /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (h1 && title === undefined && current === undefined) {
      title = h1[1]!.replace(/^Session:\s*/i, '');
    } else if (h2) {
      flush();
      current = h2[1]!;
      buffer = [];
    } else if (current !== undefined) {
      buffer.push(line);
    }
  }
  flush();
  return { title: frontMatter.title || title, frontMatter, sections };
}

/** The acceptance criteria that have real text (placeholders and comments do not count). */
export function acceptanceCriteria(doc: SessionDoc): string[] {
  const section = doc.sections.get('acceptance criteria') ?? '';
  return section
    .replace(/<!--[\s\S]*?-->/g, '')
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(?:[-*+]|\d+[.)])\s*(?:\[[ xX]\]\s*)?/, '').trim())
    .filter((line) => line.length > 0 && !/^(todo|tbd|\.\.\.|_+|none)$/i.test(line));
}

/** Appends final notes (complete --notes) under a "## Final notes" heading. */
export function appendFinalNotes(text: string, notes: string, when: string): string {
  const base = text.endsWith('\n') ? text : `${text}\n`;
  return `${base}\n## Final notes (${when})\n\n${notes.trim()}\n`;
}

export interface SessionSummary {
  title?: string;
  created?: string;
}

/**
 * Title and creation time from the head of a SESSION.md, without parsing the whole file:
 * `status` reads thousands of these, so it looks only at front matter and the first "# ".
 */
export function summarizeSessionMd(head: string): SessionSummary {
  const out: SessionSummary = {};
  let body = head.startsWith('\uFEFF') ? head.slice(1) : head;
  const fm = FRONT_MATTER.exec(body);
  if (fm) {
    const front = parseFrontMatter(fm[1]!);
    if (front.title) out.title = front.title;
    if (front.created) out.created = front.created;
    body = body.slice(fm[0].length);
  }
  if (!out.title) {
    const h1 = /^#\s+(.+?)\s*#*\s*$/m.exec(body);
    if (h1 && !h1[0].startsWith('##')) out.title = h1[1]!.replace(/^Session:\s*/i, '');
  }
  // status prints these on a terminal: an ESC or a CR in a hostile title must not reach it
  // eslint-disable-next-line no-control-regex
  const clean = (value: string) => value.replace(/[\x00-\x1f\x7f-\x9f]/g, '?').slice(0, 300);
  if (out.title) out.title = clean(out.title);
  if (out.created) out.created = clean(out.created);
  return out;
}
