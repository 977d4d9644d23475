// The hostile-input tables (data only; the runners are the hostile-*.test.ts files).
// hostile-count.test.ts sums them for the figures in docs/SECURITY.md.
import { RUN_MARKER, type FileSpec, type HostileCase } from './hostile.ts';

/** A session that exists (planned, on the hub) so a lax check would find something to act on. */
export const REAL_SLUG = '2025-10-14-x';
const TEN_KB = 'a'.repeat(10 * 1024);
const BAD_SLUG = /invalid session slug|unknown option/;

/** Slugs given to every verb that takes one: each must be refused (exit 2) before any path or git argument is made. */
export const SLUG_INPUTS: Array<{ name: string; argv: string[] }> = [
  { name: 'path traversal', argv: ['../x'] },
  { name: 'deep traversal', argv: ['../../../../etc/passwd'] },
  { name: 'traversal after a real date', argv: [`${REAL_SLUG}/../../../etc`] },
  { name: 'absolute path', argv: ['/etc/passwd'] },
  { name: 'option injection -x', argv: ['-x'] },
  { name: 'option injection --upload-pack', argv: [`--upload-pack=${RUN_MARKER}`] },
  { name: 'flag-like slug after --', argv: ['--', `--upload-pack=${RUN_MARKER}`] },
  { name: '-rf after --', argv: ['--', '-rf'] },
  { name: 'command substitution', argv: [`$(${RUN_MARKER})`] },
  { name: 'backticks', argv: [`\`${RUN_MARKER}\``] },
  { name: 'semicolon', argv: [`${REAL_SLUG};${RUN_MARKER}`] },
  { name: 'pipe', argv: [`${REAL_SLUG}|${RUN_MARKER}`] },
  { name: 'and-and', argv: [`${REAL_SLUG}&&${RUN_MARKER}`] },
  { name: 'single quote', argv: [`${REAL_SLUG}'x`] },
  { name: 'newline', argv: [`${REAL_SLUG}\ny`] },
  { name: 'trailing CR', argv: [`${REAL_SLUG}\r`] },
  { name: 'trailing CRLF', argv: [`${REAL_SLUG}\r\n`] },
  { name: 'leading BOM', argv: [`\ufeff${REAL_SLUG}`] },
  { name: 'Cyrillic look-alike a', argv: ['2025-10-14-\u0430'] },
  { name: 'fullwidth digits', argv: ['\uff12\uff10\uff12\uff15-10-14-x'] },
  { name: '10 KB slug', argv: [`2025-10-14-${TEN_KB}`] },
  { name: 'leading space', argv: [` ${REAL_SLUG}`] },
  { name: 'tab', argv: [`${REAL_SLUG}\t`] },
  { name: 'uppercase', argv: ['2025-10-14-X'] },
  { name: 'impossible date', argv: ['2025-02-30-x'] },
  { name: 'empty', argv: [''] },
  { name: 'a ref name', argv: ['HEAD'] },
  { name: 'a .lock suffix', argv: [`${REAL_SLUG}.lock`] },
  { name: 'glob', argv: ['2025-10-14-*'] },
];
export const SLUG_MESSAGE = BAD_SLUG;

/** `new` input that looks like a slug is validated strictly; words with nothing usable are refused. */
export const NEW_INPUT_CASES: HostileCase[] = [
  { name: 'dated traversal', args: ['new', '2025-10-14-../../x'], code: 2, message: /invalid session slug/ },
  { name: 'kb- with command substitution', args: ['new', `kb-$(${RUN_MARKER})`], code: 2, message: /invalid session slug/ },
  { name: 'dated with a shell operator', args: ['new', `2025-10-14-x;${RUN_MARKER}`], code: 2, message: /invalid session slug/ },
  { name: 'punctuation only', args: ['new', '!!!'], code: 2, message: /no ASCII letters or digits/ },
  { name: 'Cyrillic only', args: ['new', '\u0430\u0431\u0432'], code: 2, message: /no ASCII letters or digits/ },
  { name: 'escape sequence in the name', args: ['new', 'auth \u001b[31m system'], code: 2, message: /control character/ },
  { name: 'bell in the name', args: ['new', 'auth\u0007'], code: 2, message: /control character/ },
  { name: 'option injection', args: ['new', `--upload-pack=${RUN_MARKER}`], code: 2, message: /unknown option/ },
];

