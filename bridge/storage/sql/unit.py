"""The repositories of one transaction, over any backend's `Db`."""

from __future__ import annotations

from bridge.storage.sql.campaigns import SqlCampaigns
from bridge.storage.sql.contacts import SqlNotes, SqlTags
from bridge.storage.sql.conversations import SqlConversations, SqlCopies, SqlMessages
from bridge.storage.sql.credits import SqlInMails, SqlLedger, SqlSpam
from bridge.storage.sql.db import Db
from bridge.storage.sql.graph_snapshot import SqlGraphSnapshots
from bridge.storage.sql.introductions import SqlIntroductions
from bridge.storage.sql.leads import SqlLeads
from bridge.storage.sql.members import SqlBlocks, SqlMembers
from bridge.storage.sql.network import SqlConnections, SqlInvitations
from bridge.storage.sql.outbox import SqlOutbox
from bridge.storage.sql.payments import SqlPayments
from bridge.storage.sql.profile_views import SqlProfileViews
from bridge.storage.sql.reminders import SqlReminders
from bridge.storage.sql.saved_searches import SqlSavedSearches
from bridge.storage.sql.stats import SqlStats
from bridge.storage.sql.templates import SqlTemplates
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
        self.payments = SqlPayments(conn)
        self.templates = SqlTemplates(conn)
        self.spam = SqlSpam(conn)
        self.copies = SqlCopies(conn)
        self.outbox = SqlOutbox(conn)
        self.updates = SqlUpdates(conn)
        self.graph_snapshots = SqlGraphSnapshots(conn)
        self.tags = SqlTags(conn)
        self.notes = SqlNotes(conn)
        self.reminders = SqlReminders(conn)
        self.leads = SqlLeads(conn)
        self.profile_views = SqlProfileViews(conn)
        self.stats = SqlStats(conn)
        self.introductions = SqlIntroductions(conn)
        self.saved_searches = SqlSavedSearches(conn)
        self.campaigns = SqlCampaigns(conn)
        self.workers = SqlWorkers(conn)
