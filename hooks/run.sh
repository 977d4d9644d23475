#!/bin/sh
# Entry point of every client hook agent-sessions serves; called by the shims in .husky/.
# Usage: run.sh <hook> [git's hook arguments...]
# Kept in sh so that skipping costs no Node start-up, and prepare-commit-msg (which runs
# on every commit and cannot be skipped by --no-verify) never starts Node at all.
hook="$1"
shift
# `agent-sessions doctor` proves each hook is reached (through husky, lefthook, pre-commit...)
# by running it with AGENT_SESSIONS_PROBE set: note the hook, check nothing.
if [ -n "${AGENT_SESSIONS_PROBE-}" ]; then
  echo "$hook" >>"$AGENT_SESSIONS_PROBE"
  echo "agent-sessions: AGENT_SESSIONS_PROBE set (doctor's probe), $hook checks skipped" >&2
  exit 0
fi
if [ "${AGENT_SESSIONS-}" = "0" ]; then
  echo "agent-sessions: AGENT_SESSIONS=0, $hook checks skipped" >&2
  exit 0
fi
# A push made by agent-sessions itself (claim, complete, ...) has had its main commit judged
# with the pre-push rules in that process already; starting Node again here would only
# repeat the same verdict. The hub's pre-receive and CI judge it again regardless.
if [ "$hook" = "pre-push" ] && [ -n "${AGENT_SESSIONS_PUSH_JUDGED-}" ]; then
  exit 0
fi
# A worktree that agent-sessions itself just created (claim, take-over) has had its
# SESSION.md modes set by that process, which also printed the activation line; the same
# for the local main it fast-forwards after a transition (post-merge).
if [ -n "${AGENT_SESSIONS_CHECKOUT_DONE-}" ]; then
  case "$hook" in post-checkout | post-merge) exit 0 ;; esac
fi
# `git commit --amend` rewrites no file in the work tree: SESSION.md modes cannot have changed,
# so post-rewrite after an amend starts no Node (only a rebase's needs the modes again).
if [ "$hook" = "post-rewrite" ] && [ "${1-}" = "amend" ]; then
  exit 0
fi
# ${0%/*}, not $(dirname "$0"): every fork+exec shows in the cost of a commit.
case "$0" in */*) here=${0%/*} ;; *) here=. ;; esac
# No hook opens a TLS connection (their git calls are local), and Node reads the whole
# NODE_EXTRA_CA_CERTS bundle as it starts: 35-40 ms of every hook on machines that set it.
unset NODE_EXTRA_CA_CERTS
case "$hook" in
  prepare-commit-msg) exec sh "$here/prepare-commit-msg.sh" "$@" ;;
  *) exec node "$here/../dist/hook.cjs" "$hook" "$@" ;;
esac