/** Titles, criteria and other text for `new`: control characters and oversized specs are refused. */
export const TEXT_CASES: HostileCase[] = [
  { name: 'title with ESC', args: ['new', '2025-10-14-t', '--title', 'x\u001b]0;owned\u0007'], code: 2, message: /--title holds a control character/ },
  { name: 'criterion with backspace', args: ['new', '2025-10-14-t', '--criteria', 'ok\u0008\u0008'], code: 2, message: /--criteria holds a control character/ },
  { name: 'context with DEL', args: ['new', '2025-10-14-t', '--context', 'a\u007fb'], code: 2, message: /--context holds a control character/ },
  { name: 'spec title with NUL', files: { 'spec.json': '{"title":"a\\u0000b"}' }, args: ['new', '2025-10-14-t', '--from', 'spec.json'], code: 2, message: /control character/ },
  { name: 'spec title of 10 KB', files: { 'spec.json': JSON.stringify({ title: TEN_KB }) }, args: ['new', '2025-10-14-t', '--from', 'spec.json'], code: 2, message: /spec\.json: title/ },
  { name: 'spec with an unknown key', files: { 'spec.json': '{"status":"completed"}' }, args: ['new', '2025-10-14-t', '--from', 'spec.json'], code: 2, message: /unknown key "status"/ },
  { name: 'spec of binary garbage', files: { 'spec.json': Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x7b]) }, args: ['new', '2025-10-14-t', '--from', 'spec.json'], code: 2, message: /does not parse/ },
  { name: 'YAML alias bomb', files: { 'spec.yaml': billionLaughs() }, args: ['new', '2025-10-14-t', '--from', 'spec.yaml'], code: 2, message: /spec\.yaml/ },
  { name: 'criteria not a list', files: { 'spec.json': '{"criteria":"x"}' }, args: ['new', '2025-10-14-t', '--from', 'spec.json'], code: 2, message: /criteria/ },
  { name: '1 MB context', files: { 'spec.json': JSON.stringify({ context: 'x'.repeat(1 << 20) }) }, args: ['new', '2025-10-14-t', '--from', 'spec.json'], code: 2, message: /context/ },
];

function billionLaughs(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    lines.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  lines.push('title: *i');
  return `${lines.join('\n')}\n`;
}

const CONFIG = 'agent-sessions.config.json';
const cfg = (name: string, content: FileSpec, message: RegExp): HostileCase => ({
  name,
  files: { [CONFIG]: content },
  args: ['new', '2025-10-14-cfg', '--criteria', 'c'],
  code: 2,
  message,
});

