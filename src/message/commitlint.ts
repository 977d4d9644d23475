// The `[<slug>] <type>(<scope>)?!?: <description>` grammar, checked by @commitlint/lint with
// a parser preset for the slug prefix. commitlint is imported on first use only, so that the
// pre-commit hook (which never sees a message) does not pay for loading it.
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
  // Same groups as headerPattern (the parser reads them by the same correspondence).
  breakingHeaderPattern: /^\[([^\]\s]+)\] ([A-Za-z][\w-]*)(?:\(([^()\r\n]*)\))?(!): (.*)$/,
  commentChar: undefined,
};

type Lint = (message: string, rules: Record<string, unknown>, options: Record<string, unknown>) => Promise<{ valid: boolean; errors: { name: string; message: string }[] }>;

let lintFn: Lint | undefined;

async function loadLint(): Promise<Lint> {
  if (!lintFn) {
    const mod = (await import('@commitlint/lint')) as unknown as { default: Lint | { default: Lint } };
    lintFn = typeof mod.default === 'function' ? mod.default : mod.default.default;
  }
  return lintFn;
}

/** Problems with the header grammar of `message` (already cleaned); [] when it is valid. */
export async function lintMessage(message: string, settings: LintSettings): Promise<HeaderProblem[]> {
  const lint = await loadLint();
  const rules = {
    'type-empty': [2, 'never'],
    'type-case': [2, 'always', 'lower-case'],
    'type-enum': [2, 'always', [...settings.types]],
    'subject-empty': [2, 'never'],
    'header-max-length': [2, 'always', settings.headerMaxLength],
    'header-trim': [2, 'always'],
  };
  const result = await lint(message, rules, { parserOpts, defaultIgnores: false });
  return result.errors.map((e) => ({ name: e.name, message: e.message }));
}
