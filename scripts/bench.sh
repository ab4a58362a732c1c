#!/usr/bin/env bash
# `./ferry bench NAME`: Ferry's benchmarks. Sourced by ./ferry, after setup.sh.

FERRY_BENCHES=(transfer)

ferry_bench() {
  local name=${1:-}
  case "$name" in
    transfer) ferry_bench_transfer ;;
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

# Agent-to-agent transfer against a plain `zfs send | zfs receive` between the same two pools.
# Writes target/bench/transfer.json; the benchmark makes and destroys its own pools.
ferry_bench_transfer() {
  ferry_start_zfs_fuse || return
  ferry_log "building the node agent and its benchmark"
  (cd "$FERRY_HOME" && mvn -B -ntp -q -pl node-agent -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt) || return
  local agent="$FERRY_HOME/node-agent/target"
  java -Xmx512m -cp "$agent/test-classes:$agent/classes:$(cat "$agent/bench-classpath.txt")" \
    dev.ferry.agent.bench.TransferBench --out "$FERRY_HOME/target/bench/transfer.json"
}
