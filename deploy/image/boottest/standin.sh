#!/bin/bash
# standin.sh - a Raspberry Pi OS Lite (64-bit, trixie) stand-in made from Debian's archive.
#
# Usage (as root): standin.sh [CACHE_DIR]     (default /var/cache/kiosk-image-test)
# Prints the path of the stand-in image, CACHE_DIR/standin-KEY/standin-raspios-trixie-
# arm64-lite.img.xz (its SHA-256 in the .sha256 file beside it).  KEY is a hash of
# packages.txt and this script: a second run with neither changed reuses the image.
#
# Laid out like Raspberry Pi OS Lite: an MBR disk, partition 1 FAT32 "bootfs" at sector
# 8192 (512 MiB) with config.txt, cmdline.txt, kernel8.img and initramfs8; partition 2
# ext4 "rootfs"; fstab and cmdline.txt by PARTUUID; no SSH host keys and ssh.service off;
# a user "pi" (uid 1000) without a password and a userconfig.service that would ask for
# one (both as Raspberry Pi OS ships them).  The kernel is Debian's linux-image-arm64, so
# QEMU's "virt" machine can boot it; an initramfs-tools hook copies kernel and initramfs
# to the boot partition as Raspberry Pi OS's raspi-firmware hooks do.  Differences from
# the real image: README.md beside this script.
#
# Needs: mmdebstrap, qemu-user-static + binfmt-support (arm64 programs run through
# binfmt_misc, enabled here), fdisk (sfdisk), dosfstools, mtools, e2fsprogs, xz-utils.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${1:-/var/cache/kiosk-image-test}
NAME=standin-raspios-trixie-arm64-lite.img
SUITE=trixie
MIRROR=${KIOSK_STANDIN_MIRROR:-http://deb.debian.org/debian}
MiB=$((1024 * 1024))

log() { printf 'standin: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (mmdebstrap --mode=root, binfmt_misc)"
for tool in mmdebstrap sfdisk mkfs.vfat mcopy mke2fs xz sha256sum chroot; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install mmdebstrap fdisk dosfstools mtools e2fsprogs xz-utils)"
done

KEY=$(cat "$HERE/packages.txt" "$0" | sha256sum | cut -c1-16)
OUT=$CACHE/standin-$KEY
if [ -f "$OUT/$NAME.xz.sha256" ] && [ -f "$OUT/$NAME.xz" ]; then
  log "cached: $OUT/$NAME.xz"
  echo "$OUT/$NAME.xz"
  exit 0
fi

# arm64 programs in the chroot run through qemu-user (binfmt_misc), also on a fresh machine.
if [ ! -e /proc/sys/fs/binfmt_misc/status ]; then
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
  command -v update-binfmts >/dev/null || die "update-binfmts is missing (apt-get install binfmt-support qemu-user-static)"
  update-binfmts --enable qemu-aarch64 || die "cannot enable qemu-aarch64 in binfmt_misc (qemu-user-static installed?)"
fi
head -n1 /proc/sys/fs/binfmt_misc/qemu-aarch64 | grep -qx enabled ||
  update-binfmts --enable qemu-aarch64

mkdir -p "$CACHE"
WORK=$(mktemp -d "$CACHE/.standin-XXXXXX")
cleanup() {
  # mmdebstrap unmounts what it mounted; a cut-short run may leave /dev, /proc mounted.
  local m
  for m in $(awk -v w="$WORK" '$2 ~ "^"w {print $2}' /proc/mounts | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PACKAGES=$(sed -e 's/#.*//' "$HERE/packages.txt" | xargs | tr ' ' ,)
DISKID=$(printf '%s' "$KEY" | cut -c1-8)
ROOT=$WORK/root

# The hooks run on this machine with the root folder as $1; "chroot $1" runs arm64 programs.
CUSTOMIZE=$(
  cat <<EOF
set -e
R=\$1
echo raspberrypi >"\$R/etc/hostname"
printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\traspberrypi\n' >"\$R/etc/hosts"
cat >"\$R/etc/fstab" <<FSTAB
proc            /proc           proc    defaults          0       0
PARTUUID=$DISKID-01  /boot/firmware  vfat    defaults          0       2
PARTUUID=$DISKID-02  /               ext4    defaults,noatime  0       1
FSTAB
rm -f "\$R/etc/apt/sources.list"
mkdir -p "\$R/etc/apt/sources.list.d"
cat >"\$R/etc/apt/sources.list.d/debian.sources" <<SRC
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main contrib non-free non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${MIRROR%/debian}/debian-security
Suites: $SUITE-security
Components: main contrib non-free non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
# Raspberry Pi OS's user: "pi", uid 1000, no password until userconfig (or Imager) sets one.
chroot "\$R" useradd -m -u 1000 -s /bin/bash -G adm,dialout,cdrom,sudo,audio,video,plugdev,users,input,netdev pi
chroot "\$R" usermod -p '*' pi
cat >"\$R/usr/lib/systemd/system/userconfig.service" <<UNIT
# Stand-in for Raspberry Pi OS's userconf-pi: on a real card this asks on tty8 for a
# user name and password and holds the boot until answered.  The kiosk image masks it.
[Unit]
Description=Stand-in for Raspberry Pi OS's first-user wizard
Before=systemd-user-sessions.service

[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo "userconfig: the first-user wizard would run here" >/dev/console; touch /run/standin-userconfig-ran'

[Install]
WantedBy=multi-user.target
UNIT
chroot "\$R" systemctl enable userconfig.service
mkdir -p "\$R/etc/ssh/sshd_config.d"
printf 'Banner /usr/share/userconf-pi/sshd_banner\n' >"\$R/etc/ssh/sshd_config.d/rename_user.conf"
mkdir -p "\$R/usr/share/userconf-pi"
printf '\nPlease note that SSH may not work until a valid user has been set up.\n\n' >"\$R/usr/share/userconf-pi/sshd_banner"
# Raspberry Pi OS trixie customises the first boot with cloud-init; the stand-in has its
# configuration folder only (cloud-init and its ~30 Python packages take long under
# qemu-user): the builder disables cloud-init when it finds /etc/cloud.
mkdir -p "\$R/etc/cloud/cloud.cfg.d"
printf '# stand-in: Raspberry Pi OS ships cloud-init; see boottest/README.md\n' >"\$R/etc/cloud/cloud.cfg"
# SSH: off and without host keys, as in the published image.
chroot "\$R" systemctl disable ssh.service
rm -f "\$R"/etc/ssh/ssh_host_*
# Kernel and initramfs on the boot partition, kept there on every update (Raspberry Pi
# OS: /boot/firmware/kernel8.img and initramfs8, by its raspi-firmware hooks).
mkdir -p "\$R/etc/initramfs/post-update.d" "\$R/etc/kernel/postinst.d" "\$R/boot/firmware"
cat >"\$R/etc/initramfs/post-update.d/z50-standin-firmware" <<'HOOK'
#!/bin/sh
# Stand-in for Raspberry Pi OS's raspi-firmware hook: initramfs8 on the boot partition.
set -e
version=\$1 initrd=\$2
[ -d /boot/firmware ] || exit 0
cp "/boot/vmlinuz-\$version" /boot/firmware/kernel8.img.new
mv /boot/firmware/kernel8.img.new /boot/firmware/kernel8.img
cp "\$initrd" /boot/firmware/initramfs8.new
mv /boot/firmware/initramfs8.new /boot/firmware/initramfs8
sync
HOOK
chmod 0755 "\$R/etc/initramfs/post-update.d/z50-standin-firmware"
version=\$(basename "\$(ls -d "\$R"/lib/modules/* | tail -n1)")
cp "\$R/boot/vmlinuz-\$version" "\$R/boot/firmware/kernel8.img"
cp "\$R/boot/initrd.img-\$version" "\$R/boot/firmware/initramfs8"
cat >"\$R/boot/firmware/config.txt" <<CONFIG
# For more options and information see
# http://rptl.io/configtxt
# Some settings may impact device functionality. See link above for details

# Uncomment some or all of these to enable the optional hardware interfaces
#dtparam=i2c_arm=on
#dtparam=i2s=on
#dtparam=spi=on

# Enable audio (loads snd_bcm2835)
dtparam=audio=on

# Additional overlays and parameters are documented
# /boot/firmware/overlays/README

# Automatically load overlays for detected cameras
camera_auto_detect=1

# Automatically load overlays for detected DSI displays
display_auto_detect=1

# Automatically load initramfs files, if found
auto_initramfs=1

# Enable DRM VC4 V3D driver
dtoverlay=vc4-kms-v3d
max_framebuffers=2

# Don't have the firmware create an initial video= setting in cmdline.txt.
# Use the kernel's default instead.
disable_fw_kms_setup=1

# Run in 64-bit mode
arm_64bit=1

# Disable compensation for displays with overscan
disable_overscan=1

# Run as fast as firmware / board allows
arm_boost=1

[cm4]
# Enable host mode on the 2711 built-in XHCI USB controller.
# This line should be removed if the legacy DWC2 controller is required
# (e.g. for USB device mode) or if USB support is not required.
otg_mode=1

[cm5]
dtoverlay=dwc2,dr_mode=host

[all]
CONFIG
printf 'console=serial0,115200 console=tty1 root=PARTUUID=$DISKID-02 rootfstype=ext4 fsck.repair=yes rootwait resize quiet\n' >"\$R/boot/firmware/cmdline.txt"
rm -f "\$R/etc/machine-id" "\$R/var/lib/dbus/machine-id"
: >"\$R/etc/machine-id"
EOF
)

log "mmdebstrap $SUITE arm64 (through qemu-user; several minutes)"
start=$SECONDS
mmdebstrap --mode=root --arch=arm64 --variant=important --format=directory \
  --include="$PACKAGES" \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-include=/usr/share/locale/locale.alias' \
  --customize-hook="$CUSTOMIZE" \
  --customize-hook='rm -rf "$1"/var/cache/apt/*.bin "$1"/var/lib/apt/lists/*' \
  "$SUITE" "$ROOT" "$MIRROR" >"$WORK/mmdebstrap.log" 2>&1 ||
  { tail -n 40 "$WORK/mmdebstrap.log" >&2; die "mmdebstrap failed (log above)"; }
log "mmdebstrap took $((SECONDS - start)) s"

# Partition files: FAT32 "bootfs" from /boot/firmware, ext4 "rootfs" from the rest.
BOOT_SECTORS=$((512 * MiB / 512))
mkfs.vfat -F 32 -n bootfs -C "$WORK/boot.vfat" $((512 * 1024)) >/dev/null
MTOOLS_SKIP_CHECK=1 mcopy -s -m -i "$WORK/boot.vfat" "$ROOT"/boot/firmware/* ::
rm -rf "${ROOT:?}"/boot/firmware/*
used_kib=$(du -sk --apparent-size "$ROOT" | cut -f1)
# Room as in the published image (a few hundred MiB free), rounded to 4 MiB.
root_mib=$(((used_kib / 1024 * 115 / 100 + 400 + 3) / 4 * 4))
mke2fs -q -t ext4 -L rootfs -d "$ROOT" "$WORK/root.ext4" "${root_mib}M"
ROOT_SECTORS=$((root_mib * MiB / 512))

IMG=$WORK/$NAME
truncate -s $(((8192 + BOOT_SECTORS + ROOT_SECTORS) * 512)) "$IMG"
sfdisk --quiet "$IMG" <<EOF
label: dos
label-id: 0x$DISKID
unit: sectors

start=8192, size=$BOOT_SECTORS, type=c
start=$((8192 + BOOT_SECTORS)), size=$ROOT_SECTORS, type=83
EOF
dd if="$WORK/boot.vfat" of="$IMG" bs=1M seek=$((8192 * 512 / MiB)) conv=notrunc,sparse status=none
dd if="$WORK/root.ext4" of="$IMG" bs=1M seek=$(((8192 + BOOT_SECTORS) * 512 / MiB)) conv=notrunc,sparse status=none
log "compressing (xz)"
xz -T0 -3 "$IMG"
(cd "$WORK" && sha256sum "$NAME.xz" >"$NAME.xz.sha256")
mkdir -p "$OUT"
cp "$WORK/mmdebstrap.log" "$OUT/mmdebstrap.log"
chroot_list=$(sed -e 's/#.*//' "$HERE/packages.txt" | xargs)
printf 'stand-in made %s from %s %s, packages: %s\n' "$(date -u +%FT%TZ)" "$MIRROR" "$SUITE" "$chroot_list" >"$OUT/README.txt"
mv "$WORK/$NAME.xz" "$WORK/$NAME.xz.sha256" "$OUT/"
log "made $OUT/$NAME.xz in $((SECONDS - start)) s"
echo "$OUT/$NAME.xz"