/** Config files: every command validates the whole config before it touches anything. */
export const CONFIG_CASES: HostileCase[] = [
  cfg('empty file', '', /not valid JSON/),
  cfg('unknown key', '{"sessionz":{}}', /unknown key "sessionz"/),
  cfg('wrong type', '{"claim":{"maxAttempts":"5"}}', /claim\.maxAttempts/),
  cfg('an array', '[]', /must hold a JSON object/),
  cfg('null', 'null', /must hold a JSON object/),
  cfg('binary garbage', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]), /not valid JSON/),
  cfg('prototype pollution', '{"__proto__":{"paths":{"sessions":"/etc"}}}', /unknown key "__proto__"/),
  cfg('sessions path escaping the repo', '{"paths":{"sessions":"../outside"}}', /paths\.sessions: must stay inside/),
  cfg('absolute sessions path', '{"paths":{"sessions":"/tmp/x"}}', /paths\.sessions: must be relative/),
  cfg('sessions path inside .git', '{"paths":{"lockFile":".git/hooks/pre-commit"}}', /paths\.lockFile: must stay inside/),
  cfg('backslash path', '{"paths":{"worktrees":"..\\\\..\\\\x"}}', /paths\.worktrees/),
  cfg('NUL in a path', '{"paths":{"knowledge":"k\\u0000b"}}', /paths\.knowledge/),
  cfg('remote as an option', `{"git":{"remote":"--upload-pack=${RUN_MARKER}"}}`, /git\.remote/),
  cfg('main branch with a shell operator', '{"git":{"mainBranch":"main;rm -rf ~"}}', /git\.mainBranch/),
  cfg('branch prefix with ..', '{"git":{"branchPrefix":"../"}}', /git\.branchPrefix/),
  cfg('commit type with $( )', '{"commit":{"types":["$(x)"]}}', /commit\.types/),
  cfg('unknown rule id', '{"rules":{"no-such-rule":"error"}}', /unknown rule id "no-such-rule"/),
  cfg('BOM then an unknown key', '\ufeff{"nope":1}', /unknown key "nope"/),
  cfg('5 MB file', `{"nope":"${'x'.repeat(5 << 20)}"}`, /unknown key "nope"/),
  cfg('config is a directory', { dir: true }, /cannot be read: EISDIR/),
  cfg('config is a symlink to /etc/passwd', { symlink: '/etc/passwd' }, /is a symbolic link, which is not followed/),
  cfg('config is a dangling symlink', { symlink: '/nonexistent/as-config.json' }, /is a symbolic link, which is not followed/),
  cfg('config is a symlink to /dev/zero (a read that never ends)', { symlink: '/dev/zero' }, /is a symbolic link, which is not followed/),
  cfg('config is a symlink to a file of the repository', { symlink: 'README.md' }, /is a symbolic link, which is not followed/),
  cfg('deeply nested JSON', '['.repeat(200_000), /not valid JSON|must hold/),
  // one folder inside another: knowledge/ in the sessions folder would escape kb-canonical
  cfg('knowledge folder inside the sessions folder', '{"paths":{"knowledge":"_AGENTS/sessions/kb"}}', /paths\.knowledge \(_AGENTS\/sessions\/kb\) is inside paths\.sessions/),
  cfg('worktrees folder the same as the sessions folder', '{"paths":{"worktrees":"_AGENTS/sessions/"}}', /paths\.sessions \(_AGENTS\/sessions\) is the same folder as paths\.worktrees/),
  cfg('a sessions path spelled with //', '{"paths":{"sessions":"_AGENTS//sessions"}}', /paths\.sessions: must be written as git writes paths/),
  // every git call names the paths as pathspecs: magic and wildcards would match other paths
  cfg('a sessions path that is pathspec magic', '{"paths":{"sessions":":(icase)_agents/sessions"}}', /paths\.sessions: must not start with ":"/),
  cfg('a lock file path with a wildcard', '{"paths":{"lockFile":"_AGENTS/sessions/*.lock"}}', /paths\.lockFile: must not start with ":" nor hold "\*"/),
  // init reads package.json and writes the hub mode into the config: neither reads through a link
  { ...cfg('init beside a config linked to /dev/zero', { symlink: '/dev/zero' }, /is a symbolic link, which is not followed/), args: ['init'] },
  { ...cfg('init --hub-mode beside a config linked to /dev/zero', { symlink: '/dev/zero' }, /is a symbolic link, which is not followed/), args: ['init', '--hub-mode', 'refs'] },
  { name: 'package.json linked to /dev/zero', files: { 'package.json': { symlink: '/dev/zero' } }, args: ['init'], code: 2, message: /package\.json is a symbolic link, which is not followed/ },
];

const LOCK = '_AGENTS/sessions/sessions.lock';
const lock = (name: string, content: FileSpec, message: RegExp): HostileCase => ({
  name,
  files: { [LOCK]: content },
  // the checkout's lock file (status reads the hub's branch unless --local)
  args: ['status', '--local'],
  code: 2,
  message,
});

