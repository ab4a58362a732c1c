#!/usr/bin/env bash
# `./ferry up|down|status`: the one-machine cluster. Sourced by ./ferry. The work is done in Java
# (dev.ferry.devcluster.launcher.LauncherMain, in devcluster); this only checks that it is built,
# starts zfs-fuse for `up` (as `./ferry setup` does), and runs it with the build's classpath.

FERRY_LAUNCHER_MAIN=dev.ferry.devcluster.launcher.LauncherMain

ferry_cluster() {
  local command=$1
  shift
  local target="$FERRY_HOME/devcluster/target"
  if [ ! -f "$target/runtime-classpath.txt" ] || [ ! -f "$target/classes/${FERRY_LAUNCHER_MAIN//.//}.class" ]; then
    ferry_log "the launcher is not built (no $FERRY_LAUNCHER_MAIN in devcluster/target):"
    ferry_log "run ./ferry setup, or: mvn -B -q package -DskipTests"
    return 1
  fi
  if ! command -v java >/dev/null 2>&1; then
    ferry_log "java is missing: install openjdk-17-jdk-headless (./ferry setup does it)"
    return 1
  fi
  if [ "$command" = up ]; then
    ferry_start_zfs_fuse || return 1
  fi
  local classpath
  classpath="$target/classes:$(cat "$target/runtime-classpath.txt")"
  java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$classpath" "$FERRY_LAUNCHER_MAIN" "$command" "$@"
}
