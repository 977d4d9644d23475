// What the guard blocks, judged on parsed commands (see shell.ts). Pure: the caller passes the
// facts that need the file system or git (current branch, main branch name, sessions path).
import { shortFlags, simpleCommands, type SimpleCommand } from './shell.ts';

export interface Finding {
  /** Stable id, e.g. "git-add-all". */
  id: string;
  /** What was seen and why it is refused. */
  reason: string;
  /** What to do instead. */
  fix: string;
}

export interface PolicyFacts {
  mainBranch: string;
  /** Repo-relative sessions folder, e.g. `_AGENTS/sessions`. */
  sessionsPath: string;
  /** The branch checked out where a command runs (for `git push -f` without a refspec). */
  currentBranch(dir: string | undefined): string | undefined;
}

// git's global options that take a separate value (`git -C dir`, `git -c k=v`).
const GIT_VALUED = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--config-env', '--exec-path', '--super-prefix', '--attr-source']);

interface GitCall {
  sub: string;
  args: string[];
  configs: string[];
  dir?: string;
  env: Record<string, string>;
}

function asGitCall(command: SimpleCommand): GitCall | undefined {
  const [head, ...rest] = command.argv;
  if (!head || head.split('/').pop() !== 'git') return undefined;
  const configs: string[] = [];
  let dir = command.cdDir;
  let i = 0;
  while (i < rest.length && rest[i]!.startsWith('-')) {
    const word = rest[i]!;
    if (GIT_VALUED.has(word)) {
      if (word === '-c') configs.push(rest[i + 1] ?? '');
      if (word === '-C') dir = rest[i + 1];
      i += 2;
    } else i += 1;
  }
  const sub = rest[i];
  if (!sub) return undefined;
  return { sub, args: rest.slice(i + 1), configs, ...(dir !== undefined ? { dir } : {}), env: command.env };
}

const SWEEPING_PATHSPECS = new Set(['.', './', ':/', ':', ':(top)', '*', ':/*', './*', '-A']);

function checkAdd(call: GitCall): Finding | undefined {
  let sweeping: string | undefined;
  let afterDashes = false;
  for (const word of call.args) {
    if (!afterDashes && word === '--') {
      afterDashes = true;
      continue;
    }
    if (!afterDashes && (word === '--all' || word === '--no-ignore-removal' || shortFlags(word).includes('A'))) sweeping = word;
    else if ((afterDashes || !word.startsWith('-')) && (SWEEPING_PATHSPECS.has(word) || /^(\.\.?\/?)+$/.test(word))) sweeping = word;
  }
  if (!sweeping) return undefined;
  return {
    id: 'git-add-all',
    reason: `\`git ${call.sub} ${sweeping}\` stages everything in the tree, including other sessions' files and stray untracked files`,
    fix: 'stage the files you changed by name: git add <path> [<path>...] (see `git status --short`)',
  };
}

const COMMIT_VALUED = new Set(['m', 'F', 'C', 'c', 't', 'S']);
const COMMIT_VALUED_LONG = new Set(['--message', '--file', '--reuse-message', '--reedit-message', '--template', '--author', '--date', '--fixup', '--squash', '--trailer', '--cleanup', '--pathspec-from-file']);

function skipsHooks(call: GitCall): string | undefined {
  const hooksPath = call.configs.find((c) => /^core\.hookspath=/i.test(c));
  if (hooksPath) return `-c ${hooksPath}`;
  if (call.env.AGENT_SESSIONS === '0') return 'AGENT_SESSIONS=0';
  if (call.env.HUSKY === '0') return 'HUSKY=0';
  return undefined;
}

function checkCommit(call: GitCall): Finding | undefined {
  let noVerify: string | undefined = skipsHooks(call);
  for (let i = 0; i < call.args.length; i++) {
    const word = call.args[i]!;
    if (word === '--') break;
    if (word.startsWith('--')) {
      const name = word.split('=')[0]!;
      if (name.length >= 9 && '--no-verify'.startsWith(name)) noVerify = word;
      else if (name === '--verify') noVerify = undefined;
      else if (COMMIT_VALUED_LONG.has(name) && !word.includes('=')) i += 1;
      continue;
    }
    const flags = shortFlags(word);
    for (let f = 0; f < flags.length; f++) {
      const flag = flags[f]!;
      if (flag === 'n') {
        noVerify = word;
        break;
      }
      if (COMMIT_VALUED.has(flag)) {
        // The rest of the cluster is that option's value, or else the next word is.
        if (f === flags.length - 1 && flag !== 'S') i += 1;
        break;
      }
    }
  }
  if (!noVerify) return undefined;
  return {
    id: 'commit-no-verify',
    reason: `\`git commit ${noVerify}\` skips the protocol's commit hooks (message format, read-only SESSION.md, staged scope)`,
    fix: 'commit without skipping hooks; if a hook refuses, read its message and fix what it names (CI and the hub check skipped commits anyway)',
  };
}

