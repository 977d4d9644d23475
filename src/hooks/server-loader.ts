// The hub's pre-receive starts Node on this small loader (dist/hook-loader.cjs, copied by
// install-server-hook beside the runner as agent-sessions-hook-loader.cjs), which compiles the
// runner with V8's code cache: Node 20 keeps no compile cache of its own, and compiling the
// runner's 240 KB (its top level, then every function as it first runs) was a sixth of the
// hook's time on a first push. The cache sits beside the runner, is made by the first run
// after an install (or after Node changes) and is used only for the exact runner it was made
// from: the cache holds a copy of the runner's bytes, compared with the runner's own (V8 itself
// checks only the source's length, and refuses data from another V8 or other flags). A copy,
// not a digest: a SHA-1 loaded node:crypto on every push (8-15 ms of the hook here), a byte
// comparison of 290 KB takes a few microseconds; and a file system's times (a stat) can miss
// an in-place rewrite within the same second. It is trusted as much as the runner: whoever can
// write that folder can replace the runner too.
// Nothing here judges anything: the runner does, exactly as when Node starts it directly.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants, Script } from 'node:vm';
import { prepareWalkProcess } from '../engine/walk-process.ts';

// The runner is the file beside this one named like it without "-loader": agent-sessions-hook.cjs
// on a hub (install-server-hook.ts's RUNNER_NAME), hook.cjs in dist/.
const runner = __filename.replace(/-loader\.cjs$/, '.cjs');
if (runner === __filename) throw new Error(`agent-sessions: ${__filename} is not named <runner>-loader.cjs`);
const source = readFileSync(runner);
const cacheFile = `${runner}.v8cache`; // install-server-hook.ts's CACHE_SUFFIX
/** The cache's first line; the runner's bytes follow it, then V8's data. */
const header = Buffer.from(`agent-sessions v8cache ${source.length}\n`, 'latin1');

function readCache(): Buffer | undefined {
  try {
    const data = readFileSync(cacheFile);
    const codeStart = header.length + source.length;
    if (data.length <= codeStart || !data.subarray(0, header.length).equals(header)) return undefined;
    return data.subarray(header.length, codeStart).equals(source) ? data.subarray(codeStart) : undefined;
  } catch {
    return undefined;
  }
}

/** Written once the hook has run (its functions are compiled by then), through a fresh file renamed into place. */
function writeCache(script: Script): void {
  const temp = `${cacheFile}.${process.pid}.tmp`;
  try {
    const fd = openSync(temp, 'wx', 0o644);
    try {
      // writeFileSync on a descriptor writes until everything is written.
      writeFileSync(fd, Buffer.concat([header, source, script.createCachedData()]));
      fsyncSync(fd); // on disk before the rename makes it the cache: a crash leaves the old one or none
    } finally {
      closeSync(fd);
    }
    renameSync(temp, cacheFile);
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      /* a folder the hook cannot write to: it runs without a cache */
    }
  }
}

// V8 refuses a cache made under other flags, and the pre-receive sets the walk's flags as it
// runs: the cache written at exit carried them, so the next start (without them) refused it and
// every push compiled the runner again and rewrote the cache. Set here, before compiling, they
// are the same at both ends (the runner's own call then changes nothing).
prepareWalkProcess();
// V8 checks a cache's version, flags and source length, but the checksum of its payload only
// under this flag (off in release builds): a cache damaged on disk (a flipped block, a crash
// before the data reached it) was run as code, and every push crashed, hung or misjudged
// until someone deleted the file. With it such a cache is refused and made again (the
// checksum is written under the same flag, so it is set at both ends).
process.getBuiltinModule('node:v8').setFlagsFromString('--verify-snapshot-checksum');
const cachedData = readCache();
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source.toString('utf8')}\n})`, {
  filename: runner,
  ...(cachedData ? { cachedData } : {}),
  // The runner imports a team's commitlint (or yaml) dynamically, as Node would for the file itself.
  importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
if (!cachedData || script.cachedDataRejected) process.once('exit', () => writeCache(script));
const runnerModule = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(runnerModule.exports, createRequire(runner), runnerModule, runner, __dirname);
