"""Pictures drawn with Pillow: the stats card, the weekly leaderboard image and admin charts.

Only Pillow's own bundled font is used (``ImageFont.load_default(size=...)``), so a picture comes
out the same on every machine. Nothing here knows about platforms or storage: each picture is a
plain function of the core's figures, returning PNG bytes.
"""
