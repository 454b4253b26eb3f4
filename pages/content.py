"""Content view: per-post rates against benchmarks, formats, the change-the-format signal,
publishing time, new vs returning users and the communication index per account."""
from ui import content_view

content_view.render()
