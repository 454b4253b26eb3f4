"""Upload view: drop the week's exports, pick accounts, map unknown layouts, see results, undo."""
from ui import upload_view

upload_view.render()
