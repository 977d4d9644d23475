// Placeholder handler for the post-checkout hook; replaced by the real one.
// Contract: run(args) receives git's hook arguments (stdin, if any, is read by the handler)
// and resolves to the process exit code. It must never throw a stack trace at the user.
export async function run(_args: readonly string[]): Promise<number> {
  return 0;
}
