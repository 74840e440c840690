"""Pure edits of the text files that make a Raspberry Pi OS image into the kiosk.

No I/O here: each function takes the file's text (and the technician's inputs)
and returns the new text, or raises :class:`BuildError` naming what is wrong.
"""

from __future__ import annotations

import base64
import re
import struct
import tomllib
import uuid
from dataclasses import dataclass, field

from imagebuild.errors import BuildError

# -- where things go (shared with the first-boot script and the docs) ------------------
DATA_LABEL = "kioskdata"
DATA_MOUNT = "/var/lib/kiosk"
#: The site config on the data partition; /etc/kiosk/kiosk.toml is a symlink to it.
DATA_CONFIG = f"{DATA_MOUNT}/config/kiosk.toml"
#: The story files staff edit, on the data partition (the bundled copy stays in /opt/kiosk).
DATA_STORY = f"{DATA_MOUNT}/story"
#: nofail: a card without the data partition still boots.  The device timeout counts from
#: early in the boot, before udev has looked at the card's partitions: 10 s was too short
#: for a slow start (the QEMU boot test: udev's coldplug alone took 14 s), and then the
#: statistics went to the RAM overlay and were lost at the next reboot.
FSTAB_OPTIONS = "defaults,noatime,nofail,x-systemd.device-timeout=60s"

# -- cmdline.txt ---------------------------------------------------------------------
#: Tokens that start Raspberry Pi OS's own first-boot jobs: growing the root partition to
#: the end of the card (impossible with the data partition after it), a new disk id,
#: Raspberry Pi Imager's firstrun.sh.  The kiosk's first boot does what is needed.
_FIRST_BOOT_TOKENS = ("resize",)
_FIRST_BOOT_PREFIXES = (
    "init=/usr/lib/raspberrypi-sys-mods/firstboot",
    "init=/usr/lib/raspi-config/init_resize.sh",
    "systemd.run=",
    "systemd.run_success_action=",
    "systemd.unit=kernel-command-line.target",
)
#: Tokens the kiosk sets (old values of the same keys are replaced).
QUIET_BOOT = (
    "console=tty3",  # kernel messages go to tty3, never to the exhibit's tty1
    "quiet",
    "loglevel=3",
    "logo.nologo",  # no raspberries in the corner
    "vt.global_cursor_default=0",  # no blinking cursor on the console
    "consoleblank=0",  # the kiosk decides when the screen is dark
    "systemd.show_status=false",
    "rd.systemd.show_status=false",
    "udev.log_level=3",
)


def _key(token: str) -> str:
    return token.split("=", 1)[0]


def kiosk_cmdline(text: str, *, wifi_country: str | None = None) -> str:
    """``cmdline.txt`` for the kiosk: quiet boot on tty3, Pi OS first-boot jobs off.

    Keeps ``root=PARTUUID=…`` and every other token in place; replaces
    ``console=tty1`` by ``console=tty3``.
    """
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise BuildError("cmdline.txt on the boot partition is empty")
    tokens = lines[0].split()
    if not any(t.startswith("root=") for t in tokens):
        raise BuildError(f"cmdline.txt has no root= (is this Raspberry Pi OS?): {lines[0]!r}")
    keys_set = {_key(t) for t in QUIET_BOOT if "=" in t} - {"console"}
    keep: list[str] = []
    for token in tokens:
        if token in _FIRST_BOOT_TOKENS or token.startswith(_FIRST_BOOT_PREFIXES):
            continue
        if token in ("console=tty1", "console=tty0") or token in QUIET_BOOT:
            continue
        if "=" in token and _key(token) in keys_set:
            continue
        if wifi_country and _key(token) == "cfg80211.ieee80211_regdom":
            continue
        keep.append(token)
    keep.extend(QUIET_BOOT)
    if wifi_country:
        keep.append(f"cfg80211.ieee80211_regdom={wifi_country}")
    return " ".join(keep) + "\n"


def root_partuuid(cmdline: str) -> str | None:
    """The ``root=PARTUUID=…`` value of a kernel command line, if it has one."""
    found = re.search(r"(?:^|\s)root=PARTUUID=(\S+)", cmdline)
    return found.group(1) if found else None


