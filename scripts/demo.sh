#!/usr/bin/env bash
# `./ferry demo [--keep] [--no-build] [UP-OPTIONS...]`: the seed demo end to end on one machine. Sourced by
# ./ferry. It starts the cluster (UP-OPTIONS go to `./ferry up`, e.g. other ports), runs the
# TodoMVC app and its Redis on the spinning-disk node, adds three todos through the app's API,
# moves the database to the SSD node by changing its placement, checks the todos through the
# app again, prints what the move cost, and stops the cluster (unless --keep: then it prints
# the URLs to open, the dashboard's among them, how to sign in and how to stop it). The last line is
# `DEMO OK: ...` (exit 0) or `DEMO FAILED: <reason>` (exit 1).

DEMO_TODOS=("Buy milk" "Walk the dog" "Move the database to the SSD")
DEMO_APP_DEADLINE=240
DEMO_MIGRATION_DEADLINE=300

# Reads JSON on stdin and prints the value at each path given (dots between keys and list
# indexes; a list or object is printed as JSON, a missing value as an empty line).
DEMO_JSON_PY='
import json, sys
doc = json.load(sys.stdin)
for path in sys.argv[1:]:
    value = doc
    for key in path.split(".") if path else []:
        if isinstance(value, list) and key.lstrip("-").isdigit() and -len(value) <= int(key) < len(value):
            value = value[int(key)]
        elif isinstance(value, dict) and key in value:
            value = value[key]
        else:
            value = ""
            break
    print(value if isinstance(value, str) else json.dumps(value))
'

demo_json() {
  python3 -c "$DEMO_JSON_PY" "$@"
}

# Reads cluster.json on stdin and prints the URL of the component named $1.
demo_component_url() {
  demo_json components | python3 -c 'import json,sys; print(next(c["url"] for c in json.load(sys.stdin) if c["name"] == sys.argv[1]))' "$1"
}

demo_say() {
  printf '\n==> %s\n' "$*"
}

# Fails the demo with a reason; the EXIT trap stops the cluster and prints the last line. In a
# command substitution (a subshell) only the exit status gets out: the caller sets DEMO_REASON
# before it instead.
demo_fail() {
  DEMO_REASON=$*
  echo "$*" >&2
  exit 1
}

ferry_demo() {
  local keep=false build=true
  local up_options=()
  local state_dir="${FERRY_STATE_DIR:-$FERRY_HOME/.ferry}"
  while [ $# -gt 0 ]; do
    case "$1" in
      --keep) keep=true ;;
      --no-build) build=false ;;
      -h | --help)
        echo "usage: ./ferry demo [--keep] [--no-build] [UP-OPTIONS...]   (UP-OPTIONS: see ./ferry up --help)"
        echo "  --keep      leave the cluster up and print the URLs to open"
        echo "  --no-build  install packages but do not build: run what target/ holds"
        return 0
        ;;
      --state-dir)
        state_dir=${2:?--state-dir needs a directory}
        up_options+=("$1" "$2")
        shift
        ;;
      *) up_options+=("$1") ;;
    esac
    shift
  done
  state_dir=$(readlink -m "$state_dir")
  # A subshell, so that its EXIT trap (stop the cluster, print the verdict) runs whatever happens.
  (demo_run "$keep" "$build" "$state_dir" "${up_options[@]}")
}

