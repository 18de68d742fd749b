"""A plain PyTorch implementation of the word-swap method (docs/method.md §2-§5), as a timing reference for
`npm run bench`. Optional tooling: iw itself never needs Python.

It does what the authors' code does, without iw's shortcuts: for each sequence, all N + 1 versions (the
original and each swapped one) in one right-padded batch, float32, every token position of every version,
the hidden states of every layer (Hugging Face's convention: embeddings, blocks 1..n-1, final norm), word
activations as the mean of their tokens, absolute differences over lags 0..maxLag, unit and population windows
(normalised by the lag-0 effect, medians over measured words), and one least-squares fit per unit window and per
population window from the authors' single start (a = 1, b = 1, c = 0.5). Logits are not computed: the method
needs hidden states only (as Hugging Face's GPT2Model gives them), so this is the faster of the two plain ways.

The model is gpt2.py's (the GPT-2-shape tool's), built from DIR/config.json with the seed the tool exported it
with, so its weights are the ONNX model's: its windows should match iw's, which the bench checks.

usage: python3 pytorch_reference.py INPUT.json    (written by the bench: token ids and word spans of every
       version of every sequence, exactly the stimuli iw measured)
Prints one line: "pytorch-reference-result " + JSON.
"""
import json
import math
import resource
import sys
import time

import numpy as np
import torch

RESULT_PREFIX = "pytorch-reference-result "


def build_model(model_dir, tools_dir):
    """gpt2.py's GPT-2 with the shape (and seed) of the exported model, in eval mode."""
    sys.path.insert(0, tools_dir)
    from gpt2 import Config, GPT2LMHeadModel  # noqa: E402  (the tool's folder is only known here)
    hf = json.load(open(f"{model_dir}/config.json"))
    cfg = Config(vocab_size=hf["vocab_size"], n_positions=hf["n_positions"], n_embd=hf["n_embd"],
                 n_layer=hf["n_layer"], n_head=hf["n_head"], dropout=0.0)
    torch.manual_seed(hf.get("training", {}).get("seed", 1))
    return GPT2LMHeadModel(cfg).eval().transformer


def hidden_states(transformer, ids, mask):
    """[layers, rows, tokens, width]: the embedding output, the residual stream after blocks 1..n-1, and the
    final norm's output (Hugging Face's hidden_states)."""
    positions = torch.arange(ids.shape[1])[None, :]
    x = transformer.wte(ids) + transformer.wpe(positions)
    states = [x]
    for block in transformer.h:
        x, _ = block(x, mask)
        states.append(x)
    states[-1] = transformer.ln_f(x)
    return states


def pooling_matrix(versions, tokens, words):
    """[rows, words, tokens]: row r averages each word's tokens (docs/method.md §2)."""
    pool = torch.zeros(len(versions), words, tokens)
    for r, version in enumerate(versions):
        for w, (start, end) in enumerate(version["wordSpans"]):
            pool[r, w, start:end] = 1.0 / (end - start)
    return pool


def forward_and_differences(transformer, sequences, max_lag):
    """Runs every sequence's N + 1 versions in one batch; returns the band sums D[layer][k, lag, unit] (float64),
    the swaps per position, and the seconds of the forward passes and of the differences."""
    words = len(sequences[0]["original"]["wordSpans"])
    sums, counts = None, np.zeros(words)
    forward_seconds = difference_seconds = 0.0
    for sequence in sequences:
        versions = [sequence["original"]] + [swap["tokens"] for swap in sequence["swaps"]]
        positions = [swap["swapPosition"] for swap in sequence["swaps"]]
        tokens = max(len(v["ids"]) for v in versions)
        ids = torch.zeros(len(versions), tokens, dtype=torch.long)
        mask = torch.zeros(len(versions), tokens, dtype=torch.long)
        for r, version in enumerate(versions):
            ids[r, :len(version["ids"])] = torch.tensor(version["ids"])
            mask[r, :len(version["ids"])] = 1
        started = time.perf_counter()
        with torch.inference_mode():
            states = hidden_states(transformer, ids, mask)
            pool = pooling_matrix(versions, tokens, words)
            word_states = [torch.bmm(pool, h).numpy() for h in states]
        forward_seconds += time.perf_counter() - started
        started = time.perf_counter()
        if sums is None:
            sums = np.zeros((len(word_states), words, max_lag + 1, word_states[0].shape[2]))
        for layer, h in enumerate(word_states):
            for row, k in enumerate(positions, start=1):
                end = min(k + max_lag + 1, words)
                sums[layer, k, :end - k] += np.abs(h[row, k:end] - h[0, k:end])
        for k in positions:
            counts[k] += 1
        difference_seconds += time.perf_counter() - started
    return sums, counts, forward_seconds, difference_seconds


