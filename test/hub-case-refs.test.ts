// A ref spelled like main, a session branch or a claim ref but for letter case: on a hub whose
// file system ignores case (macOS, Windows) git keeps it in the file of the ref it mimics, so a
// push of refs/heads/MAIN would move main unjudged. The hub's pre-receive refuses every such
// ref, created, moved or deleted, whatever its own file system; other refs pass as before.
import { describe, expect, it } from 'vitest';
import { caseTwinRefProblem, judgedRef } from '../src/policy/hub-refs.ts';
import { badMessage, pinnedHub, push, pusher } from './helpers/hub.ts';
import { ACTIVE, alice, commitAs } from './helpers/history.ts';
import { git, gitTry } from './helpers/repo.ts';

const judged = [judgedRef('refs/heads/main', false), judgedRef('refs/heads/session/', true), judgedRef('refs/agent-sessions/claims/', true)];

describe('caseTwinRefProblem', () => {
  it('names refs that fold onto a judged one, and only those', () => {
    for (const ref of ['refs/heads/MAIN', 'refs/heads/Main', 'refs/Heads/main', 'REFS/HEADS/MAIN', 'refs/heads/main.', 'refs/heads/Session/x', 'refs/heads/ſession/x', 'refs/heads/SESSION/2025-01-03-x', 'refs/Agent-Sessions/claims/x', 'refs/agent-sessions/CLAIMS/x', 'refs/heads/ma\u200cin', 'refs/heads/\ufeffsession/x', 'refs/agent-sessions/claims\u200d/x']) {
      expect(caseTwinRefProblem(ref, 'f'.repeat(40), false, judged), ref).toBeDefined();
    }
    for (const ref of ['refs/heads/main', 'refs/heads/session/x', 'refs/heads/session/Odd-Case', 'refs/agent-sessions/claims/x', 'refs/heads/mainline', 'refs/heads/feature/MAIN', 'refs/tags/MAIN', 'refs/heads/sessions/x', 'refs/heads/main/x', 'refs/heads/seßion/x']) {
      expect(caseTwinRefProblem(ref, 'f'.repeat(40), false, judged), ref).toBeUndefined();
    }
    const id = 'a'.repeat(40);
    const problem = caseTwinRefProblem('refs/heads/MAIN', id, false, judged)!;
    expect(problem.message).toMatch(/refs\/heads\/MAIN is refs\/heads\/main spelled otherwise/);
    expect(problem.fix).toBe(`push to the exact name: git push origin ${id}:refs/heads/main`);
    // The name under a prefix keeps its own spelling; only the prefix is put right.
    expect(caseTwinRefProblem('refs/heads/SESSION/2025-01-03-Odd', id, false, judged)!.fix).toBe(`push to the exact name: git push origin ${id}:refs/heads/session/2025-01-03-Odd`);
    expect(caseTwinRefProblem('refs/Agent-Sessions/claims\u200d/x', id, false, judged)!.fix).toBe(`push to the exact name: git push origin ${id}:refs/agent-sessions/claims/x`);
    const deletion = caseTwinRefProblem('refs/heads/Session/x', '0'.repeat(40), true, judged)!;
    expect(deletion.message).toContain('would go without a judgement');
    expect(deletion.fix).toBe('nothing to retry: the hub takes no ref under that spelling; a deletion meant for refs/heads/session/x is pushed under that exact name (git push origin :refs/heads/session/x)');
  });
});

describe('the hub refuses refs spelled like judged ones but for case', () => {
  it('a bad commit pushed to MAIN, Session/<slug> or a claim ref in other case is refused; the hub keeps no such ref', () => {
    const hub = pinnedHub();
    const agent = pusher(hub);
    const bad = badMessage.make(agent);
    const before = git(hub, 'for-each-ref', '--format=%(refname) %(objectname)');
    for (const ref of ['refs/heads/MAIN', 'refs/Heads/main', `refs/heads/Session/${ACTIVE}`, `refs/Agent-Sessions/claims/${ACTIVE}`]) {
      const pushed = push(agent, `HEAD:${ref}`);
      expect(pushed.status, ref).toBe(1);
      expect(pushed.stderr, ref).toContain(`push to ${ref} refused: ${ref} is`);
      expect(pushed.stderr, ref).toContain('spelled otherwise (letter case)');
    }
    expect(git(hub, 'for-each-ref', '--format=%(refname) %(objectname)')).toBe(before);
    expect(bad).toMatch(/^[0-9a-f]{40}$/);
  }, 120_000);

  it('a deletion under the other spelling is refused too; a good commit under the exact names and other branches pass', () => {
    const hub = pinnedHub();
    const agent = pusher(hub);
    git(hub, 'branch', 'MAIN', 'main'); // as a case-insensitive hub would show main
    const deleted = push(agent, ':refs/heads/MAIN');
    expect(deleted.status).toBe(1);
    expect(deleted.stderr).toContain('refs/heads/MAIN is refs/heads/main spelled otherwise');
    expect(deleted.stderr).toContain('fix: nothing to retry');
    expect(git(hub, 'rev-parse', '--verify', '-q', 'refs/heads/MAIN').trim()).toMatch(/^[0-9a-f]{40}$/);
    agent.write('notes.txt', 'x\n');
    commitAs(agent, alice, `[${ACTIVE}] docs: a note`, ['notes.txt']);
    const misspelled = push(agent, `HEAD:refs/heads/Session/${ACTIVE}`);
    expect(misspelled.status).toBe(1);
    // The printed fix, copied as it stands, lands the commit under the exact name.
    const fix = /fix: push to the exact name: (git push origin \S+)/.exec(misspelled.stderr)![1]!;
    const [, verb, ...args] = fix.split(' ');
    expect(gitTry(agent.dir, [verb!, '--no-verify', ...args]).status).toBe(0);
    expect(git(hub, 'rev-parse', `refs/heads/session/${ACTIVE}`).trim()).toBe(git(agent.dir, 'rev-parse', 'HEAD').trim());
    expect(push(agent, `HEAD:refs/heads/session/${ACTIVE}`).status).toBe(0);
    expect(push(agent, 'HEAD:refs/heads/feature/MAIN').status).toBe(0);
  }, 120_000);
});
