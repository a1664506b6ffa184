# Debian packages the lab needs on this machine.
# shellcheck shell=bash

# systemd-container: systemd-nspawn; mmdebstrap: the image; util-linux: nsenter, flock;
# ansible-core: the inventory is tested with real Ansible.
LAB_PACKAGES=(systemd-container mmdebstrap openssl openssh-client util-linux ansible-core)

ensure_deps() {
  local missing=() p
  for p in "${LAB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
  done
  (( ${#missing[@]} == 0 )) && return 0
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine may have no package lists yet; update only when the install needs it.
  apt-get install -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
    apt-get update -q -o DPkg::Lock::Timeout=300 >/dev/null
    apt-get install -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends "${missing[@]}" >/dev/null
  } || die "could not install ${missing[*]} with apt-get"
}
