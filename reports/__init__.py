"""Exports the team sends around: the three-tables workbook (budget, appraisal, job descriptions)."""
