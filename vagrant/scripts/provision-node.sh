#!/usr/bin/env bash
# Provisions a node VM (node1, node2): ZFS (zfsutils-linux, module built by DKMS) with a
# file-backed pool, Docker, the Mesos agent (Docker image under systemd) with the node's
# attributes in /etc/mesos-slave/attributes, and the Ferry node agent (jars from vagrant/dist)
# with its config and the cluster key the master made. Runs after provision-base.sh and the
# reboot that follows it. Safe to run again.
set -euo pipefail

FERRY_REPO=${FERRY_REPO:-/vagrant}
# shellcheck source=lib.sh
source "$FERRY_REPO/vagrant/scripts/lib.sh"

: "${FERRY_NODE_NAME:?set by the Vagrantfile}" "${FERRY_NODE_IP:?}" "${FERRY_MASTER_IP:?}"
: "${FERRY_NODE_ATTRIBUTES:?}" "${FERRY_MESOS_VERSION:?}"
ip=$FERRY_NODE_IP

# --- ZFS ----------------------------------------------------------------------------------------
# The kernel this VM runs must be the one whose headers DKMS builds against (provision-base.sh
# installs both and the Vagrantfile reboots): check, rather than fail obscurely at modprobe.
[ -d "/lib/modules/$(uname -r)/build" ] || apt_install "linux-headers-$(uname -r)"
apt_install zfs-dkms zfsutils-linux
modprobe zfs

# A sparse file is enough for a demo. -m none: the pool's root is not mounted; the agent mounts
# each dataset at its own mountpoint under the dataset root.
mkdir -p "$FERRY_POOL_DIR"
if ! zpool list "$FERRY_POOL" >/dev/null 2>&1; then
  if zpool import -d "$FERRY_POOL_DIR" "$FERRY_POOL" 2>/dev/null; then
    log "imported the pool $FERRY_POOL"
  else
    [ -e "$FERRY_POOL_DIR/$FERRY_POOL.img" ] && die "$FERRY_POOL_DIR/$FERRY_POOL.img exists but does not import as $FERRY_POOL: look at it with zpool import -d $FERRY_POOL_DIR"
    truncate -s "$FERRY_POOL_SIZE" "$FERRY_POOL_DIR/$FERRY_POOL.img"
    zpool create -m none "$FERRY_POOL" "$FERRY_POOL_DIR/$FERRY_POOL.img"
    log "created the pool $FERRY_POOL ($FERRY_POOL_SIZE, file-backed)"
  fi
fi
mkdir -p "$FERRY_DATASET_ROOT"
write_file /etc/ferry/pool.env 0644 "POOL=$FERRY_POOL
POOL_DIR=$FERRY_POOL_DIR" || true
pool_changed=0
install_unit ferry-pool.service && pool_changed=1

# --- Docker, and a Docker client the Mesos agent's image can run ---------------------------------
install_docker
# The mesos-slave image has no Docker client and an older C library than Debian 12's client needs;
# Docker's static build of the same version as the daemon runs anywhere.
docker_version=$(dpkg-query -W -f='${Version}' docker.io | sed -E 's/^([0-9]+:)?([0-9]+\.[0-9]+\.[0-9]+).*/\2/')
cli=/opt/ferry/docker-cli
if [ "$(cat "$cli/version" 2>/dev/null || true)" != "$docker_version" ]; then
  tmp=$(mktemp -d)
  curl -fsSL --retry 3 -o "$tmp/docker.tgz" "https://download.docker.com/linux/static/stable/x86_64/docker-$docker_version.tgz"
  tar -xzf "$tmp/docker.tgz" -C "$tmp" docker/docker
  install -D -m 0755 "$tmp/docker/docker" "$cli/docker"
  echo "$docker_version" >"$cli/version"
  rm -rf "$tmp"
  log "installed the static Docker client $docker_version for the Mesos agent"
fi

# --- Mesos agent ----------------------------------------------------------------------------------
# One file for both Mesos (MESOS_ATTRIBUTES=file://...) and the Ferry agent (attributesFile).
agent_changed=0
slave_changed=0
if write_file /etc/mesos-slave/attributes 0644 "$FERRY_NODE_ATTRIBUTES"; then
  slave_changed=1
  agent_changed=1
  # A Mesos agent refuses to recover with attributes other than those it registered with.
  if [ -e /var/lib/mesos/agent/meta/slaves/latest ]; then
    log "attributes changed: the Mesos agent registers anew (its running tasks are lost)"
    systemctl stop mesos-slave 2>/dev/null || true
    rm -f /var/lib/mesos/agent/meta/slaves/latest
  fi
