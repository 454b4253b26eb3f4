"""The page registry: every view of the product, in menu order (tests load each one)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str        # file under pages/
    label_key: str   # catalogue key of its title
    icon: str
    url_path: str


PAGES: list[PageSpec] = [
    PageSpec("pages/standup.py", "nav.standup", ":material/tv:", "standup"),
    PageSpec("pages/goals.py", "nav.goals", ":material/flag:", "goals"),
    PageSpec("pages/budget.py", "nav.budget", ":material/payments:", "budget"),
    PageSpec("pages/channels.py", "nav.channels", ":material/hub:", "channels"),
    PageSpec("pages/content.py", "nav.content", ":material/article:", "content"),
    PageSpec("pages/appraisal.py", "nav.appraisal", ":material/military_tech:", "appraisal"),
    PageSpec("pages/review.py", "nav.review", ":material/summarize:", "review"),
    PageSpec("pages/upload.py", "nav.upload", ":material/upload_file:", "upload"),
    PageSpec("pages/plan.py", "nav.plan", ":material/edit_calendar:", "plan"),
]
