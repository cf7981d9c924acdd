"""Every command of the command table with bad input: each gets its own clear answer in the
member's language, never the generic "Something went wrong" nor an alert to the admins."""

from __future__ import annotations

from botapi_sandbox.users import SimUser
from bridge.handlers.registry import COMMANDS
from tests.e2e.conftest import World, start_all

LONG = "x" * 100_000
UNEXPECTED = ("Something went wrong", "Un problème est survenu")

# (command text, a piece of the expected answer). Every command of the table appears.
MEMBER_INPUTS: list[tuple[str, str]] = [
    ("/start p_", "is not a valid handle"),
    ("/start p_!!", "is not a valid handle"),
    (f"/start p_{LONG}", "is not a valid handle"),
    ("/start whatever", "Welcome"),
    ("/help me", "/invite"),
    ("/profile @", "is not a valid handle"),
    ("/profile @nobody_here", "No member @nobody_here"),
    ("/profile \x00", "is not a valid handle"),
    ("/edit", "Usage: /edit"),
    ("/edit salary 100k", "is not a profile field"),
    ("/edit \x00 x", "is not a profile field"),
    (f"/edit headline {LONG}", "the limit is 220"),
    (f"/edit {LONG}", "is not a profile field"),
    ("/find", "Usage: /find"),
    ("/find \x00", "Tell me what to look for"),
    ("/find !!! ***", "Tell me what to look for"),
    (f"/find {LONG}", "too long"),
    ('/find "NEAR(a b) OR', "Nobody matches"),
    ("/handle x", "A handle has 3 to 32 characters"),
    (f"/handle {LONG}", "A handle has 3 to 32 characters"),
    ("/handle 9lives", "can't be a handle"),
    ("/handle <b>x</b>", "can't be a handle"),
    ("/handle \x00abc", "can't be a handle"),
    ("/handle support", "@support is reserved"),
    ("/handle member__7", "@member__7 is reserved"),
    ("/handle bob", "@bob is taken"),
    ("/search", "Usage: /search"),
    ("/search \x00", "Tell me what to look for: /search"),
    (f"/search {LONG}", "too long"),
    ('/search "NEAR(a b) OR', "No message of yours has these words"),
    ("/cleanup -5", "between 1 and 3650 days"),
    ("/cleanup 99999", "between 1 and 3650 days"),
    ("/readall", "Nothing unread"),
    ("/archive_old soon", "between 1 and 3650 days"),
    ("/archive_old 0", "between 1 and 3650 days"),
    ("/archive_old 30", "No conversation"),
    ("/withdraw_old 3651", "between 1 and 3650 days"),
    ("/withdraw_old", "No invitation"),
    ("/export everything please", "Your data on Bridge"),
    ("/undo_window", "Usage: /undo_window"),
    ("/undo_window soon", "Usage: /undo_window"),
    ("/undo_window 31", "is not a valid choice"),
    ("/undo_window -5", "Usage: /undo_window"),
    ("/undo_window 99999999999", "Usage: /undo_window"),
    ("/delete_account now", "Delete your Bridge account?"),
    ("/connections please", "no connections yet"),
    ("/degree", "Usage: /degree"),
    ("/degree @nobody_here", "No member @nobody_here"),
    ("/degree @" + "é" * 30, "is not a valid handle"),
    ("/remove", "Usage: /remove"),
    ("/remove @bob", "not one of your connections"),
    ("/block", "Usage: /block"),
    ("/block @alice", "You can't do that to yourself"),
    ("/unblock @bob", "You haven't blocked this member"),
    ("/invite", "Usage: /invite"),
    ("/invite @", "is not a valid handle"),
    ("/invite @alice", "You can't do that to yourself"),
    ("/invitations now", "No pending invitations"),
    ("/accept", "Usage: /accept"),
    ("/accept @bob", "no such invitation"),
    ("/decline @nobody_here", "No member @nobody_here"),
    ("/withdraw @bob", "no such invitation"),
    ("/msg", "Usage: /msg"),
    ("/msg @bob", "Usage: /msg"),
    ("/msg @alice hi", "You can't do that to yourself"),
    (f"/msg @bob {LONG}", "the limit is 8000"),
    ("/open", "Usage: /open"),
    ("/open @alice", "You can't do that to yourself"),
    ("/close now", "No conversation was open"),
    ("/forward", "Usage:"),
    ("/forward @bob", "Usage:"),
    ("/inbox everything", "Usage: /inbox"),
    ("/inbox \x00", "Usage: /inbox"),
    ("/read", "Usage: /read"),
    ("/read @bob", "You have no conversation with this member"),
    ("/unread @bob", "You have no conversation with this member"),
    ("/archive @nobody_here", "No member @nobody_here"),
    ("/unarchive", "Usage: /unarchive"),
    ("/delete @bob", "You have no conversation with this member"),
    ("/spam @alice", "You have no conversation with this member"),
    ("/inmail", "Usage: /inmail"),
    ("/inmail @carol no separator", "Usage: /inmail"),
    ("/inmail @carol | body", "needs a subject"),
    ("/inmail @carol Hello | there", "no InMail credits"),
    ("/credits all", "Balance"),
    ("/buy now", "Pay with Telegram Stars"),
    ("/templates please", "You have no templates yet"),
    ("/template", "Usage: /template"),
    ("/template save", "Usage: /template"),
    ("/template save intro", "Usage: /template"),
    ("/template delete", "Usage: /template"),
    ("/template delete a b", "Usage: /template"),
    ("/template rename a b", "Usage: /template"),
    ("/template save two!words hi", "can't name a template"),
    (f"/template save long {LONG}", "the limit is 8000"),
    ("/template save x {{ first_name ", "can't be read"),
    ("/template save x {{ self }}", "can't use “self”"),
    ("/template delete nope", "You have no template #nope"),
    ("/msg @bob #nope", "You have no template #nope"),
    ("/digest now", "Nothing unread"),
    ("/notify", "Usage: /notify"),
    ("/notify loud", "is not a valid choice"),
    ("/quiet", "Usage: /quiet"),
    ("/quiet 25:00-08:00", "is not a time"),
    ("/quiet ²²:00-08:00", "is not a time"),
    ("/quiet 22:00", "is not a time"),
    ("/tz", "Usage: /tz"),
    ("/tz Europe", "is not a time zone"),
    ("/tz Europe/", "is not a time zone"),
    ("/tz ../../etc/passwd", "is not a time zone"),
    ("/tz /etc/localtime", "is not a time zone"),
    ("/tz " + "Europe/" + "a" * 300, "is not a time zone"),
    ("/tz \x00", "is not a time zone"),
    ("/digest_at 24:00", "is not a time"),
    ("/digest_at ０８:３０", "is not a time"),
    ("/settings please", "Settings"),
    ("/autoreply", "Usage: /autoreply"),
    (f"/autoreply {LONG}", "the limit is 500"),
    ("/requirenote", "Usage: /requirenote"),
    ("/requirenote maybe", "Usage: /requirenote"),
    ("/lang", "Usage: /lang"),
    ("/lang xx", "is not a valid choice"),
    ("/inbox awaiting waiting", "is not an inbox filter"),
    ("/inbox waiting 0d", "is not an inbox filter"),
    ("/inbox #nobody", "You have no tag “nobody”"),
    ("/inbox sales", "comes with the Sales Navigator and Recruiter plans"),
    ("/move", "Usage: /move"),
    ("/move @bob elsewhere", "Usage: /move"),
    ("/move @bob sales", "You have no conversation with this member"),
    ("/tag", "Usage: /tag"),
    ("/tag @bob", "Usage: /tag"),
    ("/tag @bob not!a-tag", "is not a tag"),
    (f"/tag @bob {LONG}", "is not a tag"),
    ("/tag @alice me", "You can't do that to yourself"),
    ("/untag @bob vip", "has no tag “vip”"),
    ("/tags please", "No tags yet"),
    ("/note", "Usage: /note"),
    ("/note @nobody_here hi", "No member @nobody_here"),
    (f"/note @bob {LONG}", "a note holds at most 1000"),
    ("/remind", "Usage: /remind"),
    ("/remind @bob", "Usage: /remind"),
    ("/remind @bob soon", "is not a delay"),
    ("/remind @bob 3d", "You have no conversation with this member"),
    (f"/remind @bob 3d {LONG}", "the limit is 200"),
    ("/reminders now", "Usage: /reminders"),
    ("/save", "Usage: /save"),
    ("/save @bob two words!", "is not a list name"),
    ("/unsave @bob", "not in your leads"),
    ("/leads 🙂", "is not a list name"),
    ("/views everything", "Nobody yet"),
    ("/card please", "Your business card"),
    ("/stats everything", "Usage: /stats"),
    ("/stats network", "I don't know that command"),
    ("/intro", "Usage: /intro"),
    ("/intro @alice", "You can't do that to yourself"),
    ("/intro @bob", "Nobody among your connections knows this member"),
    ("/intro @nobody_here", "No member @nobody_here"),
    ("/searches now", "Nothing saved yet"),
    ("/campaign", "Usage: /campaign"),
    ("/campaign old", "Usage: /campaign"),
    ("/campaign new", "Usage: /campaign new"),
    ("/campaign new Lyon\nleads: @bob", "prospecting plan"),
    ("/campaign new Lyon\nleads: @!!", "I can't read this line"),
    ("/campaign new Lyon\nwait: 99", "I can't read this line"),
    (f"/campaign new Lyon\nnote: {LONG}", "I can't read this line"),
    ("/campaigns please", "No campaign yet"),
    ("/plan @bob premium_career", "I don't know that command"),
    ("/grant @bob 3", "I don't know that command"),
    ("/reports", "I don't know that command"),
    ("/refund stx1", "I don't know that command"),
    ("/refund", "I don't know that command"),
]

