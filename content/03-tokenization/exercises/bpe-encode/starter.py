# Encode byte values into token ids by replaying a merge table.
# merges[i] = [a, b] means: the pair (a, b) becomes id 256 + i, with rank i.
def bpe_encode(byte_values, merges):
    ids = list(byte_values)
    # TODO 1: build a dict from the pair (a, b) to its rank i.
    # TODO 2: while ids has at least two elements:
    #   - find the adjacent pair with the lowest rank (skip pairs with no rule),
    #   - if there is none, stop,
    #   - otherwise replace all its occurrences with 256 + rank (left to right, no overlaps).
    return ids
