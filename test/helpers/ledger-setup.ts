// Setup file: records every test of the hostile suites that passed in the case ledger, under
// its file and top-level describe, with no code in the suites themselves (see case-ledger.ts).
import { basename } from 'node:path';
import { beforeEach } from 'vitest';
import { recordEntry } from './case-ledger.ts';

const HOSTILE = /^hostile-.*\.test\.ts$/;

beforeEach(({ task, onTestFinished }) => {
  const file = basename(task.file.filepath ?? task.file.name);
  if (!HOSTILE.test(file) || file === 'hostile-count.test.ts') return;
  let top = task.suite;
  while (top?.suite && top.suite !== (task.file as unknown)) top = top.suite;
  onTestFinished(({ task: done }) => {
    if (done.result?.state === 'pass') recordEntry({ file, suite: top?.name ?? '', test: done.name });
  });
});