def ensure_initramfs(config_txt: str) -> str:
    """``config.txt`` with the initramfs loaded (overlayroot runs in the initramfs)."""
    if re.search(r"^\s*(auto_initramfs\s*=\s*1|initramfs\s)", config_txt, re.M):
        return config_txt
    tail = "" if config_txt.endswith("\n") or not config_txt else "\n"
    return (
        f"{config_txt}{tail}\n[all]\n# kiosk-image: the read-only root (overlayroot) "
        "runs in the initramfs\nauto_initramfs=1\n"
    )


# -- fstab -----------------------------------------------------------------------------
def with_data_mount(fstab: str) -> str:
    """``/etc/fstab`` with the data partition mounted at ``/var/lib/kiosk``.

    Every other line stays as it is; an older line for the same mount point is replaced.
    """
    lines = []
    for line in fstab.splitlines():
        fields = line.split()
        if len(fields) > 1 and not fields[0].startswith("#") and fields[1] == DATA_MOUNT:
            continue
        lines.append(line)
    lines.append(f"LABEL={DATA_LABEL}  {DATA_MOUNT}  ext4  {FSTAB_OPTIONS}  0  2")
    return "\n".join(lines) + "\n"


# -- hostname --------------------------------------------------------------------------
_HOSTNAME = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")


def check_hostname(name: str) -> str:
    """The hostname, if it is one label of lower-case letters, digits and hyphens."""
    if not _HOSTNAME.match(name):
        raise BuildError(
            f"--hostname {name!r}: use 1–63 lower-case letters, digits and hyphens "
            "(not at the start or end), e.g. apollo-soyuz-1"
        )
    return name


def with_hostname(hosts: str, name: str) -> str:
    """``/etc/hosts`` with ``127.0.1.1`` naming the new host (as Debian does)."""
    lines = [line for line in hosts.splitlines() if not line.startswith("127.0.1.1")]
    lines.append(f"127.0.1.1\t{name}")
    return "\n".join(lines) + "\n"


# -- SSH ---------------------------------------------------------------------------------
_KEY_TYPES = (
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
)


def authorized_keys(text: str, source: str) -> str:
    """The public keys in ``text`` (an OpenSSH ``.pub`` file), checked line by line."""
    if "PRIVATE KEY" in text:
        raise BuildError(
            f"{source}: this is a private key; give the public one (the .pub file next to it)"
        )
    keys = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split()
        where = f"{source}:{number}"
        if fields[0] not in _KEY_TYPES:
            raise BuildError(
                f"{where}: expected an OpenSSH public key (ssh-ed25519 AAAA… comment), "
                f"got {fields[0][:30]!r}"
            )
        if len(fields) < 2:
            raise BuildError(f"{where}: the key itself (AAAA…) is missing after {fields[0]}")
        try:
            blob = base64.b64decode(fields[1], validate=True)
            (length,) = struct.unpack(">I", blob[:4])
            kind = blob[4 : 4 + length].decode("ascii")
        except (ValueError, struct.error, UnicodeDecodeError):
            raise BuildError(f"{where}: the key is damaged (not valid base64)") from None
        if kind != fields[0]:
            raise BuildError(f"{where}: the key says {kind!r} but the line says {fields[0]!r}")
        keys.append(" ".join(fields))
    if not keys:
        raise BuildError(f"{source}: no public key in the file")
    return "\n".join(keys) + "\n"


def sudoers(user: str) -> str:
    """The staff account may use sudo without a password (it has none: key-only SSH)."""
    return (
        "# kiosk-image: the staff account has no password (SSH keys only), so sudo\n"
        "# asks for none.  Remove this file to take sudo away.\n"
        f"{user} ALL=(ALL:ALL) NOPASSWD: ALL\n"
    )


# -- Wi-Fi -----------------------------------------------------------------------------
def check_country(code: str) -> str:
    """An ISO 3166 two-letter country code (the Wi-Fi regulatory domain)."""
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise BuildError(f"--wifi-country {code!r}: use the two capital letters, e.g. NO or GB")
    return code


def wifi_psk(text: str, source: str) -> str:
    """The passphrase from the first line of ``source`` (8–63 characters, or 64 hex)."""
    psk = text.split("\n", 1)[0].rstrip("\r")
    if re.fullmatch(r"[0-9a-fA-F]{64}", psk):
        return psk
    if not 8 <= len(psk) <= 63 or not all(" " <= ch <= "~" for ch in psk):
        raise BuildError(
            f"{source}: the Wi-Fi passphrase must be 8 to 63 printable ASCII characters "
            f"on the first line (found {len(psk)} characters)"
        )
    return psk