fi
write_file /etc/ferry/mesos-slave.env 0644 "IMAGE=mesosphere/mesos-slave:$FERRY_MESOS_VERSION" && slave_changed=1
# The agent's hostname is its private IP: the Marathon hostname constraint that Ferry adds matches
# it, and a task's "host" in Marathon is then an address every VM and the host can reach.
# launcher=posix and no systemd support: inside a container Mesos has no systemd to talk to.
write_file /etc/ferry/mesos-slave.flags 0644 "MESOS_MASTER=zk://$FERRY_MASTER_IP:2181/mesos
MESOS_IP=$ip
MESOS_HOSTNAME=$ip
MESOS_ATTRIBUTES=file:///etc/mesos-slave/attributes
MESOS_CONTAINERIZERS=docker,mesos
MESOS_WORK_DIR=/var/lib/mesos/agent
MESOS_LOG_DIR=/var/log/mesos
MESOS_LAUNCHER=posix
MESOS_SYSTEMD_ENABLE_SUPPORT=false
MESOS_SWITCH_USER=false
MESOS_EXECUTOR_REGISTRATION_TIMEOUT=5mins
MESOS_DOCKER_STOP_TIMEOUT=30secs
MESOS_RESOURCES=ports:[31000-32000]" && slave_changed=1
install_unit mesos-slave.service && slave_changed=1

# --- the task guard ----------------------------------------------------------------------------------
# Marathon launches each task of an app with a dataset through it: it refuses an unmounted or
# foreign dataset and a second task on the same one. It needs mountpoint and flock (util-linux).
apt_install util-linux
install -D -m 0755 "$FERRY_REPO/scripts/ferry-task-guard" "$FERRY_TASK_GUARD"

# --- Ferry node agent --------------------------------------------------------------------------------
if [ ! -s "$FERRY_SECRETS/cluster.key" ] || [ ! -s "$FERRY_SECRETS/tls/ca.key" ]; then
  die "no cluster key or CA in $FERRY_SECRETS: provision the master first (vagrant up master), or run vagrant/scripts/dist.sh on the host when the synced folder is rsync"
fi
install_bundle agent && agent_changed=1
install -d -m 0750 "$FERRY_ETC"
# The agent's certificate names the node's address: other agents check it when they connect,
# and it is what the agent shows them (mutual TLS) and etcd (client-certificate auth).
ensure_certificate "$FERRY_SECRETS" "agent-$FERRY_NODE_NAME" "$ip"
install_certificate "$FERRY_SECRETS" "agent-$FERRY_NODE_NAME" "$FERRY_TLS" root && agent_changed=1
if ! cmp -s "$FERRY_SECRETS/cluster.key" "$FERRY_ETC/cluster.key"; then
  install -m 0600 "$FERRY_SECRETS/cluster.key" "$FERRY_ETC/cluster.key"
  agent_changed=1
fi
# Every key of the agent's Setting enum that differs from its default.
write_file "$FERRY_ETC/agent.yaml" 0644 "# Written by vagrant/scripts/provision-node.sh; keys: node-agent/.../config/Setting.java
nodeName: $FERRY_NODE_NAME
hostname: $ip
address: $ip
transferPort: $FERRY_TRANSFER_PORT
pool: $FERRY_POOL
datasetRoot: $FERRY_DATASET_ROOT
attributesFile: /etc/mesos-slave/attributes
etcdEndpoints: ['https://$FERRY_MASTER_IP:2379']
etcdCaFile: $FERRY_TLS/ca.crt
etcdCertFile: $FERRY_TLS/agent-$FERRY_NODE_NAME.crt
etcdKeyFile: $FERRY_TLS/agent-$FERRY_NODE_NAME.key
tlsCaFile: $FERRY_TLS/ca.crt
tlsCertFile: $FERRY_TLS/agent-$FERRY_NODE_NAME.crt
tlsKeyFile: $FERRY_TLS/agent-$FERRY_NODE_NAME.key
clusterKeyFile: $FERRY_ETC/cluster.key" && agent_changed=1
[ -f /etc/default/ferry-agent ] || write_file /etc/default/ferry-agent 0644 "# FERRY_* overrides of /etc/ferry/agent.yaml, and JVM options
# e.g. a cap on this node's outgoing transfers (docs/operations.md): FERRY_TRANSFER_MAX_BYTES_PER_SECOND=50Mi
FERRY_JAVA_OPTS=-Xmx256m" || true
apt_install openjdk-17-jre-headless
install_unit ferry-agent.service && agent_changed=1

systemctl daemon-reload
start_unit ferry-pool "$pool_changed"
start_unit mesos-slave "$slave_changed"
start_unit ferry-agent "$agent_changed"

# --- ready? ------------------------------------------------------------------------------------------
wait_for "the Mesos agent on $ip:5051" 900 curl -fsS "http://$ip:5051/state"
wait_for "the Ferry agent's transfer server on $ip:$FERRY_TRANSFER_PORT" 180 bash -c "exec 3<>/dev/tcp/$ip/$FERRY_TRANSFER_PORT"
log "$FERRY_NODE_NAME ready: attributes $FERRY_NODE_ATTRIBUTES, pool $FERRY_POOL, agent on $ip:$FERRY_TRANSFER_PORT"
