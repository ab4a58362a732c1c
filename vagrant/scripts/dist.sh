#!/usr/bin/env bash
# On the host, before `vagrant up` (or `vagrant provision` after a rebuild): bundles what
# `./ferry setup` built into vagrant/dist/, which the VMs see through the synced folder:
#
#   dist/controller/lib/   the controller's jar and its runtime libraries
#   dist/agent/lib/        the node agent's jar and its runtime libraries
#   dist/ferryctl/         ferryctl.jar and lib/ (its manifest names lib/*.jar)
#
# The build's runtime-classpath.txt names jars in the host's ~/.m2, which the VMs do not have:
# hence the copies. Also makes the cluster key and admin token in vagrant/.secrets when they are
# missing, so that clusters whose synced folder only copies host to guest (rsync) get them too.
# Both folders are git-ignored.
set -euo pipefail

VAGRANT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO=$(cd "$VAGRANT_DIR/.." && pwd)
FERRY_REPO=$REPO
# shellcheck source=lib.sh
source "$VAGRANT_DIR/scripts/lib.sh"

DIST="$VAGRANT_DIR/dist"

# bundle NAME MODULE: the module's jar plus every jar of its runtime classpath into DIST/NAME/lib.
bundle() {
  local name=$1 module=$2
  local target="$REPO/$module/target"
  local classpath="$target/runtime-classpath.txt"
  local jars=()
  mapfile -t jars < <(find "$target" -maxdepth 1 -name "*.jar" ! -name "*-sources.jar" ! -name "*-tests.jar")
  if [ ! -f "$classpath" ] || [ "${#jars[@]}" != 1 ]; then
    die "$module is not packaged (need one jar and runtime-classpath.txt in $target): run ./ferry setup first"
  fi
  local out="$DIST/$name/lib"
  rm -rf "$DIST/$name.new"
  mkdir -p "$DIST/$name.new/lib"
  cp "${jars[0]}" "$DIST/$name.new/lib/"
  local entry entries=()
  IFS=':' read -r -a entries <<<"$(cat "$classpath")"
  for entry in "${entries[@]}"; do
    [ -n "$entry" ] || continue
    # A sibling module resolved to target/classes (a build that stopped before `package`) is a
    # directory, which a copy of lib/*.jar would silently drop.
    [ -f "$entry" ] || die "$module's classpath names $entry, which is not a jar file: run ./ferry setup (mvn package) first"
    cp "$entry" "$DIST/$name.new/lib/"
  done
  # provision-*.sh refuse a bundle without this mark: a copy interrupted half-way is not used.
  touch "$DIST/$name.new/lib/.complete"
  rm -rf "${DIST:?}/${name:?}"
  mv "$DIST/$name.new" "$DIST/$name"
  log "bundled $module into ${out#"$REPO"/} ($(find "$out" -name '*.jar' | wc -l) jars)"
}

bundle_ferryctl() {
  local target="$REPO/cli/target"
  if [ ! -f "$target/ferryctl.jar" ] || [ ! -d "$target/lib" ]; then
    die "cli is not packaged (no $target/ferryctl.jar): run ./ferry setup first"
  fi
  rm -rf "$DIST/ferryctl.new"
  mkdir -p "$DIST/ferryctl.new"
  cp "$target/ferryctl.jar" "$DIST/ferryctl.new/"
  cp -r "$target/lib" "$DIST/ferryctl.new/lib"
  touch "$DIST/ferryctl.new/lib/.complete"
  rm -rf "$DIST/ferryctl"
  mv "$DIST/ferryctl.new" "$DIST/ferryctl"
  log "bundled ferryctl into vagrant/dist/ferryctl"
}

mkdir -p "$DIST"
bundle controller controller
bundle agent node-agent
bundle_ferryctl
ensure_secrets "$FERRY_SECRETS"
log "ready: vagrant up (from $VAGRANT_DIR)"