def _keyfile_value(value: str) -> str:
    out = value.replace("\\", "\\\\")
    if out.startswith(" "):
        out = "\\s" + out[1:]
    return out


def wifi_connection(ssid: str, psk: str) -> str:
    """A NetworkManager keyfile for a WPA-PSK network (install with mode 0600)."""
    if not ssid or len(ssid.encode()) > 32 or any(ord(ch) < 32 for ch in ssid):
        raise BuildError(f"--wifi-ssid {ssid!r}: 1 to 32 bytes, no control characters")
    connection_id = uuid.uuid5(uuid.NAMESPACE_URL, f"kiosk-image:wifi:{ssid}")
    return (
        "# kiosk-image: the museum's Wi-Fi (deploy/README.md)\n"
        "[connection]\n"
        "id=kiosk-wifi\n"
        f"uuid={connection_id}\n"
        "type=wifi\n"
        "autoconnect=true\n"
        "\n[wifi]\n"
        "mode=infrastructure\n"
        f"ssid={_keyfile_value(ssid)}\n"
        "\n[wifi-security]\n"
        "key-mgmt=wpa-psk\n"
        f"psk={_keyfile_value(psk)}\n"
        "\n[ipv4]\nmethod=auto\n"
        "\n[ipv6]\naddr-gen-mode=default\nmethod=auto\n"
    )


