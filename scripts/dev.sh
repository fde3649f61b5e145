#!/usr/bin/env bash
# Sets up a machine for Quire, then starts the stack or runs the tests.
#   bash scripts/dev.sh start   # set up, build, start nats-server + every service (pnpm start)
#   bash scripts/dev.sh test    # set up, build, check generated code, run the whole test suite
#   bash scripts/dev.sh setup   # set up and build only
# Set-up is idempotent: Node 24 and pnpm come from the npm registry (into ~/.quire-tools) when
# the machine's Node is older, nats-server from apt when it is missing. When Node or pnpm come
# from ~/.quire-tools, set-up writes .quire/env.sh (source it to put them on PATH) and prints the
# line to add to your shell's profile; it never edits your rc files.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  start | test | setup) ;;
  *) echo "usage: bash scripts/dev.sh start|test|setup" >&2; exit 2 ;;
esac

TOOLS="${QUIRE_TOOLS_DIR:-$HOME/.quire-tools}"
USER_PATH="$PATH"   # the caller's PATH, before ours: is $TOOLS/bin already on it?
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
pnpm -s build
# pnpm links a workspace package's bin only if its file exists at install time, and on a fresh
# clone packages/sdk/dist/cli.js first appears with the build above: link again so that
# `pnpm exec quire` works (an "Already up to date" install that only adds the link).
if [ ! -e node_modules/.bin/quire ]; then
  log "linking the quire CLI into node_modules/.bin"
  pnpm install --frozen-lockfile >&2
fi

# Node or pnpm from $TOOLS/bin: a new shell has them only if its PATH says so.
case "$(command -v node):$(command -v pnpm)" in
  *"$TOOLS/bin/"*)
    if [ "$TOOLS" = "$HOME/.quire-tools" ]; then bin_dir='$HOME/.quire-tools/bin'; else bin_dir="$TOOLS/bin"; fi
    mkdir -p .quire
    {
      echo "# Written by scripts/dev.sh: puts Quire's Node and pnpm on PATH. Use: . .quire/env.sh"
      echo "case \":\$PATH:\" in *\":$bin_dir:\"*) ;; *) export PATH=\"$bin_dir:\$PATH\" ;; esac"
    } > .quire/env.sh
    case ":$USER_PATH:" in
      *":$TOOLS/bin:"*) ;;
      *)
        log "node/pnpm come from $TOOLS/bin, which is not on your PATH; add this line to your"
        log "shell's profile (~/.bashrc, ~/.zshrc or ~/.profile):"
        printf '\n    export PATH="%s:$PATH"\n\n' "$bin_dir" >&2
        log "or, for the current shell only: . .quire/env.sh"
        ;;
    esac
    ;;
esac

case "$1" in
  start) exec pnpm start ;;   # build (already done, so quick), then scripts/start.mjs
  test) exec pnpm test ;;     # build, check generated code, vitest run
  setup) log "set up" ;;
esac
