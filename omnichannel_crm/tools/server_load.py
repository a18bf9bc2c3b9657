# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""How many connections wait on this server for an HTTP worker: the requests (webhooks among them)
the kernel has accepted that no Odoo worker has picked up yet. Odoo only sees a request once a
worker takes it, so the time spent here is invisible to it; the kernel counts it exactly.

The kernel is asked through its socket diagnostics (netlink `sock_diag`, as `ss -l` asks it) for
its listening TCP sockets alone. Reading /proc/net/tcp instead made the kernel walk every socket of
the machine, thousands in TIME_WAIT after a surge: about 11 ms for each look, which a lane takes
after every batch."""

import contextlib
import socket
import struct

NETLINK_SOCK_DIAG = 4
SOCK_DIAG_BY_FAMILY = 20
NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
TCP_LISTEN = 10
NLMSG_HEADER = struct.Struct("=IHHII")
# inet_diag_req_v2: family, protocol, extensions, padding, the states wanted, then the socket id
# (ports, addresses, interface, cookie), which a dump ignores.
DIAG_REQUEST = struct.Struct("=BBBBI48s")
# inet_diag_msg up to its receive queue: family, state, timer, retransmits, source port (network
# order) and the rest of the socket id, expiry; for a listening socket the receive queue is the
# connections accepted by the kernel and not yet by a worker.
DIAG_MESSAGE = struct.Struct("=BBBB2s46sII")
FAMILIES = (socket.AF_INET, socket.AF_INET6)


def waiting_connections(port, families=FAMILIES):
    """Connections queued on the listening sockets of `port` (the accept backlog), or None where
    the kernel does not say (not Linux)."""
    try:
        with socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, NETLINK_SOCK_DIAG) as diag:
            diag.settimeout(1.0)
            return sum(_backlog(diag, family, port) for family in families)
    except (OSError, AttributeError):
        # AttributeError: a platform without AF_NETLINK.
        return None


def _backlog(diag, family, port):
    request = DIAG_REQUEST.pack(family, socket.IPPROTO_TCP, 0, 0, 1 << TCP_LISTEN, b"")
    header = NLMSG_HEADER.pack(
        NLMSG_HEADER.size + len(request), SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 1, 0
    )
    diag.send(header + request)
    waiting = 0
    while True:
        data = diag.recv(65536)
        for kind, payload in _messages(data):
            if kind == NLMSG_DONE:
                return waiting
            if kind == NLMSG_ERROR:
                raise OSError("the kernel refused the socket diagnostics request")
            waiting += listen_backlog(payload, port)


def _messages(data):
    """(type, payload) of each netlink message in one datagram."""
    offset = 0
    while offset + NLMSG_HEADER.size <= len(data):
        length, kind, _flags, _seq, _pid = NLMSG_HEADER.unpack_from(data, offset)
        if length < NLMSG_HEADER.size:
            return
        yield kind, data[offset + NLMSG_HEADER.size : offset + length]
        offset += (length + 3) & ~3  # messages are aligned on 4 bytes


def listen_backlog(payload, port):
    """The accept backlog a listening socket's diagnostics message reports, if it listens on
    `port`, else 0."""
    with contextlib.suppress(struct.error):
        _family, state, _timer, _retrans, source_port, _rest, _expires, queued = (
            DIAG_MESSAGE.unpack_from(payload)
        )
        if state == TCP_LISTEN and int.from_bytes(source_port, "big") == port:
            return queued
    return 0
