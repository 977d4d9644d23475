// The OpenCode plugin init writes: "tool.execute.before" pipes {tool, args, cwd} to the guard
// and throws (which blocks the tool) when the guard refuses or crashes. Only a missing bin lets
// the call through, with a warning: a fresh clone must still be able to run `npm install`.
import { GUARD_MARK } from './commands.ts';

export function opencodePlugin(bin: string): string {
  return `// ${GUARD_MARK}: OpenCode plugin written by agent-sessions init (re-run init to update it).
// guard bin: ${bin}
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

function guardBin(dir) {
  const git = (...args) => spawnSync("git", ["-C", dir, ...args], { encoding: "utf8" }).stdout?.trim() ?? "";
  const inCheckout = join(git("rev-parse", "--show-toplevel"), ${JSON.stringify(bin)});
  if (existsSync(inCheckout)) return inCheckout;
  return join(git("rev-parse", "--path-format=absolute", "--git-common-dir"), "..", ${JSON.stringify(bin)});
}

export const AgentSessionsGuard = async ({ directory }) => ({
  "tool.execute.before": async (input, output) => {
    const bin = guardBin(directory);
    if (!existsSync(bin)) {
      console.warn("agent-sessions guard: " + bin + " is missing (run npm install); " + input.tool + " not checked");
      return;
    }
    const run = spawnSync(bin, ["guard", "--agent", "opencode"], {
      input: JSON.stringify({ tool: input.tool, args: output.args, cwd: directory }),
      encoding: "utf8",
    });
    if (run.status !== 0) throw new Error(run.stderr || run.error?.message || "agent-sessions guard failed");
  },
});
`;
}