demo_run() {
  local keep=$1 build=$2 state_dir=$3
  shift 3
  DEMO_REASON="interrupted"
  DEMO_STARTED=$SECONDS
  trap 'demo_finish $? "$keep" "$state_dir"' EXIT
  trap 'exit 130' INT TERM
  set -euo pipefail

  DEMO_REASON="./ferry setup failed (see above)"
  if [ "$build" = true ]; then
    demo_say "Installing what the demo needs and building Ferry (./ferry setup)"
    ferry_setup
  else
    demo_say "Installing what the demo needs (not building: --no-build)"
    ferry_install_packages
    ferry_start_zfs_fuse
  fi

  demo_say "Starting the one-machine cluster (./ferry up)"
  # The demo ends with `./ferry down`, which destroys the cluster's apps and pools: it must never
  # run on a cluster somebody else started, so it refuses a state directory that holds one.
  if [ -e "$state_dir/cluster.json" ]; then
    demo_fail "a cluster is already up in $state_dir, and the demo would stop it and destroy its pools at the end:" \
      "stop it first (./ferry down), or run the demo beside it with a state directory and ports of its own" \
      "(./ferry demo --state-dir DIR --scheduler-port ... ; see ./ferry up --help)"
  fi
  DEMO_REASON="./ferry up failed (see above)"
  DEMO_OWNS_CLUSTER=true
  "$FERRY_HOME/ferry" up --state-dir "$state_dir" "$@"
  local cluster="$state_dir/cluster.json"
  local scheduler controller ferryctl_config
  scheduler=$(demo_component_url scheduler <"$cluster")
  controller=$(demo_component_url controller <"$cluster")
  ferryctl_config=$(demo_json ferryctlConfig <"$cluster")
  export FERRY_CONFIG=$ferryctl_config
  DEMO_SCHEDULER=$scheduler
  DEMO_MARATHON_CREDENTIALS=$state_dir/secrets/marathon-credentials

  demo_say "Running the database on the spinning disk and the TodoMVC app (ferryctl apply)"
  DEMO_REASON="ferryctl apply failed"
  "$FERRY_HOME/ferryctl" apply -f "$FERRY_HOME/manifests/todomvc/db.yaml" -f "$FERRY_HOME/manifests/todomvc/app.yaml"

  demo_say "Waiting for the app to answer (it finds Redis through Marathon)"
  local app
  DEMO_REASON="the TodoMVC app did not answer within ${DEMO_APP_DEADLINE}s: see ./ferryctl describe statefulapp todos (and todos-db)"
  app=$(demo_wait_for_app)
  echo "the app is at $app; Redis at $(demo_task_address /todos-db)"

  demo_say "Adding three todos through the app"
  local title
  for title in "${DEMO_TODOS[@]}"; do
    DEMO_REASON="the app did not store the todo '$title'"
    python3 -c 'import json,sys; print(json.dumps({"title": sys.argv[1]}))' "$title" \
      | curl -fsS --max-time 120 -X POST -H 'Content-Type: application/json' --data-binary @- "$app/todos"
    echo
  done

  demo_say "Moving the database to the SSD node: placement [disk, LIKE, ssd], ferryctl apply"
  # Not in the state directory: `up` refuses one that holds files that are not its own.
  DEMO_WORK=$(mktemp -d -t ferry-demo.XXXXXX)
  local moved="$DEMO_WORK/db.yaml"
  sed 's/\[disk, LIKE, spinning\]/[disk, LIKE, ssd]/' "$FERRY_HOME/manifests/todomvc/db.yaml" >"$moved"
  grep -q '\[disk, LIKE, ssd\]' "$moved" || demo_fail "manifests/todomvc/db.yaml has no [disk, LIKE, spinning] placement to change"
  DEMO_REASON="ferryctl apply of the new placement failed"
  # Only the changed lines of ferryctl diff (exit 1: there is a difference).
  { "$FERRY_HOME/ferryctl" diff -f "$moved" || true; } | grep -E '^[-+] ' || true
  "$FERRY_HOME/ferryctl" apply -f "$moved"

  local migration
  DEMO_REASON="no migration of todos-db to node2 appeared within 60s: see ./ferryctl describe statefulapp todos-db"
  migration=$(demo_wait_for_migration_object)
  demo_say "Migration $migration (ferryctl get migrations -w)"
  "$FERRY_HOME/ferryctl" get migrations -w &
  DEMO_WATCHER=$!
  local phase
  phase=$(demo_wait_for_migration_end "$migration") || true
  kill "$DEMO_WATCHER" 2>/dev/null || true
  wait "$DEMO_WATCHER" 2>/dev/null || true
  DEMO_WATCHER=
  [ "$phase" = Succeeded ] || demo_fail "the migration $migration ended $phase, not Succeeded: see ./ferryctl describe statefulapp todos-db"

  demo_say "The database after the move (ferryctl describe statefulapp todos-db)"
  "$FERRY_HOME/ferryctl" describe statefulapp todos-db

  demo_say "Checking the todos through the app"
  local redis_now
  DEMO_REASON="Marathon does not list Redis's task after the move"
  redis_now=$(demo_task_address /todos-db)
  case "$redis_now" in
    127.0.1.2:*) ;;
    *) demo_fail "Redis runs at $redis_now after the move, not on node2 (127.0.1.2)" ;;
  esac
  DEMO_REASON="the app did not list the todos after the move"
  local listed
  listed=$(curl -fsS --max-time 120 "$app/todos" | python3 -c 'import json,sys; [print(t["title"]) for t in json.load(sys.stdin)]')
  echo "$listed"
  for title in "${DEMO_TODOS[@]}"; do
    grep -qxF "$title" <<<"$listed" || demo_fail "the todo '$title' is missing after the move"
  done

  DEMO_REASON="could not read the migration's figures"
  demo_summary "$migration" "$redis_now"
  if [ "$keep" = true ]; then
    demo_say "The cluster stays up (--keep). Open:"
    echo "  the TodoMVC app     $app/"
    echo "  Marathon's API      $scheduler/v2/apps   (curl -u \"\$(cat $DEMO_MARATHON_CREDENTIALS)\")"
    echo "  Ferry's API         ./ferryctl get statefulapps   (context in $ferryctl_config)"
    echo "  Ferry's dashboard   $controller/ui/"
    echo "                      sign in with the admin token: grep ',admin\$' $state_dir/secrets/tokens | cut -d, -f1"
    echo "                      (add view or edit tokens there as 'token,user,role' lines; see docs/dashboard.md)"
    echo "                      the certificate is from the cluster CA $state_dir/secrets/tls/ca.crt: trust it in the browser"
    echo "  move it back        ./ferryctl apply -f manifests/todomvc/db.yaml"
    echo "  stop it all         ./ferry down --state-dir $state_dir"
  fi
  DEMO_REASON=""
}

