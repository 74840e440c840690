"""Apollo–Soyuz handshake kiosk: a museum exhibit about the 1975 docking in orbit."""

__version__ = "0.1.0"
