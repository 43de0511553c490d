"""``python -m demos``: the tour (see `demos.tour`)."""

from __future__ import annotations

from .tour import main

if __name__ == "__main__":
    main()
