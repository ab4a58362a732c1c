#!/usr/bin/env bash
# Provisions the master VM: ZooKeeper and etcd (Debian packages), the Mesos master and Marathon
# (Docker images under systemd), and the Ferry controller (jars from vagrant/dist) with its
# config, tokens and cluster key. Safe to run again: each step changes only what differs, and a
# service is restarted only when its files changed.
set -euo pipefail

FERRY_REPO=${FERRY_REPO:-/vagrant}
# shellcheck source=lib.sh
source "$FERRY_REPO/vagrant/scripts/lib.sh"

: "${FERRY_MASTER_IP:?set by the Vagrantfile}" "${FERRY_MESOS_VERSION:?}" "${FERRY_MARATHON_VERSION:?}"
ip=$FERRY_MASTER_IP
zk="$ip:2181"

# --- packages ---------------------------------------------------------------------------------
# zookeeperd runs ZooKeeper as a service on port 2181; etcd-server is etcd 3.4 (API v3, what Ferry
# uses); redis-tools only to look at the demo's data (README.md, step 9).
apt_install zookeeperd etcd-server etcd-client openjdk-17-jre-headless redis-tools
install_docker
systemctl enable --quiet --now zookeeper

# --- etcd: reachable from the nodes ---------------------------------------------------------------
# The agents on node1 and node2 hold their Node leases in this etcd. Clients only: the peer URLs
# stay on localhost (a one-member cluster). No TLS or auth on the private network: see
# README.md, "What differs from a production cluster".
etcd_changed=0
if write_file /etc/default/etcd 0644 "# Written by vagrant/scripts/provision-master.sh
ETCD_LISTEN_CLIENT_URLS=http://127.0.0.1:2379,http://$ip:2379
ETCD_ADVERTISE_CLIENT_URLS=http://$ip:2379"; then
  etcd_changed=1
fi
start_unit etcd "$etcd_changed"
wait_for "etcd on $ip:2379" 60 env ETCDCTL_API=3 etcdctl --endpoints="http://$ip:2379" endpoint health

# --- Mesos master and Marathon --------------------------------------------------------------------
mkdir -p /var/lib/mesos/master /var/log/mesos
mesos_changed=0
# Docker --env-file format: NAME=value, no quotes, no spaces.
write_file /etc/ferry/mesos-master.env 0644 "IMAGE=mesosphere/mesos-master:$FERRY_MESOS_VERSION" && mesos_changed=1
write_file /etc/ferry/mesos-master.flags 0644 "MESOS_ZK=zk://$zk/mesos
MESOS_QUORUM=1
MESOS_IP=$ip
MESOS_HOSTNAME=$ip
MESOS_CLUSTER=ferry
MESOS_WORK_DIR=/var/lib/mesos/master
MESOS_LOG_DIR=/var/log/mesos" && mesos_changed=1
install_unit mesos-master.service && mesos_changed=1

marathon_changed=0
write_file /etc/ferry/marathon.env 0644 "IMAGE=mesosphere/marathon:$FERRY_MARATHON_VERSION" && marathon_changed=1
# LIBPROCESS_IP: the address libmesos in Marathon listens on and gives the Mesos master; without
# it, it picks the NAT interface that the master cannot reach.
write_file /etc/ferry/marathon.flags 0644 "MARATHON_MASTER=zk://$zk/mesos
MARATHON_ZK=zk://$zk/marathon
MARATHON_HOSTNAME=$ip
MARATHON_HTTP_PORT=8080
LIBPROCESS_IP=$ip" && marathon_changed=1
install_unit marathon.service && marathon_changed=1

systemctl daemon-reload
start_unit mesos-master "$mesos_changed"
start_unit marathon "$marathon_changed"

# --- Ferry controller -------------------------------------------------------------------------------
getent group ferry >/dev/null || groupadd --system ferry
getent passwd ferry >/dev/null || useradd --system --gid ferry --home-dir /var/lib/ferry --shell /usr/sbin/nologin ferry

