// `check --range <base>..<end>` judges a merge built on the base against the base, as the hub
// judges a push against the old tip of its branch. The walk compared the base with parent ids,
// so a base given by name (origin/main, as the README writes it) matched no parent: such a
// merge was judged against whichever parent suited it, and passed where the hub refuses it.
import { describe, expect, it } from 'vitest';
import { alice, claim, cleanHistory, PLANNED, planner } from './helpers/history.ts';
import { gitTry, makeRepo } from './helpers/repo.ts';

describe('check --range with a base given by name', () => {
  it('judges a merge built on the base against it, as with the base given by id', () => {
    const repo = makeRepo();
    cleanHistory(repo);
    const before = repo.git('rev-parse', 'HEAD').trim();
    const tip = claim(repo, PLANNED, alice);
    repo.git('update-ref', 'refs/remotes/origin/main', tip);
    // On top of the tip, a legal commit; beside it, a side line from before the claim; and a
    // merge of the two that keeps the side's tree. Against the side it changes nothing;
    // against the line on top of the tip it undoes the claim (the session back in planned/).
    const env = { GIT_AUTHOR_NAME: planner.name, GIT_AUTHOR_EMAIL: planner.email, GIT_COMMITTER_NAME: planner.name, GIT_COMMITTER_EMAIL: planner.email };
    const commitTree = (tree: string, parents: string[], message: string) =>
      gitTry(repo.dir, ['commit-tree', `${tree}^{tree}`, ...parents.flatMap((p) => ['-p', p]), '-m', message], env).stdout.trim();
    const onTop = commitTree(tip, [tip], '[maint] chore: on top');
    const side = commitTree(before, [before], '[maint] chore: side');
    repo.git('update-ref', 'HEAD', commitTree(before, [side, onTop], '[maint] chore: merge'));
    for (const base of ['origin/main', tip]) {
      const result = repo.cli(['check', '--range', `${base}..HEAD`, '--json']);
      expect(result.code, `${base}: ${result.stdout}${result.stderr}`).toBe(1);
      expect((result.json?.violations ?? []).length, base).toBeGreaterThan(0);
    }
  });
});
