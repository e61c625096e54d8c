"""The four labels (LABELING.md) and the groupings users filter on."""

from __future__ import annotations

EVENT_REPORT = "event_report"
OFFICIAL_CLAIM = "official_claim"
BOILERPLATE = "boilerplate"
UNRELATED = "unrelated"

#: Label order used in model outputs, probability vectors and reports.
LABELS: tuple[str, ...] = (EVENT_REPORT, OFFICIAL_CLAIM, BOILERPLATE, UNRELATED)

#: What a cleaning step keeps: the on-topic paragraphs.
KEEP: frozenset[str] = frozenset({EVENT_REPORT, OFFICIAL_CLAIM})
