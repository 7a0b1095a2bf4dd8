"""Reads of the register: regulations in force (``regulations``), a complaint's stored log
replayed by the engine (``history``), the watch list (``watchlist``)."""
