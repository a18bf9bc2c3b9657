# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""How many connections wait on this server for an HTTP worker: the requests (webhooks among them)
the kernel has accepted that no Odoo worker has picked up yet. Odoo only sees a request once a
worker takes it, so the time spent here is invisible to it; the kernel counts it exactly."""

LISTEN = "0A"
TABLES = ("/proc/net/tcp", "/proc/net/tcp6")


def waiting_connections(port, tables=TABLES):
    """Connections queued on the listening sockets of `port` (the accept backlog), or None where
    the kernel does not say (not Linux)."""
    waiting, readable = 0, False
    for table in tables:
        try:
            with open(table, encoding="ascii") as lines:
                waiting += waiting_in_table(lines, port)
                readable = True
        except OSError:
            continue
    return waiting if readable else None


def waiting_in_table(lines, port):
    """The accept backlog of `port` in one /proc/net/tcp table: for a listening socket, the
    receive queue column counts the connections not accepted yet."""
    waiting = 0
    for line in lines:
        fields = line.split()
        if len(fields) < 5 or ":" not in fields[1] or fields[3] != LISTEN:
            continue
        local_port = fields[1].rsplit(":", 1)[1]
        try:
            if int(local_port, 16) == port:
                waiting += int(fields[4].split(":")[1], 16)
        except (ValueError, IndexError):
            continue
    return waiting
