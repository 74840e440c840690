"""Firmware for the Raspberry Pi Pico in the handshake sensor (see PROTOCOL.md)."""
