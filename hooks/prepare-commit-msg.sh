#!/bin/sh
# prepare-commit-msg <file> [source] [sha]: inside a session, puts "[<slug>] " in front of
# a message that lacks a "[...]" prefix, so agents only write "<type>: <description>".
# Pure sh on purpose, shell builtins only but for one `cat` and one `mv` when the message changes (no
# grep/sed/awk): this hook runs on every commit, --no-verify cannot skip it, and it must cost
# no Node start-up and time linear in the message. It never fails the commit: every path
# ends in exit 0.
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
  [ -f "$gitdir/HEAD" ] && { read -r head < "$gitdir/HEAD" || true; }
  case "$head" in
    "ref: refs/heads/"*) branch=${head#ref: refs/heads/} ;;
    *)
      branch=""
      for d in rebase-merge rebase-apply; do
        if [ -f "$gitdir/$d/head-name" ]; then read -r branch < "$gitdir/$d/head-name" || true; branch=${branch#refs/heads/}; break; fi
      done
      ;;
  esac
  # git.branchPrefix from agent-sessions.config.json (default "session/"), read line by line.
  prefix="session/"
  if [ -f agent-sessions.config.json ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in
        *'"branchPrefix"'*)
          value=${line#*\"branchPrefix\"}; value=${value#*\"}; value=${value%%\"*}
          [ -n "$value" ] && prefix=$value
          break ;;
      esac
    done < agent-sessions.config.json
  fi
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

# Two linear passes (the message may be 20,000 lines and --no-verify does not skip this hook,
# so nothing here may grow with the square of its size: no string built up line by line).
# Pass 1 reads only up to the header: the first line that is neither blank nor a comment.
# It needs the prefix unless it has one or is git's own form; most messages end here.
action="" # blank: line $at is the editor's empty first line; prefix: line $at; top: a new line 1
at=0
n=0
while IFS= read -r line || [ -n "$line" ]; do
  n=$((n + 1))
  if [ "$n" = 1 ] && [ -z "$source" ]; then
    # Plain editor commit: git's template starts with an empty line for the message, then
    # comments (in core.commentChar, which may not be '#'): the prefix goes on that line.
    case "$line" in
      *[![:space:]]*) ;;
      *) action=blank; at=1; break ;;
    esac
  fi
  case "$line" in
    '#'*) ;;
    *[![:space:]]*)
      case "$line" in
        '['*|'Merge '*|'Revert "'*|'Reapply "'*|'fixup! '*|'squash! '*|'amend! '*) exit 0 ;;
      esac
      action=prefix; at=$n; break ;;
  esac
done < "$file"
if [ -z "$action" ]; then
  # No header yet: an editor commit from an empty template gets the prefix on its first line.
  [ -z "$source" ] || [ "$source" = template ] || exit 0
  action=top
fi

# Pass 2 writes the message once to a file beside it, then moves it in place: the lines up
# to the header through the shell, the rest with one `cat` (sh's `read` takes a byte per
# system call, so a long body is copied by cat, from the same file offset).
tmp="$file.agent-sessions.$$"
n=0
{
  [ "$action" = top ] && printf '%s\n' "[$slug] "
  while [ "$n" -lt "$at" ] && { IFS= read -r line || [ -n "$line" ]; }; do
    n=$((n + 1))
    if [ "$n" = "$at" ]; then
      if [ "$action" = blank ]; then line="[$slug] "; else line="[$slug] ${line#"${line%%[![:space:]]*}"}"; fi
    fi
    printf '%s\n' "$line"
  done
  cat
} < "$file" > "$tmp" 2>/dev/null && mv -f "$tmp" "$file" 2>/dev/null
[ -f "$tmp" ] && rm -f "$tmp" 2>/dev/null
exit 0
