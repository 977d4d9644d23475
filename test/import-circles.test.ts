// No import circles in src/ or rules/ (madge, static and dynamic imports; `import type`
// is erased at build time and not counted). A fixture with a known circle proves the check
// can fail.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import madge from 'madge';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, tempDir } from './helpers/repo.js';

const options = {
  fileExtensions: ['ts'],
  detectiveOptions: { ts: { skipTypeImports: true, skipAsyncImports: false }, es6: { skipTypeImports: true } },
};

describe('import graph', () => {
  it('has no circle in src/ and rules/', async () => {
    const graph = await madge([join(PROJECT_ROOT, 'src'), join(PROJECT_ROOT, 'rules')], { ...options, baseDir: PROJECT_ROOT, tsConfig: join(PROJECT_ROOT, 'tsconfig.json') });
    expect(Object.keys(graph.obj()).length).toBeGreaterThan(50);
    expect(graph.circular()).toEqual([]);
  }, 60_000);

  it('finds a circle made of a dynamic import', async () => {
    const dir = tempDir('as-circle-');
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'a.ts'), "import { b } from './b.ts';\nexport const a = () => b;\n");
    writeFileSync(join(dir, 'src', 'b.ts'), "export const b = async () => (await import('./a.ts')).a;\n");
    writeFileSync(join(dir, 'src', 'c.ts'), "import type { a } from './a.ts';\nexport type C = typeof a;\n");
    const graph = await madge(join(dir, 'src'), { ...options, baseDir: dir });
    expect(graph.circular()).toEqual([['src/a.ts', 'src/b.ts']]);
  }, 60_000);
});
