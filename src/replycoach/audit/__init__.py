"""Auditing a history of conversations: how fast, and how well, a team really answered.

`reading` streams the conversations in, `figures` times them, `replies` lints the agents'
replies with the same engine as `replycoach lint`, `quality` tallies the verdicts,
`auditor` puts it together into one JSON-able report, and `report` says it (terminal,
JSON, HTML).
"""
