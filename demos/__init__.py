"""Teaching demos: the lecture notes, runnable, with pictures."""
