#!/usr/bin/python3
"""Self-test of the PyTorch training peer: the hand-written rfft gradient, the three scans against
each other (outputs and parameter gradients), the network against the inference peer
blur_torch.py, the data protocol, the optimiser groups and schedule, and the command line on the
real ETTh1 file (a few steps). Takes about ten seconds.

  /usr/bin/python3 benchmarks/peers/test_blur_torch_train.py
Prints 'N passed, N failed' as its last line; exits non-zero on failure.
"""
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import torch  # noqa: E402
import blur_torch_train as peer  # noqa: E402


def small_windows(count, channels, length, seed):
    gen = torch.Generator().manual_seed(seed)
    t = torch.arange(length, dtype=torch.float32)
    base = torch.sin(2 * math.pi * t / 7).reshape(1, 1, length)
    return base * torch.rand(count, channels, 1, generator=gen) + 0.3 * torch.randn(
        count, channels, length, generator=gen)


def gradients(model, windows, scan):
    model.zero_grad(set_to_none=True)
    out = peer.batch_loss(model, windows, torch.arange(windows.shape[0]), scan)
    out.backward()
    return out.item(), {n: p.grad.clone() for n, p in model.named()}


def main():
    passed = failed = 0

    def check(label, ok, detail=""):
        nonlocal passed, failed
        passed += bool(ok)
        failed += not ok
        print("%s %s %s" % ("ok  " if ok else "FAIL", label, detail))

    torch.manual_seed(0)
    x = torch.randn(10, 3, 2, dtype=torch.float64, requires_grad=True)
    check("PaddedRfft gradient (gradcheck, float64)", torch.autograd.gradcheck(peer.PaddedRfft.apply, (x,)))

    # a small network, dropout off: every scan gives the same loss and gradients
    model = peer.BlurTrainNet(window=12, horizon=5, hidden=8, state=6, layers=2, dropout=0.0, seed=4)
    windows = small_windows(6, 3, 17, seed=5)
    loss_loop, grads_loop = gradients(model, windows, "loop")
    for scan in ("fft", "conv"):
        loss, grads = gradients(model, windows, scan)
        worst = max(((grads[n] - g).abs().max() / g.abs().max().clamp_min(1e-30)).item()
                    for n, g in grads_loop.items())
        check("%s vs loop: loss" % scan, abs(loss - loss_loop) <= 1e-5 * abs(loss_loop),
              "%.7f vs %.7f" % (loss, loss_loop))
        check("%s vs loop: gradients of all %d tensors" % (scan, len(grads)), worst <= 1e-4, "rel %.2e" % worst)
    missing = [n for n, g in grads_loop.items() if not g.abs().max() > 0]
    check("every tensor gets a gradient", not missing, ", ".join(missing))

    # the same weights in blur_torch.py (the inference peer, checked against a naive transcription)
    for scan in ("conv", "fft", "loop"):
        diff = peer.check_peer(model, windows, 6, scan)
        check("%s vs blur_torch.py forecasts" % scan, diff <= 1e-5, "rel %.2e" % diff)

    # data protocol
    series = torch.arange(40, dtype=torch.float64).reshape(20, 2) ** 1.5
    cut = peer.training_windows(series, 4, 3)
    check("stride-1 windows", tuple(cut.shape) == (20 - 4 - 3 + 1, 2, 7), str(tuple(cut.shape)))
    flat = cut[:, :, 0]
    check("standardised with the population std",
          abs(((series[:, 0] - series[:, 0].mean()) / series[:, 0].std(unbiased=False))[0].item()
              - flat[0, 0].item()) < 1e-6)
    check("window t holds rows t .. t+6", torch.equal(cut[1, :, :6], cut[0, :, 1:]))

    # optimiser groups and schedule
    opt = peer.optimizer(peer.BlurTrainNet(12, 5, 8, 6, 2, 0.1, 1), 1e-3, 0.5, 0.01)
    groups = [(g["scale"], g["weight_decay"], len(g["params"])) for g in opt.param_groups]
    check("AdamW groups: recurrent 0.5x no decay; matrices decay; vectors none",
          groups == [(0.5, 0.0, 2 * 2 * 5), (1.0, 0.01, 1 + 2 * 2 * 2 + 2 + 2), (1.0, 0.0, 1 + 2 * 4 + 4)],
          str(groups))
    rates = [peer.cosine_rate(1e-3, 0, 100, s) for s in (0, 50, 100)]
    check("cosine schedule 1e-3 -> 1e-5", abs(rates[0] - 1e-3) < 1e-12 and abs(rates[2] - 1e-5) < 1e-12
          and abs(rates[1] - 0.505e-3) < 1e-9, str(rates))

    # the command line on the real data, a few steps
    data = os.path.join(HERE, "..", "..", "data", "ETTh1.csv.xz")
    r = subprocess.run([sys.executable, os.path.join(HERE, "blur_torch_train.py"), "--data", data,
                        "--max-steps", "2", "--warmup-steps", "1", "--threads", "1", "--check-peer", "2"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    check("cli exit code", r.returncode == 0, "" if r.returncode == 0 else r.stderr[-500:])
    if r.returncode == 0:
        res = json.loads(r.stdout.strip().splitlines()[-1])
        check("cli json keys", all(k in res for k in ("secondsPerEpoch", "stepsTimed", "msPerStep", "threads",
                                                     "scan", "finalLoss", "torch")), str(sorted(res)))
        check("cli windows and steps", res["windows"] == 8449 and res["stepsPerEpoch"] == 265
              and res["stepsTimed"] == 2 and res["extrapolated"], str(res))
        check("cli against the inference peer", res["maxRelDiffVsInferencePeer"] <= 1e-5,
              "rel %.2e" % res["maxRelDiffVsInferencePeer"])

    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