# The app's base URL, once GET /todos answers; fails the demo after DEMO_APP_DEADLINE seconds.
demo_wait_for_app() {
  local deadline=$((SECONDS + DEMO_APP_DEADLINE)) address
  while [ $SECONDS -lt $deadline ]; do
    address=$(demo_task_address /todos)
    if [ -n "$address" ] && curl -fsS --max-time 5 -o /dev/null "http://$address/todos" 2>/dev/null; then
      echo "http://$address"
      return 0
    fi
    sleep 2
  done
  demo_fail "the TodoMVC app did not answer within ${DEMO_APP_DEADLINE}s"
}

# HOST:PORT of the running task of a Marathon app, or nothing. The scheduler wants basic
# credentials: curl reads them from its config on stdin, so they never show in `ps`.
demo_task_address() {
  printf 'user = "%s"\n' "$(cat "$DEMO_MARATHON_CREDENTIALS" 2>/dev/null)" \
    | curl -K - -fsS --max-time 5 "$DEMO_SCHEDULER/v2/apps$1/tasks" 2>/dev/null \
    | python3 -c '
import json, sys
tasks = [t for t in json.load(sys.stdin)["tasks"] if t.get("state") == "TASK_RUNNING" and t.get("ports")]
print(tasks[0]["host"] + ":" + str(tasks[0]["ports"][0]) if tasks else "")' 2>/dev/null || true
}

