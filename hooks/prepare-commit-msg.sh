#!/bin/sh
# prepare-commit-msg <file> [source] [sha]: inside a session, puts "[<slug>] " in front of
# a message that lacks a "[...]" prefix, so agents only write "<type>: <description>".
# Pure sh on purpose: this hook runs on every commit, --no-verify cannot skip it, and it
# must cost no Node start-up. It never fails the commit: every path ends in exit 0.
file="$1"
source="${2-}"
case "$source" in
  merge|squash|commit) exit 0 ;; # git's own merge/squash text, or -c/-C/--amend: leave alone
esac
[ -f "$file" ] || exit 0

slug="${SESSION_SLUG-}"
if [ -z "$slug" ]; then
  # git starts hooks at the top of the work tree; find its git dir without spawning git.
  if [ -n "${GIT_DIR-}" ]; then gitdir=$GIT_DIR
  elif [ -d .git ]; then gitdir=.git
  elif [ -f .git ]; then read -r gitdir < .git || true; gitdir=${gitdir#gitdir: }
  else exit 0
  fi
  head=""
  if [ -f "$gitdir/HEAD" ]; then read -r head < "$gitdir/HEAD" || true; fi
  case "$head" in
    "ref: refs/heads/"*) branch=${head#ref: refs/heads/} ;;
    *)
      branch=""
      for d in rebase-merge rebase-apply; do
        if [ -f "$gitdir/$d/head-name" ]; then read -r branch < "$gitdir/$d/head-name" || true; branch=${branch#refs/heads/}; break; fi
      done
      ;;
  esac
  prefix=""
  if [ -f agent-sessions.config.json ]; then
    prefix=$(sed -n 's/.*"branchPrefix"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' agent-sessions.config.json 2>/dev/null | head -n 1)
  fi
  [ -n "$prefix" ] || prefix="session/"
  case "$branch" in
    "$prefix"*) slug=${branch#"$prefix"} ;;
    *) exit 0 ;;
  esac
fi
# Only a real slug (date-led or kb-, lowercase kebab) is ever written into a message.
case "$slug" in
  ''|*[!a-z0-9-]*) exit 0 ;;
  [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]-*|kb-[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]-*) ;;
  *) exit 0 ;;
esac

# The first line that is neither blank nor a comment is the header.
header=$(grep -v -e '^[[:space:]]*$' -e '^#' "$file" 2>/dev/null | head -n 1)
case "$header" in
  '['*) exit 0 ;;                                   # already prefixed ([slug], [maint], ...)
  'Merge '*|'Revert "'*|'Reapply "'*|'fixup! '*|'squash! '*|'amend! '*) exit 0 ;;
esac
tmp="$file.as-tmp.$$"
if [ -z "$header" ]; then
  [ -z "$source" ] || [ "$source" = template ] || exit 0
  # Editor commit with an empty template: offer the prefix on the first line.
  { printf '[%s] ' "$slug"; cat "$file"; } > "$tmp" 2>/dev/null && mv "$tmp" "$file" 2>/dev/null
else
  awk -v p="[$slug] " -v h="$header" 'done == 0 && $0 == h { print p $0; done = 1; next } { print }' "$file" > "$tmp" 2>/dev/null && mv "$tmp" "$file" 2>/dev/null
fi
rm -f "$tmp" 2>/dev/null
exit 0
