// The shell grammar: tree-sitter-bash (the grammar editors and code hosts use for bash) run by
// web-tree-sitter, both WebAssembly. Loaded once, when this module loads (top-level await), so
// the policy can judge synchronously. The .wasm files ship in our package's dist/ (the build
// copies them); run from source they are read from node_modules. What the runtime prints is
// dropped (AGENT_SESSIONS_DEBUG=1 shows it on stderr): stdout is the guard's answer, parsed as
// JSON by Cursor, Copilot and Cline, which take an answer that is not JSON for "go" (Cursor
// unless failClosed), and stderr is the reason Claude Code, Codex, Gemini and Windsurf show the
// model; the block's reason already says why the parser did not load.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';

export type { Node as SyntaxNode, Tree as SyntaxTree };

function wasmBytes(file: string, fromPackage: string): Uint8Array<ArrayBuffer> {
  const shipped = new URL(`./${file}`, import.meta.url);
  try {
    return new Uint8Array(readFileSync(shipped));
  } catch {
    return new Uint8Array(readFileSync(createRequire(import.meta.url).resolve(fromPackage)));
  }
}

const runtimeOutput = (text: string) => {
  if (process.env.AGENT_SESSIONS_DEBUG === '1') process.stderr.write(`${text}\n`);
};

/** fn() with console.log silenced: web-tree-sitter logs the symbols of a grammar it cannot use. */
function withoutLog<T>(fn: () => T): T {
  const log = console.log;
  console.log = (...args: unknown[]) => runtimeOutput(args.join(' '));
  try {
    return fn();
  } finally {
    console.log = log;
  }
}

async function load(): Promise<Parser> {
  // V8 compiles WebAssembly with its baseline compiler, then recompiles hot functions with the
  // optimizing one on background threads, and Node waits for those threads before it exits:
  // ~0.5 s for a 1.3 MB grammar that parses one line. The baseline code is plenty for that,
  // and compiling it all up front (on V8's threads) beats compiling each function on first call.
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--no-wasm-lazy-compilation');
  // The grammar compiles on V8's threads while the runtime starts on this one.
  const grammar = WebAssembly.compile(wasmBytes('tree-sitter-bash.wasm', 'tree-sitter-bash/tree-sitter-bash.wasm'));
  grammar.catch(() => {}); // awaited below; a rejection before then must not end the process
  await Parser.init({ wasmBinary: wasmBytes('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm'), print: runtimeOutput, printErr: runtimeOutput } as never);
  const compiled = await grammar;
  const bash = withoutLog(() => Language.loadSync(compiled));
  const parser = new Parser();
  parser.setLanguage(bash);
  return parser;
}

let parser: Parser | undefined;
let loadError: string | undefined;
try {
  parser = await load();
} catch (err) {
  // Judged later as "cannot read the command" (blocked), never as "nothing to see".
  loadError = `the shell parser did not load (${String((err as Error).message).split('\n')[0]})`;
}

/** The syntax tree of a command line, or why there is none. */
export function parseShell(text: string): { tree: Tree } | { error: string } {
  if (!parser) return { error: loadError ?? 'the shell parser did not load' };
  const tree = parser.parse(text);
  if (!tree) return { error: 'the shell parser returned no tree' };
  return { tree };
}