/** Lock files: anything but `<slug>:<unix-seconds>` lines is exit 2 naming the line. */
export const LOCK_CASES: HostileCase[] = [
  lock('a word', 'garbage\n', /sessions\.lock line 1: expected <slug>:<unix-seconds>/),
  lock('NUL at the end of a line', `${REAL_SLUG}:1\u0000\n`, /line 1/),
  lock('binary', Buffer.from([0x00, 0x01, 0x02, 0xff, 0x0a]), /line 1/),
  lock('traversal slug', '../../etc:1\n', /line 1: a slug is/),
  lock('no seconds', `${REAL_SLUG}:\n`, /line 1/),
  lock('negative seconds', `${REAL_SLUG}:-5\n`, /line 1/),
  lock('trailing words', `${REAL_SLUG}:1 extra\n`, /line 1/),
  lock('second line broken', `${REAL_SLUG}:1\n$(x):2\n`, /line 2/),
  lock('10 KB line', `${'a'.repeat(10240)}:1\n`, /line 1/),
  lock('lone CR inside a line', `${REAL_SLUG}:1\r2\n`, /line 1/),
  lock('lock file is a directory', { dir: true }, /cannot be read: EISDIR/),
  lock('lock file is a symlink out of the repository', { symlink: '/etc/passwd' }, /cannot be read: ELOOP/),
  // Read bounds: refused from the size alone (a 50 MB lock made status use 1.4 GB).
  lock('2 MB on one line', 'a'.repeat(2 << 20), /sessions\.lock is 2097152 bytes, larger than the 1048576 bytes/),
  lock('2 MB of valid-looking lines', `${REAL_SLUG}:1\n`.repeat((2 << 20) / 15), /larger than the 1048576 bytes/),
];

/** Template overrides: errors name the file; nothing outside _templates/ is read; no way to Node. */
const TPL = '_AGENTS/sessions/_templates/SESSION.md.j2';
const tpl = (name: string, content: string, message: RegExp, extra: HostileCase['files'] = {}): HostileCase => ({
  name,
  files: { ...extra, [TPL]: content },
  args: ['new', '2025-10-14-tpl', '--criteria', 'c'],
  code: 2,
  message,
});
const REFUSED_AT = (construct: string) => new RegExp(`SESSION\\.md\\.j2 line 1: .*${construct}`);
export const TEMPLATE_CASES: HostileCase[] = [
  tpl('syntax error', '{% if %}\n', /SESSION\.md\.j2 line 1/),
  tpl('include ../../etc/passwd', '{% include "../../../../../../../etc/passwd" %}', REFUSED_AT('"include" is not allowed')),
  tpl('include an absolute path', '{% include "/etc/passwd" %}', REFUSED_AT('"include" is not allowed')),
  tpl('include a sibling folder sharing the prefix', '{% include "../_templates-evil/x.j2" %}', REFUSED_AT('"include" is not allowed'), { '_AGENTS/sessions/_templates-evil/x.j2': 'SECRET' }),
  tpl('include through a symlink', '{% include "link.j2" %}', REFUSED_AT('"include" is not allowed'), { '_AGENTS/sessions/_templates/link.j2': { symlink: '/etc/hostname' } }),
  tpl('extends outside', '{% extends "../../../../../etc/passwd" %}', REFUSED_AT('"extends" is not allowed')),
  tpl('import outside', '{% import "../../../../../etc/passwd" as p %}', REFUSED_AT('"import" is not allowed')),
  tpl('constructor to Node', `{{ range.constructor("return process")().getBuiltinModule("child_process").execSync("${RUN_MARKER}") }}`, REFUSED_AT('a call is not allowed')),
  tpl('string constructor chain', `{{ "".constructor.constructor("return process")().getBuiltinModule("fs").writeFileSync("x", "y") }}`, REFUSED_AT('a call is not allowed')),
  tpl('__proto__ walk', '{{ cycler.__proto__.constructor("return 1")() }}', REFUSED_AT('a call is not allowed')),
  tpl('unknown filter', '{{ TITLE | no_such_filter }}', REFUSED_AT('the filter "no_such_filter" is not allowed')),
  tpl('self include (infinite recursion)', '{% include "SESSION.md.j2" %}', /SESSION\.md\.j2/),
  // The issue's reproduction: a key whose toString answers "x" to the denylist and
  // "constructor" to the lookup reached Function through `range` and ran a shell command.
  tpl('toString that answers differently, through range', `{% set c = cycler("x", "constructor", "constructor") %}{% set o = {"toString": c.next} %}{{ range[o]("return process")().getBuiltinModule("child_process").execSync("${RUN_MARKER}") }}`, REFUSED_AT('"set" is not allowed')),
  tpl('range without a call', '{{ range }}', REFUSED_AT('"range" is not a variable')),
  tpl('member access to a context value', '{{ TITLE.constructor }}', REFUSED_AT('member access is not allowed')),
  tpl('a macro', '{% macro m() %}x{% endmacro %}{{ m() }}', REFUSED_AT('"macro" is not allowed')),
  tpl('a built-in filter given an attribute', '{{ ACCEPTANCE_CRITERIA | join(",", "constructor") }}', REFUSED_AT('takes at most 1 argument')),
  tpl('a regular expression (catastrophic backtracking)', '{{ TITLE | default(r/(a+)+$/) }}', REFUSED_AT('no regular expressions')),
  tpl('nested loops (output bomb)', `{% for a in TITLE %}{% for b in TITLE %}${'x'.repeat(1000)}{% endfor %}{% endfor %}`, REFUSED_AT('a "for" inside a "for" is not allowed')),
  tpl('replace with an empty pattern (output bomb)', `{{ TITLE | replace("", "${'x'.repeat(1000)}") }}`, REFUSED_AT('the filter "replace" is not allowed')),
  { name: 'the override is a symlink out of the repository', files: { [TPL]: { symlink: '/etc/hostname' } }, args: ['new', '2025-10-14-tpl', '--criteria', 'c'], code: 2, message: /SESSION\.md\.j2 is a symbolic link/ },
];