# -- the site config -------------------------------------------------------------------
def config_with_story_on_data(text: str, source: str) -> str:
    """The site config, reading the story from the data partition unless it says otherwise.

    Staff edits of the story must survive a reboot, and the root file system is
    read-only, so ``[paths] content`` points at ``/var/lib/kiosk/story`` (the bundled
    story in ``/opt/kiosk`` stays as the fallback).  A config that sets
    ``[paths] content`` itself is left alone.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BuildError(f"{source}: not valid TOML: {exc}") from None
    paths = data.get("paths")
    if isinstance(paths, dict) and "content" in paths:
        return text
    line = f'content = "{DATA_STORY}"   # kiosk-image: the story on the data partition'
    if paths is None:
        tail = "" if text.endswith("\n") or not text else "\n"
        return f"{text}{tail}\n[paths]\n{line}\n"
    lines = text.splitlines()
    for index, current in enumerate(lines):
        if re.fullmatch(r"\s*\[\s*paths\s*\]\s*(#.*)?", current):
            lines.insert(index + 1, line)
            return "\n".join(lines) + "\n"
    raise BuildError(
        f'{source}: set [paths] content yourself (e.g. content = "{DATA_STORY}"): '
        "the builder can only add it under a [paths] header"
    )


# -- accounts ----------------------------------------------------------------------------
@dataclass
class Accounts:
    """``/etc/passwd``, ``group``, ``shadow`` and ``gshadow``, with users and groups added.

    System ids are taken from the top of 100–999 downwards, as ``systemd-sysusers``
    does; a person's account gets the lowest free id from 1000 with a group of the
    same name and number.  ``days`` is the date of the password change fields.
    """

    passwd: list[list[str]]
    group: list[list[str]]
    shadow: list[list[str]] | None
    gshadow: list[list[str]] | None
    days: int
    added: list[str] = field(default_factory=list)

    @classmethod
    def parse(
        cls, passwd: str, group: str, shadow: str | None, gshadow: str | None, days: int
    ) -> Accounts:
        """Read the four files (``shadow``/``gshadow`` may be missing: ``None``)."""

        def rows(text: str | None, width: int, name: str) -> list[list[str]] | None:
            if text is None:
                return None
            out = []
            for number, line in enumerate(text.splitlines(), start=1):
                if not line.strip():
                    continue
                fields = line.split(":")
                if len(fields) != width:
                    raise BuildError(f"/etc/{name}:{number}: expected {width} fields: {line!r}")
                out.append(fields)
            return out

        made = cls(
            rows(passwd, 7, "passwd") or [],
            rows(group, 4, "group") or [],
            rows(shadow, 9, "shadow"),
            rows(gshadow, 4, "gshadow"),
            days,
        )
        if not any(row[0] == "root" for row in made.passwd):
            raise BuildError("/etc/passwd in the image has no root: is this Raspberry Pi OS?")
        return made

    def render(self) -> dict[str, str | None]:
        """The four files' new text (``None`` for a file the image does not have)."""

        def text(rows: list[list[str]] | None) -> str | None:
            return None if rows is None else "".join(":".join(r) + "\n" for r in rows)

        return {
            "passwd": text(self.passwd),
            "group": text(self.group),
            "shadow": text(self.shadow),
            "gshadow": text(self.gshadow),
        }

    def uid(self, name: str) -> int | None:
        """The user's id, if the user exists."""
        return next((int(r[2]) for r in self.passwd if r[0] == name), None)

    def gid(self, name: str) -> int | None:
        """The group's id, if the group exists."""
        return next((int(r[2]) for r in self.group if r[0] == name), None)

    def _used(self) -> tuple[set[int], set[int]]:
        return {int(r[2]) for r in self.passwd}, {int(r[2]) for r in self.group}

    def _system_id(self, taken: set[int]) -> int:
        for number in range(999, 99, -1):
            if number not in taken:
                return number
        raise BuildError("no free system user or group id (100–999) in the image")

    def add_group(self, name: str) -> int:
        """A system group (kept if it exists); its id."""
        found = self.gid(name)
        if found is not None:
            return found
        _uids, gids = self._used()
        number = self._system_id(gids)
        self.group.append([name, "x", str(number), ""])
        if self.gshadow is not None:
            self.gshadow.append([name, "!*", "", ""])
        self.added.append(f"group {name} ({number})")
        return number

    def add_system_user(self, name: str, group: str, gecos: str, home: str) -> int:
        """A system user with no login and no password (kept if it exists); its id."""
        found = self.uid(name)
        if found is not None:
            return found
        gid = self.add_group(group)
        uids, _gids = self._used()
        number = self._system_id(uids)
        self.passwd.append([name, "x", str(number), str(gid), gecos, home, "/usr/sbin/nologin"])
        if self.shadow is not None:
            self.shadow.append([name, "!*", str(self.days), "", "", "", "", "", ""])
        self.added.append(f"user {name} ({number})")
        return number

    def add_person(self, name: str, gecos: str) -> int:
        """A login account with a group of its own and no password (SSH keys only)."""
        if not re.fullmatch(r"[a-z][a-z0-9-]{0,31}", name):
            raise BuildError(
                f"--staff-user {name!r}: use lower-case letters, digits and hyphens, "
                "starting with a letter"
            )
        found = self.uid(name)
        if found is not None:
            return found
        if self.gid(name) is not None:
            raise BuildError(
                f"--staff-user {name!r}: the image already has a group of that name; "
                "choose another account name"
            )
        uids, gids = self._used()
        number = next(n for n in range(1000, 60000) if n not in uids and n not in gids)
        self.group.append([name, "x", str(number), ""])
        if self.gshadow is not None:
            self.gshadow.append([name, "!", "", ""])
        home = f"/home/{name}"
        self.passwd.append([name, "x", str(number), str(number), gecos, home, "/bin/bash"])
        if self.shadow is not None:
            # "*": no password can match; not "!", which some tools read as "locked".
            self.shadow.append([name, "*", str(self.days), "0", "99999", "7", "", "", ""])
        self.added.append(f"user {name} ({number})")
        return number

    def add_member(self, group: str, user: str) -> bool:
        """Put ``user`` in ``group`` if the image has that group; whether it has it."""
        for rows in (self.group, self.gshadow or []):
            for row in rows:
                if row[0] == group:
                    members = [m for m in row[3].split(",") if m]
                    if user not in members:
                        members.append(user)
                    row[3] = ",".join(members)
        return self.gid(group) is not None


# -- dpkg ----------------------------------------------------------------------------------
def installed_packages(status: str) -> set[str]:
    """Names of the packages installed according to ``/var/lib/dpkg/status``."""
    names = set()
    for paragraph in re.split(r"\n\s*\n", status):
        package = re.search(r"^Package:\s*(\S+)", paragraph, re.M)
        state = re.search(r"^Status:\s*(.+)$", paragraph, re.M)
        if package and state and state.group(1).split()[-1] == "installed":
            names.add(package.group(1))
    return names
