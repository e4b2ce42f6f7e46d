#!/usr/bin/env bash
# Builds the real tools of scripts/tools/go-tools.tsv into .tools/go/bin, each only when missing or when
# its pinned version changed (a stamp beside the binary). Prints progress and each build's time.
#   scripts/tools/build-go-tools.sh [NAME...]      (default: every tool of the table)
# Without Go it says in one line which tools are missing and exits 0: the checks that need a tool then
# skip with that reason (lib/tools/go-tools.ts), never pass silently.
# GOTOOLCHAIN: the machine's Go first; a module whose go line needs newer Go is retried with
# go1.27.3 (the newest toolchain the Go module proxy serves here).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
table="$root/scripts/tools/go-tools.tsv"
bin="${HC_GO_TOOLS_BIN:-$root/.tools/go/bin}"  # the same override lib/tools/go-tools.ts reads
newer_toolchain=${HC_GO_TOOLCHAIN_FALLBACK:-go1.27.3}
say() { [ -n "${CI:-}" ] && [ "${HC_VERBOSE:-}" != 1 ] && return 0; echo "tools: $*" >&2; }

wanted=("$@")
is_wanted() { [ ${#wanted[@]} -eq 0 ] && return 0; local w; for w in "${wanted[@]}"; do [ "$w" = "$1" ] && return 0; done; return 1; }

# A tool the user already has on PATH under its own name is used as it is (lib/tools/go-tools.ts finds it
# there; the run reports its version) unless HC_BUILD_PINNED_TOOLS=1 asks for the pinned build anyway.
on_path() {
  case "$1" in crane|regctl|notation|cosign|trivy|kind|helm) command -v "$1" 2>/dev/null ;; *) return 1 ;; esac
}
todo=()
while IFS=$'\t' read -r name module version package mode checks goenv; do
  case "$name" in ''|'#'*) continue ;; esac
  is_wanted "$name" || continue
  [ -x "$bin/$name" ] && [ "$(cat "$bin/$name.version" 2>/dev/null)" = "$module@$version" ] && continue
  if [ "${HC_BUILD_PINNED_TOOLS:-}" != 1 ] && theirs=$(on_path "$name"); then
    say "using $name from PATH ($theirs, $("$theirs" version 2>&1 | grep -m1 -oE 'v?[0-9]+\.[0-9]+\.[0-9]+[^ ]*' || echo 'version unknown')) instead of building $module@$version"
    continue
  fi
  todo+=("$name|$module|$version|$package|$mode|$checks|${goenv:-}")
done <"$table"
[ ${#todo[@]} -eq 0 ] && exit 0

if ! command -v go >/dev/null 2>&1; then
  lost=$(printf '%s\n' "${todo[@]}" | awk -F'|' '{printf "%s%s (%s)", sep, $1, $6; sep="; "}')
  echo "tools: no Go toolchain and not on PATH, so these real tools are missing and the checks lose their real-tool half (the report says so too): $lost — install Go 1.26+ and rerun the bootstrap" >&2
  exit 0
fi

mkdir -p "$bin" "$root/.tools/go/logs"
export GOFLAGS=-mod=mod
failed=()
for entry in "${todo[@]}"; do
  IFS='|' read -r name module version package mode _ goenv <<<"$entry"
  log="$root/.tools/go/logs/$name.log"
  started=$SECONDS
  say "building $name ($module@$version) …"
  build() {
    local dir
    dir=$(GOTOOLCHAIN=$1 go mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    [ -n "$dir" ] || return 1
    # goenv: the tool's own build settings (its release config), e.g. GOEXPERIMENT=jsonv2 for trivy
    (cd "$dir" && if [ "$mode" = test ]; then
      env ${goenv:+$goenv} GOTOOLCHAIN=$1 go test -c -o "$bin/$name.tmp" "$package"
    else
      env ${goenv:+$goenv} GOTOOLCHAIN=$1 go build -o "$bin/$name.tmp" "$package"
    fi)
  }
  if build local >"$log" 2>&1 || { grep -q 'requires go >=\|toolchain' "$log" && build "$newer_toolchain" >>"$log" 2>&1; }; then
    mv "$bin/$name.tmp" "$bin/$name"
    echo "$module@$version" >"$bin/$name.version"
    say "built $name in $((SECONDS - started)) s"
  else
    rm -f "$bin/$name.tmp"
    failed+=("$name")
    echo "tools: could not build $name ($module@$version): $(grep -v '^go: downloading' "$log" | tail -n 2 | tr '\n' ' ')(log: $log)" >&2
  fi
done
[ ${#failed[@]} -eq 0 ] || exit 1
