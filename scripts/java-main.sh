#!/usr/bin/env bash
# Runs a main class of one of this checkout's modules from its build (target/classes and the
# runtime classpath that `mvn package` writes), the way ./ferry runs Ferry's own processes.
# Used by tasks on devcluster, e.g. manifests/todomvc/app.yaml:
#   exec "$FERRY_HOME/scripts/java-main.sh" example dev.ferry.example.TodoMain
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: java-main.sh MODULE MAIN-CLASS [ARGS...]" >&2
  exit 2
fi
module=$1
main=$2
shift 2
FERRY_HOME=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=scripts/setup.sh
source "$FERRY_HOME/scripts/setup.sh"
classpath=$(ferry_module_classpath "$module" "$main")
# Small heaps and the quick JIT tier: these are demo processes on a shared machine.
# shellcheck disable=SC2086 # FERRY_JAVA_OPTS is a list of options
exec java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 ${FERRY_TASK_JAVA_OPTS:-} -cp "$classpath" "$main" "$@"
