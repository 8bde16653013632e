import re

PATTERN = r"'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+"


# Split the text into chunks with PATTERN, encode each chunk's UTF-8 bytes with
# the merges (lowest rank first, as in bpe_encode), and concatenate the ids.
def regex_encode(text, merges):
    # TODO: split first. This returns the bytes of the whole text, unmerged.
    return list(text.encode("utf-8"))
