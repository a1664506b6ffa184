# The base image: one Debian tree shared read-only by every host (overlayfs lowerdir).
# shellcheck shell=bash

# The image id covers these packages and every file under lab/image/: change
# either and the next `up` builds a new image (and new host disks).
# git, zip, unzip, bzip2 and xz-utils are what the git, archive and unarchive
# modules run on a host, as a RHEL host has them. No libpam-systemd: every SSH
# login would start and stop session units and write under /run, which the
# check-mode proofs (nothing started, stopped or written) must not see.
LAB_IMAGE_PACKAGES=systemd,systemd-sysv,dbus,openssh-server,etcd-server,etcd-client,haproxy,iproute2,procps,python3,sudo,less,git,zip,unzip,bzip2,xz-utils

ensure_image() {
  local dir tmp t0
  dir=$(image_dir)
  [[ -f $dir/.tsplay-lab-image ]] && return 0
  mkdir -p "$LAB_CACHE"
  # A build killed half-way leaves a tmp tree behind, maybe with /proc or /dev
  # still mounted in it; it is never used, only unmounted and removed.
  unmount_under "$LAB_CACHE/build."
  rm -rf --one-file-system "$LAB_CACHE"/build.* "$dir"
  tmp=$LAB_CACHE/build.$$
  t0=$(now)
  log "building the base image (once; cached in $LAB_CACHE)"
  mmdebstrap --quiet --variant=apt --include="$LAB_IMAGE_PACKAGES" \
    --customize-hook="tar -C '$LAB_DIR/image/rootfs' --owner=0 --group=0 -c . | tar -C \"\$1\" -x --keep-directory-symlink --no-overwrite-dir" \
    --customize-hook="cp '$LAB_DIR/image/setup.sh' \"\$1/tmp/setup.sh\" && chroot \"\$1\" /bin/bash /tmp/setup.sh && rm \"\$1/tmp/setup.sh\"" \
    bookworm "$tmp" >"$LAB_CACHE/build.log" 2>&1 \
    || { unmount_under "$tmp"; rm -rf --one-file-system "$tmp"; die "image build failed, see $LAB_CACHE/build.log"; }
  image_id >"$tmp/.tsplay-lab-image"
  mv "$tmp" "$dir"
  log "base image built in $(since "$t0") s ($(du -sm "$dir" | cut -f1) MB)"
  prune_images
}

# Unmounts every mount point whose path starts with $1, deepest first.
unmount_under() {
  local m
  { findmnt -rn -o TARGET | grep -F -- "$1" || true; } | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m"
  done
  return 0
}

# Older images are removed once no host disk is based on them.
prune_images() {
  local cur d used
  cur=$(image_dir)
  for d in "$LAB_CACHE"/image-*; do
    [[ -d $d && $d != "$cur" ]] || continue
    used=$(grep -lx "$d" "$LAB_STATE"/hosts/*/image 2>/dev/null || true)
    [[ -z $used ]] && rm -rf --one-file-system "$d"
  done
  return 0
}
