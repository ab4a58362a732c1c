#!/usr/bin/env bash
# `./ferry up|down|status`: the one-machine cluster. Sourced by ./ferry. The work is done in Java
# (dev.ferry.devcluster.launcher.LauncherMain, in devcluster); this only checks that it is built,
# starts zfs-fuse for `up` (as `./ferry setup` does), and runs it with the build's classpath.

FERRY_LAUNCHER_MAIN=dev.ferry.devcluster.launcher.LauncherMain

ferry_cluster() {
  local command=$1
  shift
  local classpath
  classpath=$(ferry_module_classpath devcluster "$FERRY_LAUNCHER_MAIN") || return 1
  if ! command -v java >/dev/null 2>&1; then
    ferry_log "java is missing: install openjdk-17-jdk-headless (./ferry setup does it)"
    return 1
  fi
  if [ "$command" = up ]; then
    ferry_start_zfs_fuse || return 1
  fi
  java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$classpath" "$FERRY_LAUNCHER_MAIN" "$command" "$@"
}
