// The shapes of the guard table each adapter is fed: one line per kind of call the policy
// judges. A local table for now; the guard's own case table can replace SHELL_SHAPES later.
export interface ShellShape {
  command: string;
  decision: 'allow' | 'block';
  id?: string;
}

export const SHELL_SHAPES: ShellShape[] = [
  { command: 'cd src && git add -A', decision: 'block', id: 'git-add-all' },
  { command: 'git commit -nm "[s] feat: x"', decision: 'block', id: 'commit-no-verify' },
  { command: 'git push --force origin main', decision: 'block', id: 'force-push-main' },
  { command: 'git push --no-verify origin session/2026-01-01-x', decision: 'block', id: 'push-no-verify' },
  { command: 'echo x >> _AGENTS/sessions/active/2026-01-01-x/SESSION.md', decision: 'block', id: 'session-md-readonly' },
  { command: 'git add src/a.ts && git commit -m "[s] feat: x"', decision: 'allow' },
  { command: 'git log --grep "git add ."', decision: 'allow' },
];

export const WRITE_SHAPES: Array<{ path: string; decision: 'allow' | 'block' }> = [
  { path: '_AGENTS/sessions/active/2026-01-01-x/SESSION.md', decision: 'block' },
  { path: '_AGENTS/sessions/completed/2026-01-01-x/SESSION.md', decision: 'block' },
  { path: '_AGENTS/sessions/active/2026-01-01-x/worklog.md', decision: 'allow' },
  { path: 'src/SESSION.md', decision: 'allow' },
];
