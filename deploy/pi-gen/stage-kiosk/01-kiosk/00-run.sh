#!/bin/bash -e
# pi-gen stage-kiosk: the kiosk application and its setup, as kiosk-image puts them into
# an official image (deploy/pi-gen/README.md).  Runs on the build host as root, with
# pi-gen's ROOTFS_DIR, FIRST_USER_NAME and on_chroot; needs, from the pi-gen config:
#   KIOSK_REPO         the kiosk's repository (this checkout)
#   KIOSK_SITE_CONFIG  the site's kiosk.toml
: "${KIOSK_REPO:?set KIOSK_REPO in the pi-gen config (the kiosk repository)}"
: "${KIOSK_SITE_CONFIG:?set KIOSK_SITE_CONFIG in the pi-gen config (the site kiosk.toml)}"
FILES="${KIOSK_REPO}/deploy/image/files"
EDIT=(python3 "${KIOSK_REPO}/deploy/pi-gen/kiosk-edit.py")

# The application in /opt/kiosk, without caches or virtual environments.
install -d "${ROOTFS_DIR}/opt/kiosk"
rsync -rlt --delete --exclude __pycache__ --exclude '*.pyc' --exclude '*.egg-info' \
	"${KIOSK_REPO}/kiosk" "${KIOSK_REPO}/hardware" "${KIOSK_REPO}/assets" \
	"${KIOSK_REPO}/deploy" "${KIOSK_REPO}/README.md" "${KIOSK_REPO}/pyproject.toml" \
	"${ROOTFS_DIR}/opt/kiosk/"
chown -R root:root "${ROOTFS_DIR}/opt/kiosk"

# The kiosk command, the first-boot script, kiosk-root, units and drop-ins.
cp -r --no-preserve=ownership "${FILES}/." "${ROOTFS_DIR}/"
install -m 644 "${KIOSK_REPO}/deploy/systemd/kiosk.service" "${ROOTFS_DIR}/etc/systemd/system/"
install -D -m 644 "${KIOSK_REPO}/deploy/systemd/kiosk.sysusers" \
	"${ROOTFS_DIR}/etc/sysusers.d/kiosk.conf"
install -D -m 644 "${KIOSK_REPO}/deploy/systemd/kiosk.tmpfiles" \
	"${ROOTFS_DIR}/etc/tmpfiles.d/kiosk.conf"

# What the first boot puts on the data partition it makes: the site config, the story.
SKELETON="${ROOTFS_DIR}/usr/share/kiosk-image/data"
install -d "${SKELETON}/config" "${SKELETON}/story" "${SKELETON}/log"
"${EDIT[@]}" config "${KIOSK_SITE_CONFIG}" >"${SKELETON}/config/kiosk.toml"
install -m 664 "${KIOSK_REPO}"/assets/story/*.toml "${SKELETON}/story/"
install -d "${ROOTFS_DIR}/etc/kiosk" "${ROOTFS_DIR}/var/lib/kiosk"
ln -sfn /var/lib/kiosk/config/kiosk.toml "${ROOTFS_DIR}/etc/kiosk/kiosk.toml"

# fstab (the data partition) and the kernel command line (quiet boot on tty3, no resize
# of the root at first boot: the data partition goes after it), as kiosk-image edits them.
"${EDIT[@]}" fstab "${ROOTFS_DIR}/etc/fstab"
"${EDIT[@]}" cmdline "${ROOTFS_DIR}/boot/firmware/cmdline.txt"

on_chroot <<CHROOT
systemd-sysusers /etc/sysusers.d/kiosk.conf
chown kiosk:kiosk-staff /var/lib/kiosk
chmod 0750 /var/lib/kiosk
chgrp kiosk-staff /etc/kiosk
chmod 2775 /etc/kiosk
usermod -aG kiosk-staff,adm,systemd-journal,video "${FIRST_USER_NAME}"
systemctl enable ssh.service kiosk.service kiosk-firstboot.service
systemctl mask getty@tty1.service autovt@tty1.service userconfig.service
if [ -d /etc/cloud ]; then touch /etc/cloud/cloud-init.disabled; fi
CHROOT
