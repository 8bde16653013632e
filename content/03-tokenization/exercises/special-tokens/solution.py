def bpe_encode_bytes(ids, rank):
    while len(ids) >= 2:
        best = min(zip(ids, ids[1:]), key=lambda p: rank.get(p, float("inf")))
        if best not in rank:
            break
        out = []
        i = 0
        while i < len(ids):
            if i + 1 < len(ids) and (ids[i], ids[i + 1]) == best:
                out.append(256 + rank[best])
                i += 2
            else:
                out.append(ids[i])
                i += 1
        ids = out
    return ids


def encode_with_special(text, merges, special):
    rank = {}
    for i, (a, b) in enumerate(merges):
        rank.setdefault((a, b), i)
    names = sorted((s for s in special if s), key=len, reverse=True)
    ids = []
    plain = []

    def flush():
        if plain:
            ids.extend(bpe_encode_bytes(list("".join(plain).encode("utf-8")), rank))
            plain.clear()

    i = 0
    while i < len(text):
        hit = next((name for name in names if text.startswith(name, i)), None)
        if hit is not None:
            flush()
            ids.append(special[hit])
            i += len(hit)
        else:
            plain.append(text[i])
            i += 1
    flush()
    return ids
