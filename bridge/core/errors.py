"""Typed errors of the network's rules.

Each error has a stable ``code`` (the key of its localized text in ``bridge/templates/errors.j2``)
and the ``params`` that text needs, so the front end maps errors to messages by type, not by
parsing strings.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar


class BridgeError(Exception):
    """Base of every rule violation the core reports to a member."""

    code: ClassVar[str] = "error"

    def __init__(self, **params: Any) -> None:
        self.params = params
        super().__init__(f"{self.code} {params}" if params else self.code)


# --- members and profiles ---------------------------------------------------------------
class MemberNotFound(BridgeError):
    code = "member_not_found"


class NotRegistered(BridgeError):
    code = "not_registered"


class UnknownProfileField(BridgeError):
    code = "unknown_profile_field"


class ProfileFieldTooLong(BridgeError):
    code = "profile_field_too_long"


class InvalidHandle(BridgeError):
    code = "invalid_handle"


class HandleLength(BridgeError):
    """A chosen handle shorter or longer than handles may be."""

    code = "handle_length"


class HandleCharacters(BridgeError):
    """A chosen handle with characters handles can't have."""

    code = "handle_characters"


class HandleReserved(BridgeError):
    code = "handle_reserved"


class HandleTaken(BridgeError):
    code = "handle_taken"


class MemberLeft(BridgeError):
    """They deleted their account: nothing reaches them any more."""

    code = "member_left"


class UndoTooLate(BridgeError):
    """Undo pressed after the message left (or on someone else's)."""

    code = "undo_too_late"


class CannotTargetSelf(BridgeError):
    code = "cannot_target_self"


class YouBlockedThem(BridgeError):
    code = "you_blocked_them"


class TheyBlockedYou(BridgeError):
    code = "they_blocked_you"


class AlreadyBlocked(BridgeError):
    code = "already_blocked"


class NotBlocked(BridgeError):
    code = "not_blocked"


class InvalidTime(BridgeError):
    code = "invalid_time"


class InvalidTimezone(BridgeError):
    code = "invalid_timezone"


class InvalidSetting(BridgeError):
    code = "invalid_setting"


class InvalidDays(BridgeError):
    """A number of days out of range (or not a number) for a bulk action."""

    code = "invalid_days"


# --- invitations ------------------------------------------------------------------------
class AlreadyConnected(BridgeError):
    code = "already_connected"


class InvitationAlreadyPending(BridgeError):
    code = "invitation_already_pending"


class NoteTooLong(BridgeError):
    code = "note_too_long"


class ReinviteTooSoon(BridgeError):
    """After a decline or a withdrawal the same person can't be invited again for a while."""

    code = "reinvite_too_soon"

    def __init__(self, until: datetime) -> None:
        super().__init__(until=until)


class InvitationLimitReached(BridgeError):
    code = "invitation_limit_reached"

    def __init__(self, limit: int, next_at: datetime) -> None:
        super().__init__(limit=limit, next_at=next_at)


class InvitationsRestricted(BridgeError):
    """The target accepts invitations from 2nd-degree members only."""

    code = "invitations_restricted"


class InvitationNotFound(BridgeError):
    code = "invitation_not_found"


class InvitationNotPending(BridgeError):
    code = "invitation_not_pending"

    def __init__(self, status: str) -> None:
        super().__init__(status=status)


class NotInvitationRecipient(BridgeError):
    code = "not_invitation_recipient"


class NotInvitationSender(BridgeError):
    code = "not_invitation_sender"


class OwnInvitation(BridgeError):
    """`/accept @x` or `/decline @x` where the invitation is the actor's own, to @x."""

    code = "own_invitation"

    def __init__(self, handle: str) -> None:
        super().__init__(handle=handle)


class NotConnected(BridgeError):
    """Raised on a message to a non-connection; ``ways`` says which other ways are open."""

    code = "not_connected"

    def __init__(self, ways: list[str]) -> None:
        super().__init__(ways=ways)


# --- messaging --------------------------------------------------------------------------
class ThreadClosed(BridgeError):
    """The invitation behind this thread was declined or withdrawn: no more messages."""

    code = "thread_closed"


class InMailThreadClosed(BridgeError):
    """The InMail's sender can write again only once the recipient answered it."""

    code = "inmail_thread_closed"


class EmptyMessage(BridgeError):
    code = "empty_message"


class MessageTooLong(BridgeError):
    code = "message_too_long"

    def __init__(self, limit: int, length: int) -> None:
        super().__init__(limit=limit, length=length)


class MessageNotFound(BridgeError):
    code = "message_not_found"


class NotMessageAuthor(BridgeError):
    code = "not_message_author"