function checkPush(call: GitCall, facts: PolicyFacts): Finding | undefined {
  const skip = skipsHooks(call);
  let force: string | undefined;
  let everything = false;
  const positional: string[] = [];
  for (let i = 0; i < call.args.length; i++) {
    const word = call.args[i]!;
    if (word.startsWith('--')) {
      const name = word.split('=')[0]!;
      if (name === '--force' || name === '--force-with-lease' || name === '--force-if-includes') force = word;
      else if (name.length >= 9 && '--no-verify'.startsWith(name)) {
        return {
          id: 'push-no-verify',
          reason: `\`git push ${word}\` skips the pre-push check of the protocol`,
          fix: 'push without --no-verify; if pre-push refuses, fix what it names',
        };
      } else if (name === '--all' || name === '--mirror') everything = true;
      else if ((name === '--repo' || name === '--receive-pack' || name === '--exec') && !word.includes('=')) i += 1;
      continue;
    }
    const flags = shortFlags(word);
    if (flags.length) {
      if (flags.includes('f')) force = word;
      if (flags.includes('o')) i += word.endsWith('o') ? 1 : 0;
      continue;
    }
    positional.push(word);
  }
  if (skip) {
    return {
      id: 'push-no-verify',
      reason: `\`${skip}\` skips the pre-push check of the protocol`,
      fix: 'push with the hooks in place; if pre-push refuses, fix what it names',
    };
  }
  const refspecs = positional.slice(1);
  const main = facts.mainBranch;
  const targetsMain = (spec: string) => {
    const dst = (spec.includes(':') ? spec.slice(spec.lastIndexOf(':') + 1) : spec).replace(/^\+/, '');
    const resolved = dst === 'HEAD' || dst === '' ? facts.currentBranch(call.dir) : dst;
    return resolved === main || resolved === `refs/heads/${main}`;
  };
  const deletesMain = refspecs.find((spec) => (spec.startsWith(':') || call.args.some((a) => a === '--delete' || shortFlags(a).includes('d'))) && targetsMain(spec));
  if (deletesMain) {
    return {
      id: 'force-push-main',
      reason: `\`git push ${deletesMain}\` would delete ${main} on the hub`,
      fix: `never delete ${main}; to drop a session branch, abandon or complete the session`,
    };
  }
  const plusToMain = refspecs.find((spec) => spec.startsWith('+') && targetsMain(spec));
  const forcedToMain =
    force !== undefined && (everything || (refspecs.length === 0 ? facts.currentBranch(call.dir) === main : refspecs.some(targetsMain)));
  if (!plusToMain && !forcedToMain) return undefined;
  return {
    id: 'force-push-main',
    reason: `\`git push ${plusToMain ?? force}\` would rewrite ${main} on the hub, where every claim and completion lives`,
    fix: `never force ${main}: fetch, rebase or merge onto origin/${main}, then push normally (claim/complete/abandon retry for you)`,
  };
}

/** Findings for one shell command line (the Bash tool's `command`). */
export function checkShellLine(line: string, facts: PolicyFacts): Finding[] {
  const findings: Finding[] = [];
  for (const command of simpleCommands(line)) {
    for (const target of command.writes) {
      const hit = checkFileWrite(target, facts);
      if (hit) findings.push(hit);
    }
    const call = asGitCall(command);
    if (!call) continue;
    const finding =
      call.sub === 'add' || call.sub === 'stage'
        ? checkAdd(call)
        : call.sub === 'commit'
          ? checkCommit(call)
          : call.sub === 'push'
            ? checkPush(call, facts)
            : undefined;
    if (finding) findings.push(finding);
  }
  return findings;
}

/** A write (Write/Edit tool, or a shell redirect) into SESSION.md of an active or completed session. */
export function checkFileWrite(path: string, facts: PolicyFacts): Finding | undefined {
  const posix = path.split('\\').join('/');
  const sessions = facts.sessionsPath.replace(/\/+$/, '');
  const match = new RegExp(`(?:^|/)${sessions.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(active|completed)/([^/]+)/SESSION\\.md$`).exec(posix);
  if (!match) return undefined;
  const [, state, slug] = match;
  return {
    id: 'session-md-readonly',
    reason: `${sessions}/${state}/${slug}/SESSION.md is frozen once a session is claimed: it is the plan that drift is measured against`,
    fix: `write your plan changes to active-plan.md and progress to worklog.md in the same folder; a real emergency edit needs a commit "[${slug}] OVERRIDE: <reason>"`,
  };
}
