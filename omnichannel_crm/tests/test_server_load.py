# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import socket

from odoo.tests import BaseCase, tagged

from ..tools.server_load import waiting_connections, waiting_in_table

TABLE = """  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F95 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 1 1
   1: 0100007F:1F95 0100007F:D2C4 01 00000000:00000000 00:00000000 00000000     0        0 2 1
   2: 0100007F:2198 00000000:0000 0A 00000000:00000007 00:00000000 00000000     0        0 3 1
"""


@tagged("post_install", "-at_install")
class TestServerLoad(BaseCase):
    """The lanes read how many requests wait on this server for an HTTP worker from the kernel."""

    def test_the_accept_backlog_of_the_port_is_read_from_the_kernel_table(self):
        # Port 8085 listens with 3 connections not accepted; an established one does not count.
        self.assertEqual(waiting_in_table(TABLE.splitlines(), 8085), 3)
        self.assertEqual(waiting_in_table(TABLE.splitlines(), 8600), 7)
        self.assertEqual(waiting_in_table(TABLE.splitlines(), 8069), 0)
        self.assertIsNone(waiting_connections(8085, tables=("/nonexistent/tcp",)))

    def test_connections_no_worker_took_yet_are_counted(self):
        with socket.socket() as server:
            server.bind(("127.0.0.1", 0))
            server.listen(8)
            port = server.getsockname()[1]
            self.assertEqual(waiting_connections(port), 0)
            clients = [socket.create_connection(("127.0.0.1", port)) for _index in range(3)]
            try:
                self.assertEqual(waiting_connections(port), 3)
                accepted, _address = server.accept()
                accepted.close()
                self.assertEqual(waiting_connections(port), 2, "one taken by a worker")
            finally:
                for client in clients:
                    client.close()
