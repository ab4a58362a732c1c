#!/usr/bin/env bash
# Helpers shared by the provisioning scripts (in the VMs) and dist.sh (on the host). Sourced, never
# run. Every helper looks before it acts, so that `vagrant provision` can run again at any time.

# shellcheck disable=SC2034 # the settings below are used by the scripts that source this file
# Where things live in the VMs. /vagrant is the repository (the Vagrantfile syncs its parent).
FERRY_REPO=${FERRY_REPO:-/vagrant}
FERRY_DIST="$FERRY_REPO/vagrant/dist"
FERRY_SECRETS="$FERRY_REPO/vagrant/.secrets"
FERRY_ETC=/etc/ferry
FERRY_TLS=/etc/ferry/tls
FERRY_OPT=/opt/ferry
# The agent's pool: a file-backed pool is enough for a demo and needs no extra disk.
FERRY_POOL=tank
FERRY_POOL_DIR=/var/lib/ferry-pool
FERRY_POOL_SIZE=${FERRY_POOL_SIZE:-4G}
FERRY_DATASET_ROOT=/var/lib/ferry/datasets
FERRY_CONTROLLER_PORT=7070
FERRY_TRANSFER_PORT=7071
# Every task of an app with a dataset is launched through it (scripts/ferry-task-guard); the
# controller's taskGuard names it, and DOCKER tasks get it mounted read-only.
FERRY_TASK_GUARD=/usr/lib/ferry/ferry-task-guard

log() {
  echo "ferry-vagrant: $*" >&2
}

die() {
  log "$*"
  exit 1
}

# The cluster key (32 random bytes as hex: agents' credential, HMAC key of tickets and receipts) and the API tokens: random, made once, kept in
# vagrant/.secrets (git-ignored) so that every VM reads the same ones through the synced folder.
# Made by the master's provisioning, or by dist.sh on the host when the synced folder only copies
# host to guest (rsync). Never committed, never printed.
random_hex() {
  head -c "$1" /dev/urandom | od -An -v -tx1 | tr -d ' \n'
}

ensure_secrets() {
  local dir=$1
  mkdir -p "$dir"
  chmod 700 "$dir"
  (
    umask 077
    if [ ! -s "$dir/cluster.key" ]; then
      random_hex 32 >"$dir/cluster.key"
      log "made a new cluster key in $dir/cluster.key"
    fi
    if [ ! -s "$dir/admin.token" ]; then
      random_hex 24 >"$dir/admin.token"
      log "made a new admin token in $dir/admin.token"
    fi
  )
  ensure_ca "$dir"
}

# The cluster CA (vagrant/.secrets/tls/ca.crt, ca.key): every Ferry connection is TLS under it
# (docs/security.md). Made once, like the cluster key; each VM issues its components' certificates
# from it with ensure_certificate. ECDSA P-256 keys, PKCS#8 (what etcd, Netty and Vert.x read).
ensure_ca() {
  local dir=$1/tls
  mkdir -p "$dir"
  chmod 700 "$dir"
  [ -s "$dir/ca.crt" ] && [ -s "$dir/ca.key" ] && return 0
  (
    umask 077
    openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
      -keyout "$dir/ca.key" -out "$dir/ca.crt" -days 3650 -subj "/CN=Ferry vagrant cluster CA" \
      -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  )
  log "made a new cluster CA in $dir/ca.crt"
}

# Issues NAME.crt and NAME.key in DIR/tls from the cluster CA, for the IP addresses given (none:
# a client certificate only), unless a certificate of this CA is there already (delete the two
# files to issue a new one: docs/security.md, "Rotating").
ensure_certificate() {
  local dir=$1/tls name=$2
  shift 2
  local san="" ip
  for ip in "$@"; do
    san+="${san:+,}IP:$ip"
  done
  if [ -s "$dir/$name.crt" ] && [ -s "$dir/$name.key" ] \
    && openssl verify -CAfile "$dir/ca.crt" "$dir/$name.crt" >/dev/null 2>&1; then
    return 0
  fi
  local ext
  ext=$(mktemp)
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=serverAuth,clientAuth"
    [ -n "$san" ] && echo "subjectAltName=$san"
  } >"$ext"
  (
    umask 077
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
      -keyout "$dir/$name.key" -out "$dir/$name.csr" -subj "/CN=$name" 2>/dev/null
    openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
      -set_serial "0x$(random_hex 16)" -days 365 -extfile "$ext" -out "$dir/$name.crt" 2>/dev/null
  )
  rm -f "$ext" "$dir/$name.csr"
  log "issued $dir/$name.crt${san:+ for $san}"
}

