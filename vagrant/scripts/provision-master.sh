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

# --- secrets and certificates ----------------------------------------------------------------------
# Made here unless dist.sh made them on the host; the nodes read the cluster key and the CA from
# the same folder. etcd's, the controller's and admin's (etcdctl's) certificates are the master's.
ensure_secrets "$FERRY_SECRETS"
ensure_certificate "$FERRY_SECRETS" etcd 127.0.0.1 "$ip"
ensure_certificate "$FERRY_SECRETS" controller 127.0.0.1 "$ip"
ensure_certificate "$FERRY_SECRETS" admin
install -d -m 0755 "$FERRY_ETC"
install_certificate "$FERRY_SECRETS" admin "$FERRY_TLS" root || true

# --- etcd: reachable from the nodes, for the cluster's certificates only ----------------------------
# The agents on node1 and node2 hold their Node leases in this etcd. Clients only: the peer URLs
# stay on localhost (a one-member cluster). HTTPS, and etcd's own client-certificate
# authentication: only a client with a certificate of the cluster CA (the controller, the agents,
# etcdctl with admin's) gets in.
etcd_changed=0
install_certificate "$FERRY_SECRETS" etcd /etc/etcd/tls etcd && etcd_changed=1
if write_file /etc/default/etcd 0644 "# Written by vagrant/scripts/provision-master.sh
ETCD_LISTEN_CLIENT_URLS=https://127.0.0.1:2379,https://$ip:2379
ETCD_ADVERTISE_CLIENT_URLS=https://$ip:2379
ETCD_CERT_FILE=/etc/etcd/tls/etcd.crt
ETCD_KEY_FILE=/etc/etcd/tls/etcd.key
ETCD_TRUSTED_CA_FILE=/etc/etcd/tls/ca.crt
ETCD_CLIENT_CERT_AUTH=true"; then
  etcd_changed=1
fi
start_unit etcd "$etcd_changed"
wait_for "etcd on $ip:2379" 60 env ETCDCTL_API=3 etcdctl --endpoints="https://$ip:2379" \
  --cacert="$FERRY_TLS/ca.crt" --cert="$FERRY_TLS/admin.crt" --key="$FERRY_TLS/admin.key" endpoint health

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

token=$(cat "$FERRY_SECRETS/admin.token")

controller_changed=0
install_bundle controller && controller_changed=1
install -d -m 0750 -o root -g ferry "$FERRY_ETC"
install_certificate "$FERRY_SECRETS" controller "$FERRY_TLS" ferry && controller_changed=1
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
tls: {certFile: $FERRY_TLS/controller.crt, keyFile: $FERRY_TLS/controller.key, caFile: $FERRY_TLS/ca.crt}
etcd:
  endpoints: ['https://127.0.0.1:2379']
  caFile: $FERRY_TLS/ca.crt
  certFile: $FERRY_TLS/controller.crt
  keyFile: $FERRY_TLS/controller.key
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
  # $FERRY_ETC is the ferry group's only: the user gets their own copy of the CA certificate.
  install -m 0644 -o "$owner" "$FERRY_TLS/ca.crt" "$home/.ferry/ca.crt"
  write_file "$home/.ferry/config" 0600 "current-context: vagrant
contexts:
- {name: vagrant, server: 'https://$ip:$FERRY_CONTROLLER_PORT', token: '$token', certificate-authority: $home/.ferry/ca.crt}" || true
  chown "$owner" "$home/.ferry/config"
done

# --- ready? ---------------------------------------------------------------------------------------------
# The first start pulls the Mesos and Marathon images: give it time.
wait_for "the Mesos master on $ip:5050" 900 curl -fsS "http://$ip:5050/master/health"
wait_for "Marathon on $ip:8080" 900 curl -fsS "http://$ip:8080/ping"
wait_for "the Ferry controller on $ip:$FERRY_CONTROLLER_PORT" 180 curl -fsS --cacert "$FERRY_TLS/ca.crt" "https://$ip:$FERRY_CONTROLLER_PORT/healthz"
log "master ready: Mesos http://$ip:5050, Marathon http://$ip:8080, Ferry API https://$ip:$FERRY_CONTROLLER_PORT (CA $FERRY_TLS/ca.crt)"
