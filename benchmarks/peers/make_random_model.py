#!/usr/bin/python3
"""Write a random BLUR model file in the "blurstream-model" JSON format (formatVersion 1).

Intended for testing the PyTorch peer (blur_torch.py) and the file protocol; the weights are
random (LRU-style ring initialisation of the eigenvalues), not trained.

Usage:
  /usr/bin/python3 make_random_model.py --out model.json [--window 96] [--horizon 24]
      [--channels 7 | --channels HUFL,HULL,...] [--hidden 128] [--state 128] [--layers 2]
      [--direction BIDIRECTIONAL|FORWARD] [--channel-mode MIXING|INDEPENDENT] [--no-revin]
      [--seed 1] [--r-min 0.0] [--r-max 1.0] [--max-phase 6.283] [--inputs IN.f32 --count B]

With --inputs/--count it also writes B random windows [B, W, C] (raw little-endian float32,
row-major, in "original units", i.e. around the scaler's mean/std) for use with blur_torch.py.

Only the Python standard library is used.
"""
import argparse
import array
import base64
import datetime
import hashlib
import json
import math
import random
import sys

ETT_NAMES = ["HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT"]


def f32_b64(values):
    a = array.array("f", values)
    if sys.byteorder != "little":
        a.byteswap()
    return base64.b64encode(a.tobytes()).decode("ascii")


