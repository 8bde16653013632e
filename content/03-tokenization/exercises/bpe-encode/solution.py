def merge_pair(ids, pair, new_id):
    out = []
    i = 0
    while i < len(ids):
        if i + 1 < len(ids) and ids[i] == pair[0] and ids[i + 1] == pair[1]:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


def bpe_encode(byte_values, merges):
    rank = {}
    for i, (a, b) in enumerate(merges):
        rank.setdefault((a, b), i)
    ids = list(byte_values)
    while len(ids) >= 2:
        pairs = [(ids[j], ids[j + 1]) for j in range(len(ids) - 1)]
        best = min(pairs, key=lambda p: rank.get(p, float("inf")))
        if best not in rank:
            break
        r = rank[best]
        ids = merge_pair(ids, merges[r], 256 + r)
    return ids