# The secrets: made here unless dist.sh made them on the host; the nodes copy the cluster key
# from the same folder.
ensure_secrets "$FERRY_SECRETS"
token=$(cat "$FERRY_SECRETS/admin.token")

controller_changed=0
install_bundle controller && controller_changed=1
install -d -m 0750 -o root -g ferry "$FERRY_ETC"
if ! cmp -s "$FERRY_SECRETS/cluster.key" "$FERRY_ETC/cluster.key"; then
  install -m 0640 -o root -g ferry "$FERRY_SECRETS/cluster.key" "$FERRY_ETC/cluster.key"
  controller_changed=1
fi
# token,user,role (TokenFile): one admin, for ferryctl in the VMs and on the host.
write_file "$FERRY_ETC/tokens.csv" 0640 "# token,user,role (written by vagrant/scripts/provision-master.sh)
$token,admin,admin" && controller_changed=1
chown root:ferry "$FERRY_ETC/tokens.csv"
# Every key of ControllerConfig. The API listens on all interfaces so that ferryctl on the host
# reaches it at $ip:$FERRY_CONTROLLER_PORT; Marathon's leader and the Mesos master are found in
# ZooKeeper where they elect themselves (the url is Marathon's address until ZooKeeper names
# one), and placement reads the agents' attributes from Mesos; etcd and ZooKeeper are local.
# Values with colons are quoted, so that no YAML parser takes them for keys inside {...}.
write_file "$FERRY_ETC/controller.yaml" 0644 "# Written by vagrant/scripts/provision-master.sh; keys: controller/.../ControllerConfig.java
listen: {host: 0.0.0.0, port: $FERRY_CONTROLLER_PORT}
etcd:
  endpoints: ['http://127.0.0.1:2379']
tokensFile: $FERRY_ETC/tokens.csv
clusterKeyFile: $FERRY_ETC/cluster.key
marathon: {url: 'http://$ip:8080', zk: 'zk://$zk/marathon'}
mesos: {zk: 'zk://$zk/mesos'}
zookeeper: {connect: '127.0.0.1:2181', path: /ferry}
gitops: {cacheDir: /var/lib/ferry/gitops}
taskGuard: $FERRY_TASK_GUARD" && controller_changed=1
[ -f /etc/default/ferry-controller ] || write_file /etc/default/ferry-controller 0644 "# FERRY_* overrides of /etc/ferry/controller.yaml, and JVM options
FERRY_JAVA_OPTS=-Xmx384m" || true
install_unit ferry-controller.service && controller_changed=1
systemctl daemon-reload
start_unit ferry-controller "$controller_changed"

# --- ferryctl -----------------------------------------------------------------------------------------
install_bundle ferryctl || true
write_file /usr/local/bin/ferryctl 0755 "#!/bin/sh
# ferryctl from vagrant/dist (written by vagrant/scripts/provision-master.sh)
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar $FERRY_OPT/ferryctl/ferryctl.jar \"\$@\"" || true
# A context for root and for vagrant (ClientConfig: ~/.ferry/config, mode 600).
for home in /root /home/vagrant; do
  [ -d "$home" ] || continue
  owner=$(stat -c %U "$home")
  install -d -m 0700 -o "$owner" "$home/.ferry"
  write_file "$home/.ferry/config" 0600 "current-context: vagrant
contexts:
- {name: vagrant, server: 'http://$ip:$FERRY_CONTROLLER_PORT', token: '$token'}" || true
  chown "$owner" "$home/.ferry/config"
done

# --- ready? ---------------------------------------------------------------------------------------------
# The first start pulls the Mesos and Marathon images: give it time.
wait_for "the Mesos master on $ip:5050" 900 curl -fsS "http://$ip:5050/master/health"
wait_for "Marathon on $ip:8080" 900 curl -fsS "http://$ip:8080/ping"
wait_for "the Ferry controller on $ip:$FERRY_CONTROLLER_PORT" 180 curl -fsS "http://$ip:$FERRY_CONTROLLER_PORT/healthz"
log "master ready: Mesos http://$ip:5050, Marathon http://$ip:8080, Ferry API http://$ip:$FERRY_CONTROLLER_PORT"
