"""Safety rules: the warning signs that mean medical help rather than exercise, the pain level
that brings them up again, and when an exercise that hurts is set aside.

Wording ours; the signs follow NHS and NICE guidance on low back pain and cauda equina
syndrome.
"""

from __future__ import annotations

#: Warning signs a person can report: id -> what they tick.
RED_FLAGS: dict[str, str] = {
    "saddle_numbness": "Numbness in the saddle area (between the legs) or the genitals",
    "bladder_bowel": "New trouble controlling your bladder or bowel",
    "leg_weakness": "New or worsening weakness in a leg",
    "trauma": "Back pain that started after a major accident, fall or injury",
    "fever_unwell": "Fever, or feeling generally unwell, together with the back pain",
    "weight_loss": "Weight loss you cannot explain",
    "cancer_history": "A history of cancer",
}

#: A pain rating at or above this brings up the warning signs wherever it is given.
PAIN_SEVERE = 8

#: Stopped for pain in this many sessions in a row, an exercise is set aside to discuss.
PAIN_STOPS_TO_FLAG = 2
FLAG_REASON = "Stopped for pain in two sessions in a row."
