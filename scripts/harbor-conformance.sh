#!/usr/bin/env bash
# The `harbor-conformance` command (package.json "bin"): bootstraps Node 24, Docker and npm dependencies
# when needed (scripts/bootstrap.sh), then runs the CLI with all arguments.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
# bootstrap.sh runs the command from the repository root; relative paths given by the user are theirs.
export HC_CALLER_CWD="${HC_CALLER_CWD:-$PWD}"
exec bash "$here/bootstrap.sh" node "$here/cli.ts" "$@"
