// A ref spelled like main, a session branch or a claim ref but for letter case: on a hub whose
// file system ignores case (macOS, Windows) git keeps it in the file of the ref it mimics, so a
// push of refs/heads/MAIN would move main unjudged. The hub's pre-receive refuses every such
// ref, created, moved or deleted, whatever its own file system; other refs pass as before.
import { describe, expect, it } from 'vitest';
import { caseTwinRefProblem, judgedRef } from '../src/policy/hub-refs.ts';
import { badMessage, pinnedHub, push, pusher } from './helpers/hub.ts';
import { ACTIVE, alice, commitAs } from './helpers/history.ts';
import { git } from './helpers/repo.ts';

const judged = [judgedRef('refs/heads/main', false), judgedRef('refs/heads/session/', true), judgedRef('refs/agent-sessions/claims/', true)];

describe('caseTwinRefProblem', () => {
  it('names refs that fold onto a judged one, and only those', () => {
    for (const ref of ['refs/heads/MAIN', 'refs/heads/Main', 'refs/Heads/main', 'REFS/HEADS/MAIN', 'refs/heads/main.', 'refs/heads/Session/x', 'refs/heads/ſession/x', 'refs/heads/SESSION/2025-01-03-x', 'refs/Agent-Sessions/claims/x', 'refs/agent-sessions/CLAIMS/x', 'refs/heads/ma\u200cin', 'refs/heads/\ufeffsession/x', 'refs/agent-sessions/claims\u200d/x']) {
      expect(caseTwinRefProblem(ref, judged), ref).toBeDefined();
    }
    for (const ref of ['refs/heads/main', 'refs/heads/session/x', 'refs/heads/session/Odd-Case', 'refs/agent-sessions/claims/x', 'refs/heads/mainline', 'refs/heads/feature/MAIN', 'refs/tags/MAIN', 'refs/heads/sessions/x', 'refs/heads/main/x', 'refs/heads/seßion/x']) {
      expect(caseTwinRefProblem(ref, judged), ref).toBeUndefined();
    }
    const problem = caseTwinRefProblem('refs/heads/MAIN', judged)!;
    expect(problem.message).toMatch(/refs\/heads\/MAIN is refs\/heads\/main spelled otherwise/);
    expect(problem.fix).toContain('git push origin <commit>:refs/heads/main');
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
    expect(git(hub, 'rev-parse', '--verify', '-q', 'refs/heads/MAIN').trim()).toMatch(/^[0-9a-f]{40}$/);
    agent.write('notes.txt', 'x\n');
    commitAs(agent, alice, `[${ACTIVE}] docs: a note`, ['notes.txt']);
    expect(push(agent, `HEAD:refs/heads/session/${ACTIVE}`).status).toBe(0);
    expect(push(agent, 'HEAD:refs/heads/feature/MAIN').status).toBe(0);
  }, 120_000);
});
