# Train BPE: repeat num_merges times (or until fewer than 2 ids are left):
# count adjacent pairs, take the most frequent (ties: the pair seen first),
# replace it by 256 + step, and record it in the merge table.
def train_bpe(text, num_merges):
    ids = list(text.encode("utf-8"))
    merges = []
    # TODO: the training loop.
    return merges
