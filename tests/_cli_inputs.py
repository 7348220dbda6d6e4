"""Small inputs shared by the CLI tests (importable: pytest ``pythonpath`` is ``tests``)."""

SHORT_TEXT = (
    "The quick brown fox jumps over the lazy dog near the river bank every single morning "
    "before dawn while the farmer sleeps soundly in his old wooden house on the hill."
)