class ConversationNotFound(BridgeError):
    code = "conversation_not_found"


class InvalidReaction(BridgeError):
    code = "invalid_reaction"


class NothingUnread(BridgeError):
    code = "nothing_to_mark_unread"


# --- InMail and credits -----------------------------------------------------------------
class InMailOptedOut(BridgeError):
    code = "inmail_opted_out"


class NoCredits(BridgeError):
    code = "no_credits"

    def __init__(self, renews_at: datetime | None, allowance: int) -> None:
        super().__init__(renews_at=renews_at, allowance=allowance)


class SubjectTooLong(BridgeError):
    code = "subject_too_long"

    def __init__(self, limit: int, length: int) -> None:
        super().__init__(limit=limit, length=length)


class EmptySubject(BridgeError):
    code = "empty_subject"


class InMailNotFound(BridgeError):
    code = "inmail_not_found"


class InMailAlreadyAnswered(BridgeError):
    code = "inmail_already_answered"


class UnknownPlan(BridgeError):
    code = "unknown_plan"

    def __init__(self, plan: str, plans: list[str]) -> None:
        super().__init__(plan=plan, plans=plans)


class InvalidAmount(BridgeError):
    code = "invalid_amount"


class NotAdmin(BridgeError):
    code = "not_admin"


class NotAConnection(BridgeError):
    code = "not_a_connection"


class EmptyQuery(BridgeError):
    code = "empty_query"


class InMailToConnection(BridgeError):
    """1st-degree connections are messaged for free; an InMail would waste a credit."""

    code = "inmail_to_connection"


class QueryTooLong(BridgeError):
    code = "query_too_long"

    def __init__(self, limit: int, length: int) -> None:
        super().__init__(limit=limit, length=length)


class SearchExpired(BridgeError):
    """A results page of a search that is no longer kept (or not the member's)."""

    code = "search_expired"


class HeldMessageGone(BridgeError):
    """A "Send to …" button whose message was already sent, or is no longer kept."""

    code = "held_message_gone"


# --- payments in Telegram Stars ---------------------------------------------------------
class OfferUnavailable(BridgeError):
    """An invoice for an offer /buy no longer has (or a forged one): refused at checkout."""

    code = "offer_unavailable"


class OfferChanged(BridgeError):
    """The offer's price changed since its invoice was sent: refused at checkout."""

    code = "offer_changed"

    def __init__(self, stars: int) -> None:
        super().__init__(stars=stars)


class UnknownCharge(BridgeError):
    code = "unknown_charge"

    def __init__(self, charge_id: str) -> None:
        super().__init__(charge_id=charge_id)


class AlreadyRefunded(BridgeError):
    code = "already_refunded"

    def __init__(self, charge_id: str, at: datetime) -> None:
        super().__init__(charge_id=charge_id, at=at)


# --- message templates ------------------------------------------------------------------
class InvalidTemplateName(BridgeError):
    code = "invalid_template_name"

    def __init__(self, name: str) -> None:
        super().__init__(name=name)


class TemplateNotFound(BridgeError):
    code = "template_not_found"

    def __init__(self, name: str) -> None:
        super().__init__(name=name)


class TemplateFieldRefused(BridgeError):
    """A template touches something else than the fields it may use (an unknown name, an
    attribute, a call, a filter, a statement)."""

    code = "template_field_refused"

    def __init__(self, field: str, fields: list[str]) -> None:
        super().__init__(field=field, fields=fields)


class TemplateUnreadable(BridgeError):
    code = "template_unreadable"

    def __init__(self, line: int) -> None:
        super().__init__(line=line)


class TemplateFieldHidden(BridgeError):
    """The recipient's field is not shown to the sender (their degree masks it): a template
    must not reveal it through the sender's own text."""

    code = "template_field_hidden"

    def __init__(self, field: str) -> None:
        super().__init__(field=field)


class TemplateTooLong(BridgeError):
    code = "template_too_long"

    def __init__(self, name: str, length: int, limit: int) -> None:
        super().__init__(name=name, length=length, limit=limit, over=length - limit)


class TooManyTemplates(BridgeError):
    code = "too_many_templates"


# --- introductions ----------------------------------------------------------------------
class IntroductionNotNeeded(BridgeError):
    """The member is already a connection: write to them."""

    code = "introduction_not_needed"


class NoIntroductionPath(BridgeError):
    """None of the actor's connections knows the member (out of network)."""

    code = "introduction_no_path"


class IntroductionAlreadyAsked(BridgeError):
    code = "introduction_already_asked"


class IntermediaryUnavailable(BridgeError):
    """The connection chosen to introduce is not (or no longer) one who knows the member."""

    code = "intermediary_unavailable"


