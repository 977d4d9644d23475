// The hook handlers by name: one table for the bundled runner (dist/hook.cjs) and for the
// `agent-sessions hook <name>` verb. Literal imports, so the bundler inlines each handler.
export type Handler = { run(args: readonly string[]): Promise<number> };

export const handlers: Readonly<Record<string, () => Promise<Handler>>> = {
  'commit-msg': () => import('./commit-msg.ts'),
  'pre-commit': () => import('./pre-commit.ts'),
  'post-checkout': () => import('./post-checkout.ts'),
  'post-merge': () => import('./post-merge.ts'),
  'post-rewrite': () => import('./post-merge.ts'),
  'pre-push': () => import('./pre-push.ts'),
  'pre-receive': () => import('./pre-receive.ts'),
};
