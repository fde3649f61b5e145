#!/usr/bin/env bash
# Sets up a machine for Quire, then starts the stack or runs the tests.
#   bash scripts/dev.sh start   # set up, build, start nats-server + every service (pnpm start)
#   bash scripts/dev.sh test    # set up, build, check generated code, run the whole test suite
# Set-up is idempotent: Node 24 and pnpm come from the npm registry (into ~/.quire-tools) when
# the machine's Node is older, nats-server from apt when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

TOOLS="${QUIRE_TOOLS_DIR:-$HOME/.quire-tools}"
export PATH="$TOOLS/bin:$PATH:/usr/sbin"
log() { printf '[setup] %s\n' "$*" >&2; }

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 24 ]; then
  log "Node $(node -v 2>/dev/null || echo none) is older than 24: installing Node 24 LTS into $TOOLS"
  # No --allow-scripts: the package already carries the binary, and the flag breaks its nested install.
  npm install -g --prefix "$TOOLS" node@24 >&2
  hash -r
fi
if ! command -v pnpm >/dev/null || [ "$(pnpm -v | cut -d. -f1)" -lt 10 ]; then
  log "installing pnpm 10 into $TOOLS"
  npm install -g --prefix "$TOOLS" pnpm@10 >&2
  hash -r
fi
if ! command -v nats-server >/dev/null; then
  log "installing nats-server from apt"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >&2 && $SUDO apt-get install -y -qq nats-server >&2
fi
log "node $(node -v), pnpm $(pnpm -v), $(nats-server --version)"

pnpm install --frozen-lockfile >&2
case "${1:-}" in
  start) exec pnpm start ;;   # build, then scripts/start.mjs
  test) exec pnpm test ;;     # build, check generated code, vitest run
  setup) pnpm -s build && log "set up" ;;
  *) echo "usage: bash scripts/dev.sh start|test|setup" >&2; exit 2 ;;
esac
