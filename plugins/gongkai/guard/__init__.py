"""gongkai/guard: the author's raw HTML made safe before it reaches a page."""
