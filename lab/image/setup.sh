# Runs inside the new image (chroot) once, at build time.
set -euo pipefail

# Each host gets its own SSH host key and machine id at provisioning, never the image's.
rm -f /etc/ssh/ssh_host_*
: > /etc/machine-id

# Services are enabled per host (etcd on masters, haproxy on lb); Debian's etcd
# would otherwise start with its own defaults bound to 127.0.0.1.
systemctl disable etcd.service haproxy.service >/dev/null 2>&1 || true
systemctl enable ssh.service >/dev/null 2>&1
# Timers and checks that only add noise or load on a lab host.
systemctl mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service \
  fstrim.timer systemd-tmpfiles-clean.timer >/dev/null 2>&1 || true

install -d -o etcd -g etcd -m 700 /var/lib/etcd
chmod 0755 /usr/local/bin/* /usr/local/libexec/tsplay-lab/*
chmod 0440 /etc/sudoers.d/lab

# deploy: sudo without a password; ops: sudo asks for the password.
for u in deploy ops; do
  useradd -m -s /bin/bash -G sudo "$u"
  echo "$u:tsplay-lab" | chpasswd
done

# Lab hosts never reach a mirror.
rm -f /etc/apt/sources.list /etc/apt/sources.list.d/*
apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/*.log
