// The `[<slug>] <type>(<scope>)?!?: <description>` grammar: @commitlint/parse (the
// conventional-commits parser commitlint runs) with a parser preset for the slug prefix,
// then commitlint's header checks (type-empty, type-case, type-enum, subject-empty,
// header-max-length) applied to the parsed fields, with commitlint's wording.
// Why not @commitlint/lint itself: loading it (semver for its ignore list, es-toolkit for
// case conversions) costs ~40 ms per commit, a third of the whole hook budget, for checks
// that are one line each here. The parser is imported on first use only, so pre-commit
// (which never sees a message) does not load it.
export interface HeaderProblem {
  name: string;
  message: string;
}

export interface LintSettings {
  types: readonly string[];
  headerMaxLength: number;
}

/** conventional-commits-parser options for the slug-prefixed header. */
export const parserOpts = {
  headerPattern: /^\[([^\]\s]+)\] ([A-Za-z][\w-]*)(?:\(([^()\r\n]*)\))?(!)?: (.*)$/,
  headerCorrespondence: ['slug', 'type', 'scope', 'breaking', 'subject'],
  // No breakingHeaderPattern: the parser takes its group 3 as a BREAKING CHANGE note's text,
  // which here is the scope (undefined without one), and then crashes on `[x] feat!: y`.
  // headerPattern's (!)? group already accepts the bang.
  // No issue references: nothing here uses them, and the parser's reference scan is
  // super-linear on long word runs (a 10 KB line took minutes, hanging every hook and the
  // hub's pre-receive). test/security/hostile-messages.test.ts holds the 10 KB cases.
  issuePrefixes: [] as string[],
  referenceActions: [] as string[],
};

interface Parsed {
  header: string | null;
  type: string | null;
  subject: string | null;
}
type Parser = (message: string, options: object) => Parsed;
type Parse = (message: string, parser?: Parser, options?: object) => Promise<Parsed>;
interface HeaderParser {
  parse(message: string): Parsed;
}

let headerParser: HeaderParser | undefined;

// @commitlint/parse builds the conventional-changelog preset and a new CommitParser (which
// compiles its regexes) on every call: two thirds of the parsing time when `check` reads
// 10,000 headers. So the first call goes through @commitlint/parse, which hands the parser
// function below its merged options; that one CommitParser is then reused for every later
// header, with the very same options.
async function parseHeaderLine(line: string): Promise<Parsed> {
  if (headerParser) return headerParser.parse(line);
  const [parseModule, { CommitParser }] = await Promise.all([import('@commitlint/parse'), import('conventional-commits-parser')]);
  const mod = parseModule as unknown as { default: Parse | { default: Parse } };
  const parse = typeof mod.default === 'function' ? mod.default : mod.default.default;
  return parse(
    line,
    (message, options) => {
      const parser = new CommitParser(options);
      headerParser ??= { parse: (text) => parser.parse(text) as unknown as Parsed };
      return headerParser.parse(message);
    },
    parserOpts,
  );
}

/**
 * Problems with the header grammar of `message` (already cleaned); [] when it is valid.
 * Synchronous once the parser is loaded (a history check lints thousands of headers), a
 * promise on the first call.
 */
export function lintMessage(message: string, settings: LintSettings): HeaderProblem[] | Promise<HeaderProblem[]> {
  // Every check here reads the header only, and the parser's header is the first line: giving
  // it just that line skips its body, footer and note scanning (a third of `check`'s time in
  // message-format over 10,000 commits).
  const newline = message.indexOf('\n');
  const line = newline === -1 ? message : message.slice(0, newline);
  // The parser throws ("Expected a raw commit") on a blank header, e.g. a lone BOM line
  // followed by text: such a header has no type and no subject, which is what it is told.
  if (line.trim() === '') return problemsOf({ header: line, type: null, subject: null }, settings);
  if (isCleanHeader(line, settings)) return [];
  if (headerParser) return problemsOf(headerParser.parse(line), settings);
  return parseHeaderLine(line).then((parsed) => problemsOf(parsed, settings));
}

/**
 * A header the parser would accept with no problem, told by the parser's own header pattern:
 * no surrounding whitespace (then the parser's header is the line itself), a lower-case type
 * of the configured list, a non-blank subject, within the length. Most headers of a history
 * are such; they skip the parser (and a short hook never loads it). Anything else goes
 * through the parser, so what is reported, and how, does not change.
 */
function isCleanHeader(line: string, settings: LintSettings): boolean {
  if (line.length > settings.headerMaxLength || line !== line.trim()) return false;
  const match = parserOpts.headerPattern.exec(line);
  if (!match) return false;
  const type = match[2]!;
  return type === type.toLowerCase() && settings.types.includes(type) && match[5]!.trim() !== '';
}

/** lintMessage without the clean-header shortcut: always through the parser (tests compare the two). */
export async function lintMessageByParser(message: string, settings: LintSettings): Promise<HeaderProblem[]> {
  const newline = message.indexOf('\n');
  const line = newline === -1 ? message : message.slice(0, newline);
  if (line.trim() === '') return problemsOf({ header: line, type: null, subject: null }, settings);
  return problemsOf(await parseHeaderLine(line), settings);
}

function problemsOf(parsed: Parsed, settings: LintSettings): HeaderProblem[] {
  const problems: HeaderProblem[] = [];
  const header = parsed.header ?? '';
  const type = parsed.type ?? '';
  if (header !== header.trim()) problems.push({ name: 'header-trim', message: 'header must not be surrounded by whitespace' });
  if (type === '') problems.push({ name: 'type-empty', message: 'type may not be empty' });
  else {
    if (type !== type.toLowerCase()) problems.push({ name: 'type-case', message: 'type must be lower-case' });
    if (!settings.types.includes(type)) problems.push({ name: 'type-enum', message: `type must be one of [${settings.types.join(', ')}]` });
  }
  if ((parsed.subject ?? '').trim() === '') problems.push({ name: 'subject-empty', message: 'subject may not be empty' });
  if (header.length > settings.headerMaxLength) {
    problems.push({ name: 'header-max-length', message: `header must not be longer than ${settings.headerMaxLength} characters, current length is ${header.length}` });
  }
  return problems;
}
