"""Host side of the handshake sensor: protocol, serial reader, supervisor, discovery."""
