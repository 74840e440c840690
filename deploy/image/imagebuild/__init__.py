"""kiosk-image: turn a Raspberry Pi OS Lite image into the kiosk's image, without root.

Modules, one job each:

- :mod:`imagebuild.errors` — the one exception type, with a message for the technician;
- :mod:`imagebuild.tools` — the external programs used, and the apt package of each;
- :mod:`imagebuild.disk` — the partition table (``sfdisk``), sparse copies, ``.xz``;
- :mod:`imagebuild.bootfs` — files on the FAT boot partition (mtools);
- :mod:`imagebuild.extfs` — files on ext4 partitions (``debugfs``, ``mke2fs``, ``resize2fs``);
- :mod:`imagebuild.plan` — pure text edits: ``cmdline.txt``, ``fstab``, accounts, Wi-Fi …;
- :mod:`imagebuild.debs` — the offline ``.deb`` bundle: checking it, fetching it;
- :mod:`imagebuild.build` — putting it all together.
"""