/**
 * SESSION.md front matter and bodies `status` must survive: exit 0, the state comes from the
 * folder (never from front matter), and no control character reaches the terminal.
 */
export const FRONT_MATTER_CASES: Array<{ name: string; content: string | Buffer }> = [
  { name: 'status lie in front matter', content: '---\nstatus: completed\nstate: active\n---\n# Lie\n' },
  { name: 'unterminated front matter', content: '---\ntitle: x\n# never closed\n' },
  { name: 'YAML tags and anchors', content: '---\ntitle: !!js/function "function(){}"\nx: &a [*a]\n---\n' },
  { name: 'NUL bytes', content: '---\ntitle: a\u0000b\n---\n\u0000\u0000' },
  { name: 'binary', content: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)) },
  { name: 'CRLF and a BOM', content: '\ufeff---\r\ntitle: crlf\r\n---\r\n# T\r\n' },
  { name: '10 KB title line', content: `# ${'t'.repeat(10240)}\n` },
  { name: 'terminal escape in the title', content: '---\ntitle: "\u001b]0;owned\u0007\u001b[2J"\n---\n' },
  { name: 'empty file', content: '' },
  { name: 'only dashes', content: '---\n---\n---\n' },
];

/** Identities claim refuses (exit 2) before it builds or pushes anything. */
export const IDENTITY_CASES: Array<{ name: string; args: string[]; env?: NodeJS.ProcessEnv; message: RegExp }> = [
  { name: 'an email with a newline', args: ['--agent-name', 'a', '--agent-email', 'a@x.test\nb'], message: /cannot store/ },
  { name: 'an email with <', args: ['--agent-name', 'a', '--agent-email', 'a<b@x.test'], message: /cannot store/ },
  { name: 'an email with >', args: ['--agent-name', 'a', '--agent-email', 'a>b@x.test'], message: /cannot store/ },
  { name: 'an empty name', args: ['--agent-name', '', '--agent-email', 'a@x.test'], message: /no agent name/ },
  { name: 'a blank name', args: ['--agent-name', ' \t ', '--agent-email', 'a@x.test'], message: /no agent name/ },
  { name: 'an empty email', args: ['--agent-name', 'a', '--agent-email', ''], message: /no agent email/ },
  { name: 'a blank AGENT_NAME', args: ['--agent-email', 'a@x.test'], env: { AGENT_NAME: '   ' }, message: /no agent name/ },
];

