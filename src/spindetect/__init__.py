"""spindetect: find, explain and cluster spun copies of articles."""
