#!/usr/bin/env python3
"""A minimal NAT-PMP answerer (RFC 6886) on loopback for the RSS benchmark: public address and mappings,
always success, external port 40000 + (internal port), the requested lifetime. Prints its port, then serves."""
import socket, struct, sys, time

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0))
print(sock.getsockname()[1], flush=True)
start = time.monotonic()
while True:
    data, peer = sock.recvfrom(64)
    if len(data) < 2 or data[0] != 0:
        continue
    epoch = int(time.monotonic() - start)
    op = data[1]
    if op == 0 and len(data) == 2:
        sock.sendto(struct.pack("!BBHI4s", 0, 128, 0, epoch, socket.inet_aton("203.0.113.7")), peer)
    elif op in (1, 2) and len(data) == 12:
        internal, _suggested, lifetime = struct.unpack("!HHI", data[4:12])
        external = 0 if lifetime == 0 else 40000 + internal % 20000
        sock.sendto(struct.pack("!BBHIHHI", 0, 128 + op, 0, epoch, internal, external, lifetime), peer)