const envLines = (name: string, email: string) =>
  `export SESSION_SLUG={{ SESSION_SLUG }}\nexport GIT_AUTHOR_NAME=${name}\nexport GIT_AUTHOR_EMAIL=${email}\nexport GIT_COMMITTER_NAME=${name}\nexport GIT_COMMITTER_EMAIL=${email}\n`;

/** session-env.j2 overrides that try to break the quoting claim relies on. */
export const SESSION_ENV_TEMPLATE_CASES: Array<{ name: string; template: string }> = [
  { name: 'wraps a value in double quotes', template: envLines('"{{ USER_NAME }}"', '{{ USER_EMAIL }}') },
  { name: 'appends a command substitution', template: envLines(`{{ USER_NAME }}$(${RUN_MARKER})`, '{{ USER_EMAIL }}') },
  { name: 'drops a variable', template: 'export SESSION_SLUG={{ SESSION_SLUG }}\n' },
  { name: 'swaps name and email', template: envLines('{{ USER_EMAIL }}', '{{ USER_NAME }}') },
  { name: 'strips the quotes with a slice', template: envLines('{{ USER_NAME | replace("\'", "") }}', '{{ USER_EMAIL }}') },
  { name: 'adds a command line', template: `${envLines('{{ USER_NAME }}', '{{ USER_EMAIL }}')}${RUN_MARKER}\n` },
  // Inert assignments that still take over what runs next once the file is sourced.
  { name: 'adds GIT_CONFIG_* pointing core.hooksPath elsewhere', template: `${envLines('{{ USER_NAME }}', '{{ USER_EMAIL }}')}export GIT_CONFIG_COUNT=1\nexport GIT_CONFIG_KEY_0=core.hooksPath\nexport GIT_CONFIG_VALUE_0=/dev/null\n` },
  { name: 'adds PROMPT_COMMAND', template: `${envLines('{{ USER_NAME }}', '{{ USER_EMAIL }}')}PROMPT_COMMAND='${RUN_MARKER}'\n` },
  { name: 'adds BASH_ENV', template: `${envLines('{{ USER_NAME }}', '{{ USER_EMAIL }}')}export BASH_ENV=/tmp/evil.sh\n` },
  { name: 'replaces PATH', template: `export PATH=/tmp/evil\n${envLines('{{ USER_NAME }}', '{{ USER_EMAIL }}')}` },
];

const FORMAT = /commit-msg: error message-format:/;
/** Commit messages the commit-msg hook must refuse, on the main branch outside any session. */
export const MESSAGE_CASES: Array<{ name: string; content: string | Buffer; message: RegExp }> = [
  { name: 'an empty message', content: '', message: /empty/ },
  { name: 'only blank lines', content: '\n\n  \n\t\n', message: /empty/ },
  { name: 'only comments', content: '# one\n# two\n', message: /empty/ },
  { name: 'a NUL byte', content: 'no prefix\u0000[maint] chore: hidden\n', message: /NUL|message-format/ },
  { name: 'a 10 KB header', content: `[maint] chore: ${'a'.repeat(10240)}\n`, message: /header-max-length|longer than/ },
  { name: 'a 10 KB body line under a bad header', content: `bad header\n\n${'b'.repeat(10240)}\n`, message: FORMAT },
  { name: 'a 10 KB run of references', content: `bad header #${'1 #'.repeat(3400)}\n`, message: FORMAT },
  { name: '200k CRLF pairs', content: `a${'\r\n'.repeat(200_000)}b`, message: FORMAT },
  { name: 'CRLF line ends', content: 'bad header\r\n\r\nbody\r\n', message: FORMAT },
  { name: 'a BOM', content: '\ufeffbad header\n', message: FORMAT },
  { name: 'binary garbage', content: Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 131 + 7) % 256).filter((b) => b !== 0)), message: /message-format|NUL/ },
  { name: 'terminal escapes in the header', content: '\u001b]0;owned\u0007\u001b[31mred\n', message: FORMAT },
  { name: 'a traversal slug', content: '[../../etc] feat: x\n', message: FORMAT },
  { name: 'command substitution as the slug', content: `[$(${RUN_MARKER})] feat: x\n`, message: FORMAT },
  { name: 'an option as the slug', content: `[--upload-pack=${RUN_MARKER}] feat: x\n`, message: FORMAT },
  { name: 'a look-alike slug', content: '[2025-10-14-\u0430] feat: x\n', message: FORMAT },
  { name: 'the prefix alone', content: '[maint]\n', message: FORMAT },
  { name: 'no description', content: '[maint] chore:\n', message: FORMAT },
  { name: 'an upper-case type', content: '[maint] CHORE: x\n', message: FORMAT },
  { name: 'an unknown type', content: '[maint] pwn: x\n', message: FORMAT },
  { name: 'a merge header on main', content: "Merge branch 'evil'\n", message: FORMAT },
];

