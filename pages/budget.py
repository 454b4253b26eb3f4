"""Budget view: burn-up of each phase and line against plan, pace alerts, cost per result."""
from ui import budget_view

budget_view.render()
