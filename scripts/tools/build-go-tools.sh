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
bin="$root/.tools/go/bin"
newer_toolchain=${HC_GO_TOOLCHAIN_FALLBACK:-go1.27.3}
say() { [ -n "${CI:-}" ] && [ "${HC_VERBOSE:-}" != 1 ] && return 0; echo "tools: $*" >&2; }

wanted=("$@")
is_wanted() { [ ${#wanted[@]} -eq 0 ] && return 0; local w; for w in "${wanted[@]}"; do [ "$w" = "$1" ] && return 0; done; return 1; }

todo=()
while IFS=$'\t' read -r name module version package mode goenv; do
  case "$name" in ''|'#'*) continue ;; esac
  is_wanted "$name" || continue
  [ -x "$bin/$name" ] && [ "$(cat "$bin/$name.version" 2>/dev/null)" = "$module@$version" ] && continue
  todo+=("$name|$module|$version|$package|$mode|${goenv:-}")
done <"$table"
[ ${#todo[@]} -eq 0 ] && exit 0

if ! command -v go >/dev/null 2>&1; then
  names=$(printf '%s\n' "${todo[@]}" | cut -d'|' -f1 | tr '\n' ' ')
  echo "tools: no Go toolchain on this machine: not building ${names% }; the checks that need them skip with that reason (install Go 1.26+ and rerun the bootstrap)" >&2
  exit 0
fi

mkdir -p "$bin" "$root/.tools/go/logs"
export GOFLAGS=-mod=mod
failed=()
for entry in "${todo[@]}"; do
  IFS='|' read -r name module version package mode goenv <<<"$entry"
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
