"""Text: normalisation, tokens, sentences, stop words, shingles and token hashes.

Owns everything that turns a string into comparable units: :func:`normalize`
(Unicode, mojibake, case), :func:`tokenize` (words with character spans),
sentence splitting, the stop-word list behind the skeleton, word/char/skeleton
shingles and the stable 64-bit token hashes the sketches use. It is the bottom
layer: it may import only :mod:`spindetect.exceptions` and
:mod:`spindetect._validation`.
"""