# Installs DIR/tls/NAME.crt, NAME.key and ca.crt as TARGET/NAME.crt, .key (mode 600, owned by
# OWNER) and TARGET/ca.crt; returns 0 when anything changed.
install_certificate() {
  local dir=$1/tls name=$2 target=$3 owner=$4 changed=1 f
  install -d -m 0755 "$target"
  for f in "$name.crt" "$name.key"; do
    if ! cmp -s "$dir/$f" "$target/$f"; then
      install -m 0600 -o "$owner" "$dir/$f" "$target/$f"
      changed=0
    fi
  done
  if ! cmp -s "$dir/ca.crt" "$target/ca.crt"; then
    install -m 0644 "$dir/ca.crt" "$target/ca.crt"
    changed=0
  fi
  return "$changed"
}

# Replaces the block between two marker lines in FILE with TEXT (adds it the first time).
replace_block() {
  local file=$1 name=$2 text=$3
  local begin="# BEGIN $name (ferry vagrant provisioning)" end="# END $name"
  local tmp
  tmp=$(mktemp)
  if [ -f "$file" ]; then
    awk -v b="$begin" -v e="$end" '$0 == b {skip = 1} !skip {print} $0 == e {skip = 0}' "$file" >"$tmp"
  fi
  printf '%s\n%s\n%s\n' "$begin" "$text" "$end" >>"$tmp"
  if [ -f "$file" ] && cmp -s "$tmp" "$file"; then
    rm -f "$tmp"
    return 0
  fi
  cat "$tmp" >"$file"
  rm -f "$tmp"
}

# Writes TEXT to FILE with MODE unless it already holds exactly that; returns 0 when it changed
# the file and 1 when it did not, so that callers restart a service only when needed.
write_file() {
  local file=$1 mode=$2 text=$3
  if [ -f "$file" ] && [ "$(cat "$file")" = "$text" ]; then
    chmod "$mode" "$file"
    return 1
  fi
  mkdir -p "$(dirname "$file")"
  (umask 077 && printf '%s\n' "$text" >"$file.new")
  chmod "$mode" "$file.new"
  mv -f "$file.new" "$file"
  return 0
}

apt_updated=0
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ "${#missing[@]}" = 0 ] && return 0
  if [ "$apt_updated" = 0 ]; then
    apt-get update -qq
    apt_updated=1
  fi
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Every VM knows every other by name, on the private network. Vagrant's own line maps the VM's
# name to a loopback address (127.0.1.1 or 127.0.2.1), which would make Mesos and the agents
# advertise an address no other VM can reach: take that line out.
configure_hosts() {
  local entries="" pair name ip
  local -a pairs
  IFS=',' read -r -a pairs <<<"$FERRY_HOSTS"
  for pair in "${pairs[@]}"; do
    name=${pair% *}
    ip=${pair#* }
    entries+="$ip $name"$'\n'
  done
  sed -i -E "/^127\.0\.[12]\.1[[:space:]]+${FERRY_NODE_NAME}([[:space:]]|\$)/d" /etc/hosts
  replace_block /etc/hosts cluster "${entries%$'\n'}"
}

# Installs one of vagrant/systemd/*.service; returns 0 when it changed.
install_unit() {
  local unit=$1
  if cmp -s "$FERRY_REPO/vagrant/systemd/$unit" "/etc/systemd/system/$unit"; then
    return 1
  fi
  install -m 0644 "$FERRY_REPO/vagrant/systemd/$unit" "/etc/systemd/system/$unit"
  return 0
}

# Copies one bundle of vagrant/dist (jars) to /opt/ferry/NAME, so that a running service never
# reads the synced folder, which the host may rebuild under it. Returns 0 when it changed.
install_bundle() {
  local name=$1
  local from="$FERRY_DIST/$name" to="$FERRY_OPT/$name"
  [ -f "$from/lib/.complete" ] || die "$from is missing or incomplete: on the host, run ./ferry setup, then vagrant/scripts/dist.sh, then vagrant provision"
  if [ -d "$to" ] && diff -rq "$from" "$to" >/dev/null 2>&1; then
    return 1
  fi
  rm -rf "$to.new"
  mkdir -p "$FERRY_OPT"
  cp -a "$from" "$to.new"
  rm -rf "$to"
  mv "$to.new" "$to"
  log "installed $to"
  return 0
}

# Enables UNIT and starts it, or restarts it when CHANGED is 1 (its files changed).
start_unit() {
  local unit=$1 changed=$2
  systemctl enable --quiet "$unit"
  if [ "$changed" = 1 ]; then
    systemctl restart "$unit"
  else
    systemctl start "$unit"
  fi
}

# Waits until COMMAND succeeds, for at most SECONDS; says what it waits for.
wait_for() {
  local what=$1 seconds=$2
  shift 2
  local i
  for ((i = 0; i < seconds; i += 2)); do
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    sleep 2
  done
  die "gave up after ${seconds}s waiting for $what"
}

install_docker() {
  apt_install docker.io
  systemctl enable --quiet --now docker
}

# Pulls IMAGE once; a restart of a unit never needs the network again.
pull_image() {
  docker image inspect "$1" >/dev/null 2>&1 || docker pull -q "$1" >/dev/null
}