def windows(sums, counts, max_lag, min_swap):
    """Unit windows [layers][units, lags] (NaN rows for excluded units) and population windows [layers][lags]
    (docs/method.md §4)."""
    words = sums.shape[1]
    d = sums / np.maximum(counts, 1)[None, :, None, None]
    measured = [t for t in range(min_swap + max_lag, words) if all(counts[k] > 0 for k in range(t - max_lag, t + 1))]
    unit, population = [], []
    for layer in range(d.shape[0]):
        # w[t, lag, unit] = D(t - lag, t) / D(t, t)
        numer = np.stack([np.stack([d[layer, t - lag, lag] for lag in range(max_lag + 1)]) for t in measured])
        lag0 = numer[:, 0, :]
        included = np.all((lag0 > 0) & np.isfinite(lag0), axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            w = numer / lag0[:, None, :]
        unit_windows = np.median(w, axis=0).T
        unit_windows[~included] = np.nan
        unit.append(unit_windows)
        population.append(np.median(w[:, :, included].mean(axis=2), axis=0) if included.any() else None)
    return unit, population


def curve(lags, a, b, c):
    return c * (lags + 1.0) ** (-a) + (1.0 - c) * np.exp(-b * lags)


def fit_scipy(lags, window):
    from scipy.optimize import curve_fit
    params, _ = curve_fit(curve, lags, window, p0=(1.0, 1.0, 0.5), bounds=([0, 0, 0], [10, 10, 1]))
    return params


def fit_numpy(lags, window, steps=200):
    """Levenberg-Marquardt with the parameters clamped into the box (when scipy is not installed)."""
    p, damping = np.array([1.0, 1.0, 0.5]), 1e-3
    low, high = np.zeros(3), np.array([10.0, 10.0, 1.0])

    def residual(q):
        return curve(lags, *q) - window

    r = residual(p)
    for _ in range(steps):
        a, b, c = p
        power, expo = (lags + 1.0) ** (-a), np.exp(-b * lags)
        jac = np.stack([-c * np.log(lags + 1.0) * power, -(1.0 - c) * lags * expo, power - expo], axis=1)
        jtj, g = jac.T @ jac, jac.T @ r
        step = np.linalg.solve(jtj + damping * np.diag(np.diag(jtj) + 1e-12), -g)
        trial = np.clip(p + step, low, high)
        r_trial = residual(trial)
        if r_trial @ r_trial < r @ r:
            gain = r @ r - r_trial @ r_trial
            p, r, damping = trial, r_trial, max(damping / 3, 1e-12)
            if gain < 1e-12 * max(r @ r, 1e-30):
                break
        else:
            damping *= 4
            if damping > 1e12:
                break
    return p


def fit_all(unit, population, max_lag):
    """One single-start fit per included unit window and per population window; returns the fitter's name."""
    try:
        import scipy.optimize  # noqa: F401
        fit, fitter = fit_scipy, "scipy.optimize.curve_fit (trf, bounds)"
    except ImportError:
        fit, fitter = fit_numpy, "numpy Levenberg-Marquardt (scipy not installed)"
    lags = np.arange(max_lag + 1, dtype=float)
    fits = 0
    for unit_windows, population_window in zip(unit, population):
        for window in unit_windows:
            if np.all(np.isfinite(window)):
                fit(lags, window)
                fits += 1
        if population_window is not None:
            fit(lags, population_window)
            fits += 1
    return fitter, fits


def main():
    started = time.perf_counter()
    request = json.load(open(sys.argv[1]))
    torch.set_num_threads(request["threads"])
    transformer = build_model(request["modelDir"], request["toolsDir"])
    build_seconds = time.perf_counter() - started
    sums, counts, forward_seconds, difference_seconds = forward_and_differences(transformer, request["sequences"], request["maxLag"])
    statistics_started = time.perf_counter()
    unit, population = windows(sums, counts, request["maxLag"], request["minSwap"])
    statistics_seconds = time.perf_counter() - statistics_started
    fits_started = time.perf_counter()
    fitter, fits = fit_all(unit, population, request["maxLag"])
    fit_seconds = time.perf_counter() - fits_started
    result = {
        "torch": torch.__version__, "threads": torch.get_num_threads(), "fitter": fitter, "fits": fits,
        "buildSeconds": build_seconds, "forwardSeconds": forward_seconds, "differenceSeconds": difference_seconds,
        "statisticsSeconds": statistics_seconds, "fitSeconds": fit_seconds,
        "totalSeconds": time.perf_counter() - started,
        "maxRssKiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "populationWindows": [None if w is None else [float(x) for x in w] for w in population],
    }
    print(RESULT_PREFIX + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
