#!/usr/bin/env python3
"""A minimal OCI seccomp agent, for tests.

    seccomp-agent.py SOCKET OUTPUT

Listens on the unix socket SOCKET (creating OUTPUT.ready once it listens), accepts one connection
and reads the container process state (JSON) and the seccomp listener descriptor sent with it as
SCM_RIGHTS, as the OCI runtime spec's listenerPath describes. Then answers every notification on
that listener with EXDEV ("Invalid cross-device link"), and when no process uses the filter any
more writes {"state": ..., "fdCount": N, "calls": [[nr, arch, pid], ...]} to OUTPUT.
"""
import array
import errno
import fcntl
import json
import os
import select
import socket
import struct
import sys

NOTIF_RECV = 0xC0502100   # SECCOMP_IOCTL_NOTIF_RECV, struct seccomp_notif (80 bytes)
NOTIF_SEND = 0xC0182101   # SECCOMP_IOCTL_NOTIF_SEND, struct seccomp_notif_resp (24 bytes)


def main():
    sock_path, out_path = sys.argv[1], sys.argv[2]
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(sock_path)
    server.listen(1)
    server.settimeout(60)
    open(out_path + ".ready", "w").close()
    conn, _ = server.accept()
    payload, fds = b"", []
    while True:
        data, ancillary, _, _ = conn.recvmsg(65536, socket.CMSG_SPACE(16 * 4))
        for level, kind, cdata in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                ints = array.array("i")
                ints.frombytes(cdata[: len(cdata) - len(cdata) % 4])
                fds.extend(ints)
        if not data:
            break
        payload += data
    conn.close()
    state = json.loads(payload)
    calls = []
    if fds:
        listener = fds[0]
        poller = select.poll()
        poller.register(listener, select.POLLIN)
        while True:
            events = poller.poll(60000)
            if not events:
                break
            _, mask = events[0]
            if mask & select.POLLIN:
                notif = bytearray(80)
                try:
                    fcntl.ioctl(listener, NOTIF_RECV, notif, True)
                except OSError as e:
                    if e.errno in (errno.ENOENT, errno.EINTR):
                        continue
                    raise
                ident, pid = struct.unpack_from("<QI", notif, 0)
                nr, arch = struct.unpack_from("<iI", notif, 16)
                calls.append([nr, arch, pid])
                response = struct.pack("<QqiI", ident, 0, -errno.EXDEV, 0)
                try:
                    fcntl.ioctl(listener, NOTIF_SEND, response)
                except OSError as e:
                    if e.errno != errno.ENOENT:
                        raise
            elif mask & (select.POLLHUP | select.POLLERR):
                break
    tmp = out_path + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"state": state, "fdCount": len(fds), "calls": calls}, f)
    os.rename(tmp, out_path)


if __name__ == "__main__":
    main()