const SD = '_AGENTS/sessions';

/** Symlinks in a work tree: every command that would write or chmod through one refuses it (exit 2); the outside target is untouched. */
export interface SymlinkCase {
  name: string;
  /** Repo-relative path made a symlink to a file or folder outside the repository. */
  link: string;
  target: 'file' | 'dir';
  args: string[];
  message: RegExp;
}
export const SYMLINK_CASES: SymlinkCase[] = [
  { name: 'board through a BOARD.md symlink', link: `${SD}/BOARD.md`, target: 'file', args: ['board'], message: /BOARD\.md is a symbolic link/ },
  { name: 'new through a drafting folder that is a symlink', link: `${SD}/drafting`, target: 'dir', args: ['new', '2025-10-14-sym', '--criteria', 'c', '--no-commit'], message: /drafting is a symbolic link/ },
  { name: 'unready into a drafting folder that is a symlink', link: `${SD}/drafting`, target: 'dir', args: ['unready', REAL_SLUG], message: /drafting is a symbolic link/ },
  { name: 'new through a sessions folder that is a symlink', link: SD, target: 'dir', args: ['new', '2025-10-14-sym', '--criteria', 'c', '--no-commit'], message: /sessions is a symbolic link/ },
  { name: 'install-hooks through a .husky hook that is a symlink', link: '.husky/pre-commit', target: 'file', args: ['install-hooks'], message: /\.husky\/pre-commit is a symbolic link/ },
  { name: "install-hooks through husky's own .husky/_ folder as a symlink", link: '.husky/_', target: 'dir', args: ['install-hooks'], message: /\.husky\/_ is a symbolic link/ },
];

/** Session folder names with terminal controls: `status` prints them escaped, never raw. */
export const NAME_CASES: Array<{ name: string; folder: string }> = [
  { name: 'an OSC sequence that retitles the terminal', folder: 'x\u001b]0;owned\u0007' },
  { name: 'a CSI sequence that clears the screen', folder: '\u001b[2J\u001b[H' },
  { name: 'a carriage return that overwrites the line', folder: 'ok\rEVIL' },
  { name: 'a newline that fakes a line', folder: 'a\nproblem: every session was lost' },
  { name: 'a bidirectional override', folder: 'safe\u202edm.exe' },
  { name: 'a C1 control (8-bit CSI)', folder: '\u009b31mred' },
  { name: 'backspaces', folder: 'abc\b\b\bxyz' },
];

/** A session's own files are read bounded too: `ready` refuses an oversized SESSION.md (exit 2). */
export const SESSION_FILE_CASES: Array<{ name: string; content: string }> = [
  { name: 'a 2 MB SESSION.md', content: `# T\n\n## Acceptance Criteria\n- [ ] ok\n${'x'.repeat(2 << 20)}\n` },
];
