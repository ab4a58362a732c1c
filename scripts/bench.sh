#!/usr/bin/env bash
# `./ferry bench NAME [OPTIONS]`: runs one benchmark and prints its figures; each also writes
# target/bench/NAME.json. Sourced by ./ferry. Benchmarks are Java mains run with the build's
# classpath, as ./ferry up runs the cluster.

# name -> module:main class
declare -A FERRY_BENCHES=(
  [reconcile]="e2e:dev.ferry.e2e.bench.ReconcileBench"
)

ferry_bench() {
  local name=${1:-}
  if [ -z "$name" ] || [ -z "${FERRY_BENCHES[$name]:-}" ]; then
    ferry_log "usage: ./ferry bench NAME [OPTIONS], NAME one of: ${!FERRY_BENCHES[*]}"
    return 2
  fi
  shift
  local module=${FERRY_BENCHES[$name]%%:*} main=${FERRY_BENCHES[$name]#*:}
  local target="$FERRY_HOME/$module/target"
  if [ ! -f "$target/runtime-classpath.txt" ] || [ ! -f "$target/classes/${main//.//}.class" ]; then
    ferry_log "the benchmark is not built (no $main in $module/target): run ./ferry setup"
    return 1
  fi
  java -Xmx1g -Dferry.home="$FERRY_HOME" -cp "$target/classes:$(cat "$target/runtime-classpath.txt")" "$main" "$@"
}
