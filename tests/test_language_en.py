"""English replies the playbook examples don't contain: the phrasings real agents use.

Each case states what a support lead would expect to see: which checklist items are ticked
and which rules fire or stay quiet.
"""

from __future__ import annotations

import pytest

from replycoach.lint.engine import lint_text

CASES = [
    # (reply, context, checklist items expected True, expected False, rules that fire, rules that must not)
    ("@tom_r Sorry to hear that! DM us your order number and I'll check with the courier right away. ^JK",
     {}, {"apology", "private_channel", "signature", "personal_address", "fix"}, set(),
     set(), {"asks-private-data-publicly", "missing-apology", "no-private-channel", "faceless-signature"}),
    ("My apologies for the delay, Sam. Please send us an email at https://help.example.com/contact and "
     "I'll sort the refund today. *SR",
     {}, {"apology", "private_channel", "signature", "fix"}, set(), set(), {"no-private-channel", "no-fix"}),
    ("Hi Priya, we're sorry about the double charge. Use this link to open a ticket so we can refund it: "
     "https://support.example.com/requests/new /JF",
     {}, {"apology", "private_channel", "signature", "personal_address"}, set(), set(),
     {"no-private-channel", "impersonal-address"}),
    ("Sorry for any inconvenience. DM us and we'll take a look. - Anna",
     {}, {"apology", "private_channel", "signature"}, set(), {"vague-apology"}, {"missing-apology"}),
    ("We're sorry you feel that way. Our products are tested thoroughly.",
     {}, set(), {"apology"}, {"non-apology", "missing-apology"}, set()),
    ("We apologize if anyone was offended by our post.",
     {}, set(), {"apology"}, {"non-apology"}, set()),
    ("Could you reply here with your full address and phone number so we can reship?",
     {}, set(), set(), {"asks-private-data-publicly"}, set()),
    ("Could you send us your full address and phone number by DM so we can reship? - Kim",
     {}, {"private_channel"}, set(), set(), {"asks-private-data-publicly"}),
    ("Could you reply here with your full address so we can reship?",
     {"channel": "email"}, set(), set(), set(), {"asks-private-data-publicly", "no-private-channel"}),
    ("Hey Chris, so sorry the headphones stopped working! I've just sent a replacement pair, it should "
     "arrive by Thursday. Give us a shout by DM if it doesn't. ^MB",
     {}, {"apology", "fix", "private_channel", "signature", "personal_address"}, set(), set(),
     {"no-fix", "missing-apology", "no-next-update"}),
    ("Please contact customer support.",
     {}, set(), {"fix"}, {"passes-the-buck", "missing-apology"}, set()),
    ("YOU NEED TO READ THE MANUAL.",
     {}, set(), set(), {"shouting"}, set()),
    ("Please restart the PS5 and reinstall the app from the PSN store. - Mo",
     {"kind": "question"}, {"fix", "signature"}, set(), set(), {"shouting", "missing-apology"}),
    ("If you keep spreading lies we will report your account.",
     {}, set(), set(), {"threatens-customer"}, set()),
    ("Great news, the bug is fixed! Would you mind updating your review? - Ana",
     {}, set(), set(), {"asks-to-remove-criticism"}, set()),
    ("Please remove the tweet with your card number, for your security, and DM us instead. - Ana",
     {}, {"private_channel"}, set(), set(), {"asks-to-remove-criticism"}),
    ("Sorry, we messed up your order. I'm refunding it now and we've added a second check at packing so it "
     "doesn't happen again. A 15% discount code is on its way to your inbox too. - Lea",
     {"fault": "company"}, {"apology", "fix", "prevention", "compensation", "signature"}, set(), set(),
     {"no-prevention", "no-compensation", "no-fix"}),
    ("Sorry we got your order wrong! I'll send the right one today. - Lea",
     {"fault": "company"}, {"apology", "fix"}, {"compensation", "prevention"},
     {"no-compensation", "no-prevention"}, set()),
    ("Sorry about this. We're looking into it.",
     {}, {"apology"}, set(), {"vague-promise"}, set()),
    ("Sorry about this. We're looking into it and I'll update you by 4pm today. - Raj",
     {}, {"apology", "next_update"}, set(), set(), {"vague-promise", "no-next-update"}),
    ("Dear valued customer, please be advised that your request has been forwarded to the relevant "
     "department.\n\nCustomer Service Team",
     {}, set(), {"signature"}, {"corporate-speak", "faceless-signature"}, set()),
    ("Hi Jo, sorry it took us so long to get back to you! DM us and I'll chase the parcel. - Ann",
     {"received_at": "2024-05-03T08:00:00Z", "sent_at": "2024-05-03T12:00:00Z", "channel": "twitter"},
     {"apology"}, set(), {"late-reply"}, {"unacknowledged-delay"}),
    ("Hi Jo, sorry about the parcel! DM us and I'll chase it. - Ann",
     {"received_at": "2024-05-03T08:00:00Z", "sent_at": "2024-05-03T12:00:00Z", "channel": "twitter"},
     {"apology"}, set(), {"late-reply", "unacknowledged-delay"}, set()),
    ("Hi [CUSTOMER NAME], sorry about the delay with order <order number>.",
     {}, set(), set(), {"leftover-placeholder"}, set()),
    ("An error occurred while processing your payment, and it was decided to cancel the order.",
     {}, set(), set(), {"evasive-passive"}, set()),
    ("Obviously the charger isn't covered. Calm down and read the warranty.",
     {}, set(), set(), {"condescending"}, set()),
    ("That's not true. You never contacted us before.",
     {}, set(), set(), {"argues-publicly"}, set()),
    ("That's not true. You never contacted us before.",
     {"channel": "email"}, set(), set(), set(), {"argues-publicly"}),
    ("Sorry! Your parcel went to 221 Baker Street, and we emailed jane.doe@gmail.com about it.",
     {}, set(), set(), {"exposes-personal-data"}, set()),
    ("Sorry! Call our team on 0800 123 4567 and they'll fix it today. - Al",
     {}, {"apology", "fix"}, set(), set(), {"exposes-personal-data"}),
]


@pytest.mark.parametrize(("text", "context", "ticked", "unticked", "fires", "quiet"), CASES,
                         ids=[c[0][:40] for c in CASES])
def test_english_reply(text, context, ticked, unticked, fires, quiet):
    result = lint_text(text, context=context)
    assert result.language == "en"
    for item in ticked:
        assert result.checklist[item], f"{item} should be ticked"
    for item in unticked:
        assert not result.checklist[item], f"{item} should not be ticked"
    rules = {d.rule for d in result.diagnostics}
    assert fires <= rules, f"missing {fires - rules}; got {sorted(rules)}"
    assert not (quiet & rules), f"should stay quiet: {quiet & rules}"
