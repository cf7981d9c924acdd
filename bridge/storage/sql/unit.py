"""The repositories of one transaction, over any backend's `Db`."""

from __future__ import annotations

from bridge.storage.sql.conversations import SqlConversations, SqlCopies, SqlMessages
from bridge.storage.sql.credits import SqlInMails, SqlLedger, SqlSpam
from bridge.storage.sql.db import Db
from bridge.storage.sql.graph_snapshot import SqlGraphSnapshots
from bridge.storage.sql.members import SqlBlocks, SqlMembers
from bridge.storage.sql.network import SqlConnections, SqlInvitations
from bridge.storage.sql.outbox import SqlOutbox
from bridge.storage.sql.updates import SqlUpdates
from bridge.storage.sql.workers import SqlWorkers


class SqlUnitOfWork:
    """The repositories of one transaction."""

    def __init__(self, conn: Db) -> None:
        self.members = SqlMembers(conn)
        self.blocks = SqlBlocks(conn)
        self.connections = SqlConnections(conn)
        self.invitations = SqlInvitations(conn)
        self.conversations = SqlConversations(conn)
        self.messages = SqlMessages(conn)
        self.inmails = SqlInMails(conn)
        self.ledger = SqlLedger(conn)
        self.spam = SqlSpam(conn)
        self.copies = SqlCopies(conn)
        self.outbox = SqlOutbox(conn)
        self.updates = SqlUpdates(conn)
        self.graph_snapshots = SqlGraphSnapshots(conn)
        self.workers = SqlWorkers(conn)
