#!/usr/bin/env bash
# First provisioning step of every VM (the Vagrantfile passes FERRY_ROLE, FERRY_NODE_NAME,
# FERRY_HOSTS, ...): names on the private network, Debian's contrib section (zfsutils-linux is
# there), and on the nodes the current kernel with its headers and cgroup v1. The kernel and cgroup
# changes count from the next boot, so the Vagrantfile reboots the nodes after this step.
set -euo pipefail

FERRY_REPO=${FERRY_REPO:-/vagrant}
# shellcheck source=lib.sh
source "$FERRY_REPO/vagrant/scripts/lib.sh"

: "${FERRY_ROLE:?set by the Vagrantfile}" "${FERRY_NODE_NAME:?}" "${FERRY_HOSTS:?}"

configure_hosts

# ZFS on Linux is in contrib (its licence keeps it out of main). A file of our own rather than an
# edit of the box's sources.list, so that it works whatever form (sources.list or deb822) the box uses.
contrib="deb https://deb.debian.org/debian bookworm contrib
deb https://deb.debian.org/debian bookworm-updates contrib
deb https://security.debian.org/debian-security bookworm-security contrib"
if write_file /etc/apt/sources.list.d/ferry-contrib.list 0644 "$contrib"; then
  apt_updated=0
fi

apt_install ca-certificates curl

if [ "$FERRY_ROLE" = node ]; then
  # DKMS builds the ZFS module for the kernels whose headers are installed. The box's kernel may be
  # older than the newest headers in the archive, so install the newest kernel and its headers
  # together and boot it (the reboot that follows this step).
  apt_install linux-image-amd64 linux-headers-amd64

  # Mesos 1.7's Docker containerizer reads and writes cgroup v1 hierarchies (cpu, memory);
  # Debian 12 boots with the unified cgroup v2 hierarchy unless told otherwise.
  param=systemd.unified_cgroup_hierarchy=0
  if ! grep -q "$param" /etc/default/grub; then
    sed -i -E "s/^GRUB_CMDLINE_LINUX=\"(.*)\"/GRUB_CMDLINE_LINUX=\"\\1 $param\"/" /etc/default/grub
    grep -q "$param" /etc/default/grub || die "could not add $param to GRUB_CMDLINE_LINUX in /etc/default/grub"
    update-grub
    log "cgroup v1 from the next boot"
  fi
fi
