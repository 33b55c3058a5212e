"""What the case still lacks, and what the draft did about it, in the agent's terms."""

from __future__ import annotations

from datetime import datetime

from replycoach.draft.channels import NO_DM_CHANNELS, shows
from replycoach.draft.clock import describe_time, follow_up_time
from replycoach.playbook.model import Playbook
from replycoach.reply.context import PUBLIC_CHANNELS
from replycoach.triage import Triage


def case_notes(case, verdict: Triage, clock: dict, now: datetime, channel: dict, playbook: Playbook,
               language: str) -> list[str]:
    """What the case still lacks, and what the draft did about it, in the agent's terms."""
    notes: list[str] = []
    situation = verdict.situation
    if situation == "off-topic":
        return ["no reply drafted: leave the post, or hide it only if it breaks the page's published rules"]
    if not case.agent:
        notes.append("agent.name: missing, so the draft is unsigned; sign it with your first name")
    if not (case.customer.name or case.customer.handle):
        notes.append("customer.name: missing, so the draft greets without a name; a name shows a person read it")
    if situation in ("complaint", "hostile", "personal-data-exposed", "outage") and not case.issue.summary:
        notes.append("issue.summary: missing, so the apology cannot name the problem; say what went wrong")
    if situation in ("complaint", "hostile", "personal-data-exposed", "outage"):
        if case.resolution is None:
            when = describe_time(follow_up_time(now), now)
            notes.append("resolution: missing; the draft commits to passing the case on and to an update by "
                         f"{when}; add resolution.action and resolution.eta, then keep that promise")
        elif case.resolution.eta is None and not shows(case.resolution.action, "resolved", playbook, language):
            notes.append("resolution.eta: missing; the draft promises an update instead of a date for the fix")
    if situation == "question" and case.resolution is None:
        when = describe_time(follow_up_time(now), now)
        notes.append(f"resolution.action: missing, so the draft promises an answer by {when}; put the answer "
                     "there and draft again")
    if situation == "needs-details":
        notes.append("once the customer answers, add issue.summary and resolution to the case and draft again")
    if situation == "hostile":
        offer = f"only the case's compensation ({case.compensation.offer})" if case.compensation else "no compensation"
        notes.append(f"no extra concessions under pressure: the draft offers {offer}, as the case and policy allow")
    elif case.fault == "company" and not case.compensation and situation in ("complaint", "outage",
                                                                            "personal-data-exposed"):
        notes.append("compensation: the company is at fault but the case offers nothing; a small gesture helps")
    if case.fault == "company" and situation != "praise":
        notes.append("prevention: the company was at fault; the draft can only say the case was passed on, "
                     "so name the concrete change that stops a repeat if you know it")
    if channel.get("withheld"):
        notes.append("private_channel.address: looks like personal data, so the public reply leaves it out")
    if case.public and case.channel in PUBLIC_CHANNELS and not case.private_channel \
            and situation not in ("praise", "question"):
        notes.append("private_channel: not given; the draft invites the customer to "
                     + ("e-mail" if case.channel in NO_DM_CHANNELS else "a DM"))
    if clock["received_at"] is None and situation not in ("outage", "praise"):
        notes.append("complaint.received_at: missing, so the draft cannot tell how late it is")
    return notes