ADMIN_INPUTS: list[tuple[str, str]] = [
    ("/plan", "Usage: /plan"),
    ("/plan @bob", "Usage: /plan"),
    ("/plan @bob gold", "Unknown plan"),
    ("/plan @nobody_here free", "No member @nobody_here"),
    ("/grant", "Usage: /grant"),
    ("/grant @bob", "Usage: /grant"),
    ("/grant @bob ²", "Usage: /grant"),
    ("/grant @bob ３", "Usage: /grant"),
    ("/grant @bob -1", "Usage: /grant"),
    ("/grant @bob 0", "The amount must be between"),
    ("/grant @bob 99999999999999999999999999", "The amount must be between"),
    ("/reports all", "report"),
    ("/refund", "Usage: /refund"),
    ("/refund stx 1", "Usage: /refund"),
    (f"/refund {LONG}", "Usage: /refund"),
    ("/refund stx<b>", "Usage: /refund"),
    ("/refund stxnope", "No payment has the charge id"),
    ("/stats network", "The network"),
]


async def _answer(user: SimUser, text: str) -> str:
    await user.send_text(text)
    await user.wait_for(lambda chat: user.bot_messages())
    await user.wait_idle(quiet=0.15)
    return "\n".join(m.content for m in user.bot_messages())


async def test_every_command_answers_bad_input_clearly(world: World) -> None:
    alice, bob, carol, admin = world.alice, world.bob, world.carol, world.admin
    await start_all(alice, bob, carol, admin)
    covered = {text.split()[0].lstrip("/") for text, _ in MEMBER_INPUTS + ADMIN_INPUTS}
    assert {c.name for c in COMMANDS} <= covered
    wrong = []
    for user, table in ((alice, MEMBER_INPUTS), (admin, ADMIN_INPUTS)):
        for text, expected in table:
            answer = await _answer(user, text)
            if expected not in answer or any(u in answer for u in UNEXPECTED):
                wrong.append((text[:60], answer[:200]))
    assert wrong == [], "\n".join(map(repr, wrong))
    assert not any(t.startswith("⚠️") for t in admin.texts())  # no alert to the admins
    assert world.server.rejected == []


async def test_bad_input_gets_a_french_answer_in_french(world: World) -> None:
    alice = world.alice
    alice.language_code = "fr"
    await alice.send_text("/start")
    await alice.wait_for_text("Bienvenue")
    for text, expected in [
        ("/tz Europe", "n'est pas un fuseau horaire"),
        (f"/find {LONG}", "trop long"),
        ("/find \x00", "Dites-moi quoi chercher"),
    ]:
        answer = await _answer(alice, text)
        assert expected in answer and not any(u in answer for u in UNEXPECTED), answer
