# Find the special strings first (longest first where two start at the same place)
# and emit their ids; encode each stretch of ordinary text in between with BPE.
def encode_with_special(text, merges, special):
    # TODO: handle the special strings. This treats everything as ordinary bytes.
    return list(text.encode("utf-8"))
