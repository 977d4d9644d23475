// The guard core: one ToolCall (from any agent's adapter) in, the policy's findings out. The
// facts that need git or the config are computed on first use: most tool calls never need them.
import { resolve } from 'node:path';
import { defaultConfig, loadConfig, type Config } from '../config.ts';
import { findTopLevel, gitSync } from '../git.ts';
import type { ToolCall, Verdict } from './adapters/types.ts';
import { checkFileWrite, checkShellLine, mayReachSessionFile, type Finding, type PolicyFacts } from './policy.ts';

export function factsFor(baseDir: string): PolicyFacts {
  let config: Config | undefined;
  const load = (): Config => {
    if (config) return config;
    config = defaultConfig();
    const top = findTopLevel(baseDir);
    try {
      if (top) config = loadConfig(top);
    } catch {
      /* a broken config is doctor's business; judge with the defaults */
    }
    return config;
  };
  return {
    // Paths in the command are judged from the agent's directory, not the hook process's.
    cwd: baseDir,
    // Only a name that is not a git command is looked up (one git process, rarely).
    gitAlias: (name, dir) => {
      try {
        return gitSync(['config', '--get', `alias.${name}`], { cwd: dir }).replace(/\n$/, '') || undefined;
      } catch {
        return undefined;
      }
    },
    get mainBranch() {
      return load().git.mainBranch;
    },
    get sessionsPath() {
      return load().paths.sessions;
    },
    currentBranch: (dir) => {
      try {
        return gitSync(['symbolic-ref', '--short', '-q', 'HEAD'], { cwd: dir ? resolve(baseDir, dir) : baseDir }).trim() || undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** The policy's findings for one tool call. */
export function judgeCall(call: ToolCall): Finding[] {
  if (call.kind === 'shell') return checkShellLine(call.command, factsFor(call.cwd));
  if (call.kind === 'write') {
    const findings: Finding[] = [];
    for (const path of call.paths) {
      const file = resolve(call.cwd, path);
      // Only a path that may reach a SESSION.md (by name, or a link or hard link to one) can be
      // refused: skip the config load for every other write.
      const finding = mayReachSessionFile(file) ? checkFileWrite(file, factsFor(call.cwd)) : undefined;
      if (finding) findings.push(finding);
    }
    return findings;
  }
  return [];
}

export function verdictOf(findings: readonly Finding[]): Verdict {
  if (!findings.length) return { decision: 'allow', reason: '', fix: '' };
  return { decision: 'block', reason: findings.map((f) => f.reason).join('; '), fix: findings.map((f) => f.fix).join('; ') };
}
