// staged-scope (pre-commit only): what a session stages must be its own.
// Always refused: anything under the worktrees or clones folder (a file, or the embedded
// gitlink `git add .` makes of a worktree), another session's folder, and a .session-env
// that is not the current session's.
// The `git add .` / `git add -A` signature: files that nobody stages on purpose (a log, a
// temp file, an editor backup, a .env) were added by this commit AND nothing is left
// untracked, i.e. the whole work tree was swept into the index. A hook cannot see the add
// command itself, so a deliberate `git add debug.log` of such a file passes as long as
// something else remains untracked; `allow` (globs) exempts files a project does commit.
// A merge being concluded brings other sessions' files from main: not judged.
import type { Rule, RuleReport } from '../src/engine/types.ts';
import { baseName, classifyPath } from '../src/engine/paths.ts';

/** File names that are almost never staged on purpose (matched against the base name). */
export const DEFAULT_STRAY_PATTERNS = [
  '*.log', '*.tmp', '*.temp', '*.swp', '*.swo', '*~', '.#*', '#*#', '*.bak', '*.orig', '*.rej',
  '.DS_Store', 'Thumbs.db', 'nohup.out', '*.pid', '.env', '.env.*', 'core',
];

/** Base-name globs (`*` and `?`) as ONE RegExp: one test per added file, however many patterns. */
function nameGlobs(patterns: readonly string[]): RegExp {
  const bodies = patterns.map((p) => p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.'));
  return new RegExp(`^(?:${bodies.join('|')})$`);
}

/**
 * A path glob (`**` any depth, `*` and `?` within one segment) as a RegExp. Hand-written
 * because micromatch and its helpers would add ~60 KB to the hook bundle every commit parses.
 */
export function pathGlob(pattern: string): RegExp {
  let body = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      body += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (ch === '*') body += '[^/]*';
    else if (ch === '?') body += '[^/]';
    else body += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${body}$`);
}

interface StagedScopeOptions extends Record<string, unknown> {
  /** Base-name globs of stray files (replaces the defaults). */
  strayPatterns?: string[];
  /** Path globs that are never strays (e.g. "fixtures/**\/*.log"); `**`, `*` and `?`. */
  allow?: string[];
}

export const rule: Rule<StagedScopeOptions> = {
  meta: {
    id: 'staged-scope',
    description: 'a commit stages only its own session\'s files: not another session\'s folder or .session-env, not .worktrees/ or .sessions/, not the stray files `git add .` sweeps in',
    defaultSeverity: 'error',
    runsAt: ['pre-commit'],
  },
  check(facts, options) {
    if (facts.merging) return [];
    const current = facts.currentSession;
    const { worktrees, clones } = facts.config.paths;
    const reports: RuleReport[] = [];
    const strays: string[] = [];
    const strayName = nameGlobs(Array.isArray(options.strayPatterns) ? options.strayPatterns : DEFAULT_STRAY_PATTERNS);
    const allow = Array.isArray(options.allow) ? options.allow : [];
    for (const change of facts.changes) {
      if (change.status === 'D') continue; // removing is never sweeping in
      const path = change.path;
      const c = classifyPath(path, facts.config);
      const unstage = `git restore --staged -- ${path}`;
      if (c.kind === 'worktrees' || c.kind === 'clones') {
        const folder = c.kind === 'worktrees' ? worktrees : clones;
        const what = change.mode === '160000' ? 'a session checkout as an embedded repository (gitlink)' : 'session checkout content';
        reports.push({ message: `${path} stages ${what} from ${folder}/`, fix: `git rm -r --cached -q -- ${path}; keep ${folder}/ in .gitignore (agent-sessions init adds it)`, path });
      } else if (c.kind === 'session' && c.file === '.session-env' && c.slug !== current) {
        reports.push({ message: `${path} is the identity file of session ${c.slug}; only claim writes it`, fix: unstage, path });
      } else if (c.kind === 'session' && current !== undefined && c.slug !== current) {
        reports.push({ message: `${path} belongs to session ${c.slug}, not to ${current}`, fix: unstage, path });
      } else if (change.status === 'A' && strayName.test(baseName(path))) {
        strays.push(path);
      }
    }
    if (strays.length > 0 && allow.length > 0) {
      const allowed = allow.map(pathGlob);
      strays.splice(0, strays.length, ...strays.filter((path) => !allowed.some((re) => re.test(path))));
    }
    // Only when strays were added is the (costlier) untracked list asked for.
    if (strays.length > 0 && facts.untracked().length === 0) {
      for (const path of strays) {
        reports.push({
          message: `${path} looks swept in by \`git add .\`/\`git add -A\` (a stray file, and nothing is left untracked)`,
          fix: `git restore --staged -- ${path}, then stage files by name (git add <path>...); if it is meant to be committed, add it to staged-scope's "allow" option`,
          path,
        });
      }
    }
    return reports;
  },
};

export default rule;
