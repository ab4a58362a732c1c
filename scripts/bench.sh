#!/usr/bin/env bash
# `./ferry bench NAME [OPTIONS]`: runs one benchmark and prints its figures; each also writes
# target/bench/NAME.json (migration also target/bench/migration.png). Sourced by ./ferry, after setup.sh.

FERRY_BENCHES=(reconcile transfer migration chaos soak)

ferry_bench() {
  local name=${1:-}
  [ $# -gt 0 ] && shift
  case "$name" in
    reconcile)
      # --datasets puts real datasets on zfs-fuse pools, made and destroyed by the benchmark.
      case " $* " in *" --datasets "*) ferry_start_zfs_fuse || return ;; esac
      ferry_bench_main e2e dev.ferry.e2e.bench.ReconcileBench "$@"
      ;;
    transfer) ferry_bench_transfer "$@" ;;
    migration)
      ferry_start_zfs_fuse || return
      ferry_bench_main e2e dev.ferry.e2e.bench.MigrationBench "$@"
      ;;
    chaos)
      ferry_start_zfs_fuse || return
      ferry_bench_main e2e dev.ferry.e2e.fault.ChaosBench "$@"
      ;;
    soak)
      ferry_start_zfs_fuse || return
      ferry_bench_main e2e dev.ferry.e2e.fault.SoakBench "$@"
      ;;
    "")
      ferry_log "usage: ./ferry bench NAME, where NAME is one of: ${FERRY_BENCHES[*]}"
      return 2
      ;;
    *)
      ferry_log "no benchmark named '$name'; the benchmarks are: ${FERRY_BENCHES[*]}"
      return 2
      ;;
  esac
}

# A benchmark that is a main class of a module, run with the classpath `mvn package` wrote.
ferry_bench_main() {
  local module=$1 main=$2
  shift 2
  local classpath
  classpath=$(ferry_module_classpath "$module" "$main") || return 1
  java -Xmx1g -Dferry.home="$FERRY_HOME" -cp "$classpath" "$main" "$@"
}

# Agent-to-agent transfer against a plain `zfs send | zfs receive` between the same two pools.
# Writes target/bench/transfer.json; the benchmark makes and destroys its own pools.
ferry_bench_transfer() {
  ferry_start_zfs_fuse || return
  ferry_log "building the node agent and its benchmark"
  (cd "$FERRY_HOME" && mvn -B -ntp -q -pl node-agent -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt) || return
  local agent="$FERRY_HOME/node-agent/target"
  java -Xmx512m -cp "$agent/test-classes:$agent/classes:$(cat "$agent/bench-classpath.txt")" \
    dev.ferry.agent.bench.TransferBench --out "$FERRY_HOME/target/bench/transfer.json" "$@"
}
