# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import socket

from odoo.tests import BaseCase, tagged

from ..tools.server_load import DIAG_MESSAGE, TCP_LISTEN, listen_backlog, waiting_connections

TCP_ESTABLISHED = 1


def diag_message(state, port, queued):
    """A socket's diagnostics message as the kernel sends it, up to its receive queue."""
    return DIAG_MESSAGE.pack(socket.AF_INET, state, 0, 0, port.to_bytes(2, "big"), b"", 0, queued)


@tagged("post_install", "-at_install")
class TestServerLoad(BaseCase):
    """The lanes read how many requests wait on this server for an HTTP worker from the kernel."""

    def test_the_accept_backlog_of_the_port_is_read_from_its_listening_socket(self):
        self.assertEqual(listen_backlog(diag_message(TCP_LISTEN, 8085, 3), 8085), 3)
        self.assertEqual(listen_backlog(diag_message(TCP_LISTEN, 8600, 7), 8085), 0)
        # An established connection's receive queue is bytes, not connections.
        self.assertEqual(listen_backlog(diag_message(TCP_ESTABLISHED, 8085, 512), 8085), 0)
        self.assertEqual(listen_backlog(b"\x02\x0a", 8085), 0, "a truncated message")

    def test_connections_no_worker_took_yet_are_counted(self):
        for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
            with socket.socket(family) as server:
                server.bind((host, 0))
                server.listen(8)
                port = server.getsockname()[1]
                self.assertEqual(waiting_connections(port), 0)
                clients = [socket.create_connection((host, port)) for _index in range(3)]
                try:
                    self.assertEqual(waiting_connections(port), 3)
                    accepted, _address = server.accept()
                    accepted.close()
                    self.assertEqual(waiting_connections(port), 2, "one taken by a worker")
                finally:
                    for client in clients:
                        client.close()
