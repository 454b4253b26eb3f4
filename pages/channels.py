"""Channels view: follows, share, cost and conversion per channel, stability and the burst point."""
from ui import channels_view

channels_view.render()
