// The history walk's model counts the files of a stray (something in a state folder that is
// not a session): a folder that loses one of its two files is still there, so lifecycle does
// not take a later file in it for a new stray (a false refusal an adversarial review found).
import { describe, expect, it } from 'vitest';
import { SessionsModel, type HistoryChange } from '../../src/engine/sessions-model.ts';

const S = '_AGENTS/sessions';
const add = (path: string): HistoryChange => ({ status: 'A', path });
const del = (path: string): HistoryChange => ({ status: 'D', path });
const mod = (path: string): HistoryChange => ({ status: 'M', path });
const none = () => undefined;

function strays(model: SessionsModel, changes?: HistoryChange[]): readonly string[] {
  return model.snapshot(none, changes ? model.deltaOf(changes) : undefined).strays;
}

describe.each([
  ['deltaOf + apply', (model: SessionsModel, changes: HistoryChange[]) => model.apply(model.deltaOf(changes))],
  ['applyChanges', (model: SessionsModel, changes: HistoryChange[]) => model.applyChanges(changes)],
])('stray file counts through %s', (_name, step) => {
  it('a stray stays while one of its files is left, and goes with the last', () => {
    const model = new SessionsModel(S, `${S}/sessions.lock`);
    step(model, [add(`${S}/active/Legacy/a`), add(`${S}/active/Legacy/b`), add(`${S}/planned/notes.md`)]);
    expect([...strays(model)].sort()).toEqual([`${S}/active/Legacy`, `${S}/planned/notes.md`]);
    step(model, [del(`${S}/active/Legacy/a`)]);
    expect(strays(model)).toContain(`${S}/active/Legacy`);
    // a modification is not a new file: it must not keep a stray alive after its last file goes
    step(model, [mod(`${S}/active/Legacy/b`)]);
    step(model, [del(`${S}/active/Legacy/b`)]);
    expect(strays(model)).toEqual([`${S}/planned/notes.md`]);
  });
});

describe('a commit seen against the model (the view lifecycle reads)', () => {
  it('sees the stray after a deletion of one of its files, and sees it go', () => {
    const model = new SessionsModel(S, `${S}/sessions.lock`);
    model.apply(model.deltaOf([add(`${S}/active/Legacy/a`), add(`${S}/active/Legacy/b`)]));
    expect(strays(model, [del(`${S}/active/Legacy/a`), add(`${S}/active/Legacy/c`)])).toEqual([`${S}/active/Legacy`]);
    expect(strays(model, [del(`${S}/active/Legacy/a`), del(`${S}/active/Legacy/b`)])).toEqual([]);
    expect(strays(model, [mod(`${S}/active/Legacy/a`)])).toEqual([`${S}/active/Legacy`]);
  });

  it('lists a stray once per file, so a replayed listing counts the same', () => {
    const model = new SessionsModel(S, `${S}/sessions.lock`);
    model.applyChanges([add(`${S}/active/Legacy/a`), add(`${S}/active/Legacy/b`)]);
    const copy = new SessionsModel(S, `${S}/sessions.lock`);
    copy.applyChanges(model.listing());
    copy.applyChanges([del(`${S}/active/Legacy/a`)]);
    expect(strays(copy)).toEqual([`${S}/active/Legacy`]);
  });
});
