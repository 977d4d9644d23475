import { createHash } from 'node:crypto';
import { rule } from '../../rules/session-md-readonly.ts';
import { runRuleTests } from '../helpers/rule-tester.ts';

const S = '2025-10-14-auth-system';
const D = '_AGENTS/sessions';
const md = '# Auth\n\n## Acceptance\n- works\n';
// What an OVERRIDE commit on the session branch made of SESSION.md, and git's own id for it.
const overridden = md.replace('- works', '- works on Linux (criterion narrowed by OVERRIDE)');
// git's blob id (as `git hash-object` prints it), computed here: the fast layers run no git.
const blob = (text: string, algorithm: 'sha1' | 'sha256' = 'sha1') => createHash(algorithm).update(`blob ${Buffer.byteLength(text)}\0${text}`).digest('hex');
const overriddenId = blob(overridden);
const otherId = blob('something else\n');
const trailers = (id: string) => `[${S}] feat: complete session (active -> completed)\n\nSquash-merge.\n\nSession-tip: ${'a'.repeat(40)}\nOverride: ${'b'.repeat(40)} criterion 2 is impossible\nOverride-Session-md: ${id}\n`;
const notes = '\n## Final notes (2025-10-20T00:00:00.000Z)\n\ndone\n';

runRuleTests(rule, {
  valid: [
    { name: 'an active SESSION.md made executable, text unchanged', facts: { message: `[${S}] chore: tidy`, before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/active/${S}/SESSION.md`]: md }, changes: [{ status: 'M', path: `${D}/active/${S}/SESSION.md`, mode: '100755' }] } },
    { name: 'worklog change in an active session', facts: { message: `[${S}] docs: log`, currentSession: S, before: { [`${D}/active/${S}/SESSION.md`]: md, [`${D}/active/${S}/worklog.md`]: '' }, after: { [`${D}/active/${S}/SESSION.md`]: md, [`${D}/active/${S}/worklog.md`]: 'did x' } } },
    { name: 'drafting SESSION.md is editable', facts: { message: `[${S}] docs: refine`, before: { [`${D}/drafting/${S}/SESSION.md`]: md }, after: { [`${D}/drafting/${S}/SESSION.md`]: `${md}- more\n` } } },
    { name: 'planned SESSION.md is editable', facts: { message: `[${S}] docs: refine`, before: { [`${D}/planned/${S}/SESSION.md`]: md }, after: { [`${D}/planned/${S}/SESSION.md`]: `${md}- more\n` } } },
    { name: 'OVERRIDE commit of that session', facts: { message: `[${S}] OVERRIDE: criterion 2 is impossible`, currentSession: S, before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/active/${S}/SESSION.md`]: `${md}- changed\n` } } },
    { name: 'claim moves it byte-identical', facts: { message: `[${S}] chore: claim ${S}`, before: { [`${D}/planned/${S}/SESSION.md`]: md }, after: { [`${D}/active/${S}/SESSION.md`]: md }, changes: [`R ${D}/planned/${S}/SESSION.md ${D}/active/${S}/SESSION.md`] } },
    { name: 'completion appends final notes', facts: { message: `[${S}] feat: auth system`, before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/completed/${S}/SESSION.md`]: `${md}\n## Final notes\ndone\n` } } },
    { name: 'completion moves it unchanged', facts: { message: `[${S}] feat: auth system`, before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/completed/${S}/SESSION.md`]: md } } },
    { name: 'completion carrying the OVERRIDE it names', facts: { message: trailers(overriddenId), before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/completed/${S}/SESSION.md`]: overridden } } },
    { name: 'completion carrying the OVERRIDE it names, plus notes', facts: { message: trailers(overriddenId), before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/completed/${S}/SESSION.md`]: `${overridden}${notes}` } } },
    { name: 'completion carrying the OVERRIDE it names by its SHA-256 id', facts: { message: trailers(blob(overridden, 'sha256')), before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/completed/${S}/SESSION.md`]: `${overridden}${notes}` } } },
    { name: 'completion carrying the OVERRIDE, notes after a blank line', facts: { message: trailers(overriddenId), before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/completed/${S}/SESSION.md`]: `${overridden}\n${notes}` } } },
  ],
  invalid: [
    { name: 'an active SESSION.md replaced by a gitlink with the same id (reads back the same text)', facts: { message: `[${S}] chore: tidy`, before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/active/${S}/SESSION.md`]: md }, changes: [{ status: 'T', path: `${D}/active/${S}/SESSION.md`, mode: '160000' }] }, errors: [/read-only and may not be replaced by a gitlink or link$/] },
    { name: 'a claim that turns SESSION.md into a gitlink', facts: { message: `[${S}] chore: claim ${S}`, before: { [`${D}/planned/${S}/SESSION.md`]: md }, after: { [`${D}/active/${S}/SESSION.md`]: md }, changes: [`D ${D}/planned/${S}/SESSION.md`, { status: 'A', path: `${D}/active/${S}/SESSION.md`, mode: '160000' }] }, errors: [/must move its SESSION\.md unchanged/] },
    { name: 'at pre-commit (no message yet), an edit of an active SESSION.md', facts: { currentSession: S, before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/active/${S}/SESSION.md`]: `${md}x` } }, errors: [/read-only/] },
    { name: 'an OVERRIDE without a reason does not count', facts: { message: `[${S}] OVERRIDE:`, before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/active/${S}/SESSION.md`]: `${md}x` } }, errors: 1 },
    { name: 'completion whose Override trailer is only part of another trailer', facts: { message: trailers(overriddenId).replace('\nOverride: ', '\nNot-an-Override: '), before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/completed/${S}/SESSION.md`]: overridden } }, errors: 1 },
    { name: 'completion with an Override trailer but no Override-Session-md', facts: { message: trailers(overriddenId).replace(/Override-Session-md: .*\n/, ''), before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/completed/${S}/SESSION.md`]: overridden } }, errors: [/beyond appended notes$/] },
    { name: 'completion whose Override-Session-md is only part of another trailer', facts: { message: trailers(overriddenId).replace('Override-Session-md:', 'X-Override-Session-md:'), before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/completed/${S}/SESSION.md`]: overridden } }, errors: 1 },
    { name: 'completion whose Override-Session-md id runs on', facts: { message: trailers(`${overriddenId}0`), before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/completed/${S}/SESSION.md`]: overridden } }, errors: 1 },
    { name: 'completion that drops SESSION.md', facts: { message: `[${S}] feat: auth`, before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/completed/${S}/worklog.md`]: 'x' } }, errors: [/beyond appended notes$/] },
    { name: 'completion with Override trailers that drops SESSION.md', facts: { message: trailers(overriddenId), before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/completed/${S}/worklog.md`]: 'x' } }, errors: [/and the text its Override-Session-md trailer names$/] },
    { name: 'completion whose SESSION.md is not the text its OVERRIDE trailer names', facts: { message: trailers(otherId), before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/completed/${S}/SESSION.md`]: overridden } }, errors: [/beyond appended notes/], fix: /agent-sessions complete/ },
    { name: 'completion naming the SESSION.md blob without any Override trailer', facts: { message: `[${S}] feat: x\n\nOverride-Session-md: ${overriddenId}\n`, before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/completed/${S}/SESSION.md`]: overridden } }, errors: 1 },
    { name: 'completion with the named text changed before the notes', facts: { message: trailers(overriddenId), before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/completed/${S}/SESSION.md`]: `${overridden.replace('Linux', 'anything')}${notes}` } }, errors: 1 },
    { name: 'edit of an active SESSION.md', facts: { message: `[${S}] docs: tweak`, currentSession: S, before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/active/${S}/SESSION.md`]: `${md}- sneaky\n` } }, errors: [/read-only/], fix: /OVERRIDE/ },
    { name: 'edit of a completed SESSION.md', facts: { message: '[maint] docs: tidy', before: { [`${D}/completed/${S}/SESSION.md`]: md }, after: { [`${D}/completed/${S}/SESSION.md`]: 'x' } }, errors: 1, fix: /git restore --staged --worktree/ },
    { name: 'removal of an active SESSION.md', facts: { message: `[${S}] chore: rm`, before: { [`${D}/active/${S}/SESSION.md`]: md }, after: {} }, errors: [/may not be removed/] },
    { name: 'OVERRIDE of another session does not count', facts: { message: '[2025-10-15-other] OVERRIDE: because', before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/active/${S}/SESSION.md`]: 'x' } }, errors: 1 },
    { name: 'claim that edits SESSION.md', facts: { message: `[${S}] chore: claim ${S}`, before: { [`${D}/planned/${S}/SESSION.md`]: md }, after: { [`${D}/active/${S}/SESSION.md`]: `${md}x` } }, errors: [/unchanged/] },
    { name: 'claim with OVERRIDE still must be identical', facts: { message: `[${S}] OVERRIDE: why not`, before: { [`${D}/planned/${S}/SESSION.md`]: md }, after: { [`${D}/active/${S}/SESSION.md`]: `${md}x` } }, errors: 1 },
    { name: 'completion that rewrites instead of appending', facts: { message: `[${S}] feat: auth`, before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/completed/${S}/SESSION.md`]: 'rewritten' } }, errors: [/beyond appended notes/] },
  ],
});
