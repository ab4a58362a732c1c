#!/usr/bin/env bash
# `./ferry setup`: what a fresh Debian machine needs to build, test and run Ferry.
# Sourced by ./ferry; every step checks first, so running it again changes nothing.

FERRY_PACKAGES=(
  openjdk-17-jdk-headless maven
  etcd-server etcd-client
  zfs-fuse
  nftables   # cut network paths between nodes in fault tests (e2e fault.LinkCut)
  redis-server redis-tools
  postgresql
  chromium chromium-driver
  iproute2 procps psmisc curl python3
  openssh-server   # sshd for the GitOps tests of ssh:// GitSources (GitOpsTest)
  prometheus   # PrometheusScrapeTest scrapes a controller and queries its histograms
  shellcheck ruby   # static checks of vagrant/ (VagrantFilesIT)
)

ferry_log() {
  echo "ferry: $*" >&2
}

ferry_missing_packages() {
  local missing=() p
  for p in "${FERRY_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  echo "${missing[@]}"
}

ferry_install_packages() {
  local missing=()
  read -r -a missing <<<"$(ferry_missing_packages)"
  [ "${#missing[@]}" = 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    ferry_log "these Debian packages are missing: ${missing[*]}"
    ferry_log "install them as root (sudo ./ferry setup) and run again"
    return 1
  fi
  ferry_log "installing: ${missing[*]}"
  # Services the packages would start at install time (etcd, redis, postgresql) are not
  # Ferry's: Ferry starts its own on its own ports. policy-rc.d keeps them from starting.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
  fi
  local rc=0
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } || rc=$?
  [ "$created_policy" = 1 ] && rm -f "$policy"
  if [ "$rc" != 0 ]; then
    ferry_log "apt-get failed (exit $rc); see its output above"
    return "$rc"
  fi
}

# zfs-fuse is a user-space daemon: nothing starts it on a machine without an init system.
ferry_start_zfs_fuse() {
  if zpool list >/dev/null 2>&1; then
    return 0
  fi
  if [ ! -c /dev/fuse ]; then
    modprobe fuse 2>/dev/null || true
  fi
  if [ ! -c /dev/fuse ]; then
    ferry_log "/dev/fuse is missing: zfs-fuse needs FUSE (load the fuse module, or give the container /dev/fuse)"
    return 1
  fi
  ferry_log "starting zfs-fuse"
  mkdir -p /var/run/zfs /var/lock/zfs
  # A daemon killed without its shutdown (the machine's session ended) leaves its pidfile
  # behind, and zfs-fuse then refuses to start, exiting 1 without a word.
  local pidfile=/var/run/zfs-fuse.pid stale
  if [ -e "$pidfile" ]; then
    stale=$(cat "$pidfile" 2>/dev/null || true)
    if [ -z "$stale" ] || ! grep -qs zfs-fuse "/proc/$stale/cmdline"; then
      ferry_log "removing stale $pidfile (pid ${stale:-none} is not zfs-fuse)"
      rm -f "$pidfile"
    fi
  fi
  # ... and its FUSE mount of /zfs-kstat, which now answers "Transport endpoint is not connected".
  if findmnt -n /zfs-kstat >/dev/null 2>&1 && ! ls /zfs-kstat >/dev/null 2>&1; then
    umount -l /zfs-kstat 2>/dev/null || true
  fi
  # The limits Debian's init script sets: zfs-fuse maps its ARC and deep stacks.
  (
    ulimit -v unlimited 2>/dev/null || true
    ulimit -s unlimited 2>/dev/null || true
    ulimit -l unlimited 2>/dev/null || true
    exec /usr/sbin/zfs-fuse --pidfile "$pidfile"
  ) || {
    ferry_log "zfs-fuse exited $? while starting (is another zfs-fuse holding $pidfile?)"
    return 1
  }
  local _
  for _ in $(seq 1 50); do
    zpool list >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  ferry_log "zfs-fuse did not start: zpool list still cannot reach it"
  return 1
}

# Prints the classpath that runs MAIN of MODULE from this checkout's build (target/classes and
# the runtime classpath `mvn package` writes); says what to do and fails when it is not built.
ferry_module_classpath() {
  local module=$1 main=$2
  local target="$FERRY_HOME/$module/target"
  if [ ! -f "$target/runtime-classpath.txt" ] || [ ! -f "$target/classes/${main//.//}.class" ]; then
    ferry_log "$module is not built (no $main in $module/target): run ./ferry setup, or mvn -B -q package -DskipTests"
    return 1
  fi
  echo "$target/classes:$(cat "$target/runtime-classpath.txt")"
}

ferry_build() {
  ferry_log "building (mvn install -DskipTests)"
  (cd "$FERRY_HOME" && mvn -B -ntp -q install -DskipTests)
}

ferry_setup() {
  ferry_install_packages
  ferry_start_zfs_fuse
  ferry_build
}