def tensor(shape, values):
    n = 1
    for d in shape:
        n *= d
    assert len(values) == n, (shape, len(values))
    return {"shape": list(shape), "data": f32_b64(values)}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--window", type=int, default=96)
    p.add_argument("--horizon", type=int, default=24)
    p.add_argument("--channels", default="7", help="a count, or comma-separated names")
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--state", type=int, default=128)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--direction", default="BIDIRECTIONAL", choices=["BIDIRECTIONAL", "FORWARD"])
    p.add_argument("--channel-mode", default="MIXING", choices=["MIXING", "INDEPENDENT"])
    p.add_argument("--no-revin", action="store_true")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--r-min", type=float, default=0.0)
    p.add_argument("--r-max", type=float, default=1.0)
    p.add_argument("--max-phase", type=float, default=6.283)
    p.add_argument("--grid-step-millis", type=int, default=3600000)
    p.add_argument("--inputs", help="also write random input windows here (raw float32 [B, W, C])")
    p.add_argument("--count", type=int, default=64, help="number of windows for --inputs")
    a = p.parse_args()

    rng = random.Random(a.seed)
    if a.channels.isdigit():
        k = int(a.channels)
        names = [ETT_NAMES[i] if i < len(ETT_NAMES) else "ch%d" % i for i in range(k)]
    else:
        names = [s.strip() for s in a.channels.split(",") if s.strip()]
    C = len(names)
    W, F, H, N, L = a.window, a.horizon, a.hidden, a.state, a.layers
    cio = C if a.channel_mode == "MIXING" else 1

    def gauss(n, std):
        return [rng.gauss(0.0, std) for _ in range(n)]

    def uniform(n, lim):
        return [rng.uniform(-lim, lim) for _ in range(n)]

    def lru(prefix, t):
        nu, theta, glog = [], [], []
        lo2, hi2 = a.r_min ** 2, a.r_max ** 2
        for _ in range(N):
            r = math.sqrt(rng.uniform(lo2, hi2))
            r = min(max(r, 1e-3), 1.0 - 1e-4)       # keep log/sqrt finite and |lambda| < 1
            phase = max(rng.uniform(0.0, a.max_phase), 1e-4)
            nu.append(math.log(-math.log(r)))       # exp(-exp(nu)) = r
            theta.append(math.log(phase))           # exp(theta) = phase
            glog.append(math.log(math.sqrt(1.0 - r * r)))
        t[prefix + ".nu"] = tensor([N], nu)
        t[prefix + ".theta"] = tensor([N], theta)
        t[prefix + ".gamma_log"] = tensor([N], glog)
        sb = 1.0 / math.sqrt(2.0 * H)
        t[prefix + ".B_re"] = tensor([H, N], gauss(H * N, sb))
        t[prefix + ".B_im"] = tensor([H, N], gauss(H * N, sb))
        sc = 1.0 / math.sqrt(N)
        t[prefix + ".C_re"] = tensor([N, H], gauss(N * H, sc))
        t[prefix + ".C_im"] = tensor([N, H], gauss(N * H, sc))

    t = {}
    t["encoder.weight"] = tensor([cio, H], uniform(cio * H, 1.0 / math.sqrt(cio)))
    t["encoder.bias"] = tensor([H], uniform(H, 1.0 / math.sqrt(cio)))
    for i in range(L):
        b = "blocks.%d" % i
        t[b + ".norm.weight"] = tensor([H], [1.0 + 0.1 * rng.gauss(0, 1) for _ in range(H)])
        t[b + ".norm.bias"] = tensor([H], gauss(H, 0.1))
        lru(b + ".forward", t)
        if a.direction == "BIDIRECTIONAL":
            lru(b + ".backward", t)
        t[b + ".D"] = tensor([H], gauss(H, 1.0))
        t[b + ".glu.weight"] = tensor([H, 2 * H], uniform(H * 2 * H, 1.0 / math.sqrt(H)))
        t[b + ".glu.bias"] = tensor([2 * H], uniform(2 * H, 1.0 / math.sqrt(H)))
    t["head.norm.weight"] = tensor([H], [1.0 + 0.1 * rng.gauss(0, 1) for _ in range(H)])
    t["head.norm.bias"] = tensor([H], gauss(H, 0.1))
    t["head.time.weight"] = tensor([F, W], uniform(F * W, 1.0 / math.sqrt(W)))
    t["head.time.bias"] = tensor([F], uniform(F, 1.0 / math.sqrt(W)))
    t["head.channel.weight"] = tensor([H, cio], uniform(H * cio, 1.0 / math.sqrt(H)))
    t["head.channel.bias"] = tensor([cio], uniform(cio, 1.0 / math.sqrt(H)))

    means = [rng.uniform(-10.0, 30.0) for _ in range(C)]
    stds = [rng.uniform(0.5, 8.0) for _ in range(C)]
    doc = {
        "format": "blurstream-model",
        "formatVersion": 1,
        "modelId": "random-%s-%s-W%dH%dN%dL%dC%d-seed%d" % (
            a.channel_mode.lower(), a.direction.lower(), W, H, N, L, C, a.seed),
        "version": 1,
        "createdAt": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "config": {
            "window": W, "horizon": F, "channels": names, "gridStepMillis": a.grid_step_millis,
            "channelMode": a.channel_mode, "revin": not a.no_revin,
            "hidden": H, "state": N, "layers": L, "direction": a.direction,
            "recurrence": "DIAGONAL", "dropout": 0.1,
            "rMin": a.r_min, "rMax": a.r_max, "maxPhase": a.max_phase,
        },
        "scaler": {"mean": means, "std": stds},
        "metadata": {"generator": "benchmarks/peers/make_random_model.py", "seed": str(a.seed),
                     "trained": "false"},
        "tensors": t,
    }
    # Convention used here (the peer ignores it): SHA-256 of the compact, key-sorted JSON of the
    # document without the "sha256" field.  The Java loader may define this differently.
    canon = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode("utf-8")
    doc["sha256"] = hashlib.sha256(canon).hexdigest()
    with open(a.out, "w") as f:
        json.dump(doc, f)
    print("wrote %s (%s)" % (a.out, doc["modelId"]), file=sys.stderr)

    if a.inputs:
        vals = array.array("f")
        for _ in range(a.count):   # daily-ish sine + noise around the scaler's mean/std
            ph = [rng.uniform(0.0, 2.0 * math.pi) for _c in range(C)]
            for _t in range(W):
                for c in range(C):
                    v = math.sin(2.0 * math.pi * _t / 24.0 + ph[c]) + 0.3 * rng.gauss(0.0, 1.0)
                    vals.append(means[c] + stds[c] * v)
        if sys.byteorder != "little":
            vals.byteswap()
        with open(a.inputs, "wb") as f:
            f.write(vals.tobytes())
        print("wrote %s ([%d, %d, %d] float32)" % (a.inputs, a.count, W, C), file=sys.stderr)


if __name__ == "__main__":
    main()
