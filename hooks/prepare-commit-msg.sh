#!/bin/sh
# prepare-commit-msg <file> [source] [sha]: inside a session, puts "[<slug>] " in front of
# a message that lacks a "[...]" prefix, so agents only write "<type>: <description>".
# Pure sh on purpose, and shell builtins only (no grep/sed/awk/mv forks): this hook runs on
# every commit, --no-verify cannot skip it, and it must cost no Node start-up. It never
# fails the commit: every path ends in exit 0.
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

# One pass: the first line that is neither blank nor a comment is the header; it gets the
# prefix unless it has one or is git's own form. The message is small: keep it in memory.
nl='
'
out=""
state=looking # looking -> done (prefixed or left alone)
first=1
while IFS= read -r line || [ -n "$line" ]; do
  if [ "$first" = 1 ] && [ -z "$source" ]; then
    # Plain editor commit: git's template starts with an empty line for the message, then
    # comments (in core.commentChar, which may not be '#'): the prefix goes on that line.
    case "$line" in
      *[![:space:]]*) ;;
      *) line="[$slug] "; state=done ;;
    esac
  fi
  first=0
  if [ "$state" = looking ]; then
    case "$line" in
      '#'*) ;;
      *[![:space:]]*)
        state=done
        case "$line" in
          '['*|'Merge '*|'Revert "'*|'Reapply "'*|'fixup! '*|'squash! '*|'amend! '*) exit 0 ;;
        esac
        line="[$slug] ${line#"${line%%[![:space:]]*}"}" ;;
    esac
  fi
  out="$out$line$nl"
done < "$file"
if [ "$state" = looking ]; then
  # No header yet: an editor commit from an empty template gets the prefix on its first line.
  [ -z "$source" ] || [ "$source" = template ] || exit 0
  out="[$slug] $nl$out"
fi
printf '%s' "$out" > "$file" 2>/dev/null
exit 0
