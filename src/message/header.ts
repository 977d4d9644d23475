// What kind of message a header is, before any linting: git's own merge/revert/autosquash
// forms, the emergency OVERRIDE form, a `[prefix] ...` header, or none of these. Pure.

export type MessageForm =
  | { form: 'empty' }
  /** git's (or a forge's) merge message: `Merge branch 'x'`, `Merge pull request #1 ...`. */
  | { form: 'merge'; header: string }
  /** `Revert "<header>"` / `Reapply "<header>"` as `git revert` writes them. */
  | { form: 'revert'; header: string; reverted: string }
  /** `fixup! ` / `squash! ` / `amend! ` + the target header, for `rebase --autosquash`. */
  | { form: 'autosquash'; kind: 'fixup' | 'squash' | 'amend'; header: string; target: string }
  /** `[<slug>] OVERRIDE: <reason>`. */
  | { form: 'override'; prefix: string; reason: string; header: string }
  /** `[<prefix>] <rest>`; `rest` is linted as `<type>(<scope>)?!?: <description>`. */
  | { form: 'prefixed'; prefix: string; rest: string; header: string }
  | { form: 'unprefixed'; header: string };

const MERGE = /^(?:Merge (?:branch|branches|remote-tracking branch|tag|pull request|commit|'|")|Merged (?:PR \d+|\S.* (?:in|into) )|Automatic merge|Auto-merged )/;
const REVERT = /^(Revert|Reapply) "(.*)"$/;
const AUTOSQUASH = /^(fixup|squash|amend)! (.*)$/;
const PREFIXED = /^\[([^\]]*)\] ?(.*)$/;
const OVERRIDE = /^OVERRIDE:\s*(.*)$/;

export function headerOf(message: string): string {
  const at = message.indexOf('\n');
  const line = at === -1 ? message : message.slice(0, at);
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

// Several rules classify the same message in a row (message-format, kb-canonical,
// session-md-readonly): the last answer is kept. The result is never mutated.
let lastMessage: string | undefined;
let lastForm: MessageForm | undefined;

export function classifyMessage(message: string): MessageForm {
  if (message === lastMessage && lastForm) return lastForm;
  const form = classify(message);
  lastMessage = message;
  lastForm = form;
  return form;
}

function classify(message: string): MessageForm {
  // Most messages start with `[`: no BOM, no blank line, none of git's merge, revert or
  // autosquash headers (each starts with a word), so only the prefixed form is left to test.
  if (message.charCodeAt(0) === 0x5b) return prefixedOrNot(headerOf(message));
  const trimmed = message.replace(/^\uFEFF/, '').replace(/^\s*\n/, '');
  if (!/\S/.test(trimmed)) return { form: 'empty' };
  const header = headerOf(trimmed.replace(/^(?:\s*\n)+/, ''));
  if (MERGE.test(header)) return { form: 'merge', header };
  const revert = REVERT.exec(header);
  if (revert) return { form: 'revert', header, reverted: revert[2]! };
  const squash = AUTOSQUASH.exec(header);
  if (squash) return { form: 'autosquash', kind: squash[1] as 'fixup' | 'squash' | 'amend', header, target: squash[2]! };
  return prefixedOrNot(header);
}

function prefixedOrNot(header: string): MessageForm {
  const prefixed = PREFIXED.exec(header);
  if (prefixed) {
    const override = OVERRIDE.exec(prefixed[2]!);
    if (override) return { form: 'override', prefix: prefixed[1]!, reason: override[1]!.trim(), header };
    return { form: 'prefixed', prefix: prefixed[1]!, rest: prefixed[2]!, header };
  }
  return { form: 'unprefixed', header };
}

const BLANK = /\s/;
let lastPrefixMessage: string | undefined;
let lastPrefix: string | undefined;

/**
 * The `[<name>]` a message starts with (no blank, no `]` in the name; nothing may come before
 * the bracket), or undefined. The history rules that only ask "whose commit is this?" read
 * this, not classifyMessage's forms; several ask in a row, so the last answer is kept.
 */
export function slugPrefixOf(message: string): string | undefined {
  if (message === lastPrefixMessage) return lastPrefix;
  // /^\[([^\]\s]+)\]/ without a match array per commit: the name runs to the first `]`.
  const end = message.charCodeAt(0) === 0x5b ? message.indexOf(']', 1) : -1;
  const name = end > 1 ? message.slice(1, end) : undefined;
  const prefix = name !== undefined && !BLANK.test(name) ? name : undefined;
  lastPrefixMessage = message;
  lastPrefix = prefix;
  return prefix;
}

/** A corrected header for a fix line: `[<prefix>] <type>: <description>` from whatever was written. */
export function suggestHeader(prefix: string, header: string, types: readonly string[]): string {
  let rest = header;
  const prefixed = PREFIXED.exec(rest);
  if (prefixed) rest = prefixed[2]!;
  const revert = REVERT.exec(rest);
  if (revert) {
    const inner = PREFIXED.exec(revert[2]!);
    return `[${prefix}] revert: ${inner ? inner[2] : revert[2]}`;
  }
  const squash = AUTOSQUASH.exec(rest);
  if (squash) rest = squash[2]!.replace(PREFIXED, '$2');
  const conventional = /^([A-Za-z]+)(\([^)]*\))?(!)?:\s*(.*)$/.exec(rest);
  if (conventional) {
    const type = conventional[1]!.toLowerCase();
    const known = types.includes(type) ? type : types.includes('chore') ? 'chore' : types[0]!;
    return `[${prefix}] ${known}${conventional[2] ?? ''}${conventional[3] ?? ''}: ${conventional[4] || 'describe the change'}`;
  }
  const type = types.includes('chore') ? 'chore' : types[0]!;
  const description = rest.trim() === '' ? 'describe the change' : rest.trim().replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase());
  return `[${prefix}] ${type}: ${description}`;
}