demo_wait_for_migration_object() {
  local deadline=$((SECONDS + 60)) name
  while [ $SECONDS -lt $deadline ]; do
    name=$("$FERRY_HOME/ferryctl" get migrations -l ferry.dev/statefulapp=todos-db -o json 2>/dev/null \
      | python3 -c '
import json, sys
items = [m for m in json.load(sys.stdin).get("items", []) if m["spec"].get("to") == "node2"]
items.sort(key=lambda m: m["metadata"]["creationTimestamp"])
print(items[-1]["metadata"]["name"] if items else "")' 2>/dev/null || true)
    if [ -n "$name" ]; then
      echo "$name"
      return 0
    fi
    sleep 1
  done
  demo_fail "no migration of todos-db to node2 appeared within 60s"
}

# Prints the migration's last phase once it is finished (Succeeded, RolledBack or Failed).
demo_wait_for_migration_end() {
  local deadline=$((SECONDS + DEMO_MIGRATION_DEADLINE)) phase=""
  while [ $SECONDS -lt $deadline ]; do
    phase=$("$FERRY_HOME/ferryctl" get migration "$1" -o json 2>/dev/null | demo_json status.phase || true)
    case "$phase" in
      Succeeded | RolledBack | Failed)
        echo "$phase"
        return 0
        ;;
    esac
    sleep 1
  done
  echo "still ${phase:-Pending} after ${DEMO_MIGRATION_DEADLINE}s"
  return 1
}

demo_summary() {
  local migration=$1 redis_now=$2
  local status used
  status=$("$FERRY_HOME/ferryctl" get migration "$migration" -o json)
  used=$("$FERRY_HOME/ferryctl" get dataset todos-data -o json | demo_json status.copies.node2.usedBytes)
  local rounds bytes downtime
  rounds=$(demo_json status.rounds <<<"$status" | python3 -c 'import json,sys; print(len(json.load(sys.stdin) or []))')
  bytes=$(demo_json status.bytesTransferred <<<"$status")
  downtime=$(demo_json status.downtime <<<"$status")
  DEMO_SUMMARY="3 todos moved with Redis from node1 (spinning) to node2 (ssd) at $redis_now; dataset ${used:-?} bytes, ${rounds} rounds, ${bytes:-0} bytes moved, downtime ${downtime:-?}"
  demo_say "Summary"
  echo "  dataset todos-data: ${used:-?} bytes used on node2"
  echo "  rounds:             $rounds (the full copy, then increments while Redis kept serving)"
  echo "  bytes moved:        ${bytes:-0}"
  echo "  downtime:           ${downtime:-?} (Redis stopped on node1 until healthy on node2)"
  echo "  todos after move:   ${#DEMO_TODOS[@]} of ${#DEMO_TODOS[@]}, read through the app"
}

# The EXIT trap: stop the cluster unless --keep (or the demo failed before up), then the verdict.
demo_finish() {
  local rc=$1 keep=$2 state_dir=$3
  trap - EXIT
  set +e
  if [ -n "${DEMO_WATCHER:-}" ]; then
    kill "$DEMO_WATCHER" 2>/dev/null
  fi
  if [ -n "${DEMO_WORK:-}" ]; then
    rm -rf "$DEMO_WORK"
  fi
  if [ "$keep" != true ] && [ "${DEMO_OWNS_CLUSTER:-}" = true ] && [ -f "$state_dir/cluster.json" ]; then
    demo_say "Stopping the cluster (./ferry down)"
    "$FERRY_HOME/ferry" down --state-dir "$state_dir"
  fi
  local took=$((SECONDS - DEMO_STARTED))
  if [ "$rc" = 0 ] && [ -z "$DEMO_REASON" ]; then
    echo "DEMO OK: $DEMO_SUMMARY (${took}s)"
    exit 0
  fi
  echo "DEMO FAILED: ${DEMO_REASON:-exit status $rc}"
  exit 1
}
