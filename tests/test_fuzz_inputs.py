"""Whatever a user's file holds, replycoach answers with exit 0, 1 or 2 and never a traceback:
random front matter (dates, numbers, nesting, aliases) over random Unicode text."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import run_cli

KEYS = ["channel", "kind", "tone", "fault", "stage", "language", "visibility", "received_at", "sent_at",
        "template", "needs_details", "in_reply_to", "chanel", "x"]
SCALARS = st.one_of(
    st.sampled_from(["twitter", "email", "complaint", "angry", "first", "en", "pl", "bg", "public", "yes", "maybe",
                     "2024-02-30T00:00:00Z", "2024-01-01T25:00:00Z", "2024-05-01T10:00:00+02:00", "2024-05-01",
                     "null", "~", "true", "1e999", "-0", "0x1F", "'quoted'", "[]", "{}", "*undefined"]),
    st.integers(min_value=-10**20, max_value=10**20).map(str),
    st.text(alphabet=string.printable, max_size=20).map(lambda s: '"' + s.replace("\\", "").replace('"', "") + '"'),
)


@st.composite
def front_matter(draw) -> str:
    lines = []
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=5)):
        shape = draw(st.sampled_from(["scalar", "list", "nested", "alias"]))
        value = draw(SCALARS)
        if shape == "list":
            value = f"[{value}, {draw(SCALARS)}]"
        elif shape == "nested":
            value = "[" * draw(st.integers(1, 60)) + value + "]" * draw(st.integers(0, 60))
        elif shape == "alias":
            value = f"&a [{value}, {value}]" if not lines else "*a"
        lines.append(f"{key}: {value}")
    return "---\n" + "\n".join(lines) + "\n---\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(head=front_matter(), body=st.text(max_size=300), crlf=st.booleans())
def test_no_front_matter_and_no_text_makes_a_traceback(tmp_path, head, body, crlf):
    text = head + body + "\n"
    path = tmp_path / "reply.txt"
    path.write_bytes((text.replace("\n", "\r\n") if crlf else text).encode("utf-8", "surrogatepass"))
    result = run_cli("lint", "--format", "json", str(path))
    assert result.returncode in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