class IntroductionNotAvailable(BridgeError):
    """Answered already, or asked of someone else: only the asked connection answers, once."""

    code = "introduction_not_available"


class IntroductionNoteTooLong(BridgeError):
    code = "introduction_note_too_long"

    def __init__(self, limit: int, length: int) -> None:
        super().__init__(limit=limit, length=length)


# --- saved searches ---------------------------------------------------------------------
class SearchAlreadySaved(BridgeError):
    code = "search_already_saved"

    def __init__(self, query: str) -> None:
        super().__init__(query=query)


class TooManySavedSearches(BridgeError):
    code = "too_many_saved_searches"

    def __init__(self, limit: int) -> None:
        super().__init__(limit=limit)


# --- invitations without a note ---------------------------------------------------------
class NoteRequired(BridgeError):
    """The member accepts invitations with a note only: the inviter is told before sending."""

    code = "note_required"


# --- tags and notes on contacts ----------------------------------------------------------
class InvalidTag(BridgeError):
    """A tag name is one word (letters, digits, - and _), at most `TAG_LIMIT` characters."""

    code = "invalid_tag"

    def __init__(self, tag: str, limit: int) -> None:
        super().__init__(tag=tag, limit=limit)


class TagNotOnContact(BridgeError):
    code = "tag_not_on_contact"

    def __init__(self, tag: str) -> None:
        super().__init__(tag=tag)


class TagNotFound(BridgeError):
    """A tag button whose tag is not (or no longer) the member's."""

    code = "tag_not_found"


class ContactNoteTooLong(BridgeError):
    code = "contact_note_too_long"

    def __init__(self, limit: int, length: int) -> None:
        super().__init__(limit=limit, length=length)


# --- smart inbox filters ------------------------------------------------------------------
class InvalidInboxFilter(BridgeError):
    """A word `/inbox` does not know, or two that contradict each other."""

    code = "invalid_inbox_filter"

    def __init__(self, word: str) -> None:
        super().__init__(word=word)


class UnknownTag(BridgeError):
    """`/inbox #tag` with a tag the member never used."""

    code = "unknown_tag"

    def __init__(self, tag: str) -> None:
        super().__init__(tag=tag)


# --- follow-up reminders -------------------------------------------------------------------
class InvalidDelay(BridgeError):
    """`/remind @handle 3d`: a delay in hours, days or weeks, within the limits."""

    code = "invalid_delay"

    def __init__(self, value: str, max_days: int) -> None:
        super().__init__(value=value, max_days=max_days)


class ReminderTextTooLong(BridgeError):
    code = "reminder_text_too_long"

    def __init__(self, limit: int, length: int) -> None:
        super().__init__(limit=limit, length=length)


class ReminderNotFound(BridgeError):
    """A Cancel button on a reminder already fired, cancelled, or not the member's."""

    code = "reminder_not_found"


# --- the sales mailbox ---------------------------------------------------------------------
class NoSalesMailbox(BridgeError):
    """Only the Sales Navigator and Recruiter plans have a sales mailbox."""

    code = "no_sales_mailbox"


# --- saved leads ---------------------------------------------------------------------------
class InvalidLeadList(BridgeError):
    """A list's name is one word (letters, digits, - and _), at most `limit` characters."""

    code = "invalid_lead_list"

    def __init__(self, name: str, limit: int) -> None:
        super().__init__(name=name, limit=limit)


class LeadNotSaved(BridgeError):
    code = "lead_not_saved"


class LeadListEmpty(BridgeError):
    """No saved lead in that list of the member's (lists exist through their leads, so an
    unknown list and an emptied one are the same)."""

    code = "lead_list_empty"

    def __init__(self, name: str) -> None:
        super().__init__(name=name)


class SavedSearchNotFound(BridgeError):
    """Deleted already, or another member's."""

    code = "saved_search_not_found"


# --- campaigns --------------------------------------------------------------------------
class NeedsProspectingPlan(BridgeError):
    code = "needs_prospecting_plan"

    def __init__(self, plans: list[str]) -> None:
        super().__init__(plans=plans)


class CampaignSpecInvalid(BridgeError):
    """A line of `/campaign new` that can't be read (what it should look like is in the text)."""

    code = "campaign_spec_invalid"

    def __init__(self, line: str) -> None:
        super().__init__(line=line)


class CampaignWithoutLeads(BridgeError):
    """Nobody to prospect: the search found no one outside the member's connections."""

    code = "campaign_without_leads"


class CampaignNotFound(BridgeError):
    code = "campaign_not_found"


class CampaignStopped(BridgeError):
    """A stopped campaign stays stopped (start a new one)."""

    code = "campaign_stopped"
