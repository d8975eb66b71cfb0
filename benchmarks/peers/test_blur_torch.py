#!/usr/bin/python3
"""Self-test of the PyTorch peer: compares blur_torch.BlurTorch (fft and loop scans) with a naive
element-by-element pure-Python float64 transcription of the network spec, on small random models
in all four channel-mode x direction combinations (with and without RevIN), and checks the
command-line file protocol end to end.

  /usr/bin/python3 benchmarks/peers/test_blur_torch.py
Prints 'N passed, N failed' as its last line; exits non-zero on failure.
"""
import array
import cmath
import json
import math
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import torch  # noqa: E402
import blur_torch  # noqa: E402


def tensors_as_lists(doc):
    out = {}
    for name, e in doc["tensors"].items():
        t = blur_torch.decode_f32(e["data"], e["shape"]).double()
        out[name] = t.tolist()
    return out


def layer_norm(v, w, b, eps=1e-5):
    n = len(v)
    m = sum(v) / n
    var = sum((a - m) ** 2 for a in v) / n
    s = math.sqrt(var + eps)
    return [(v[j] - m) / s * w[j] + b[j] for j in range(n)]


def gelu(x):
    return 0.5 * x * (1.0 + math.erf(x / math.sqrt(2.0)))


def sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


def naive_forward(doc, window):
    """window: W x C list (original units) -> F x C list. Straight from the spec, float64."""
    cfg = doc["config"]
    T = tensors_as_lists(doc)
    W, F, H, N, L = cfg["window"], cfg["horizon"], cfg["hidden"], cfg["state"], cfg["layers"]
    C = len(cfg["channels"])
    mean, std = doc["scaler"]["mean"], doc["scaler"]["std"]
    dirs = ["forward", "backward"] if cfg["direction"] == "BIDIRECTIONAL" else ["forward"]
    x = [[(window[t][c] - mean[c]) / std[c] for c in range(C)] for t in range(W)]
    mus, sigmas = [0.0] * C, [1.0] * C
    if cfg["revin"]:
        for c in range(C):
            col = [x[t][c] for t in range(W)]
            m = sum(col) / W
            var = sum((v - m) ** 2 for v in col) / W
            mus[c], sigmas[c] = m, math.sqrt(var + 1e-5)
        x = [[(x[t][c] - mus[c]) / sigmas[c] for c in range(C)] for t in range(W)]
    if cfg["channelMode"] == "MIXING":
        seqs = [x]
    else:
        seqs = [[[x[t][c]] for t in range(W)] for c in range(C)]
    outs = []
    for seq in seqs:
        cin = len(seq[0])
        ew, eb = T["encoder.weight"], T["encoder.bias"]
        h = [[eb[j] + sum(seq[t][i] * ew[i][j] for i in range(cin)) for j in range(H)] for t in range(W)]
        for li in range(L):
            p = "blocks.%d" % li
            z = [layer_norm(h[t], T[p + ".norm.weight"], T[p + ".norm.bias"]) for t in range(W)]
            y = [[T[p + ".D"][j] * z[t][j] for j in range(H)] for t in range(W)]
            for d in dirs:
                q = "%s.%s" % (p, d)
                lam = [cmath.exp(complex(-math.exp(T[q + ".nu"][n]), math.exp(T[q + ".theta"][n]))) for n in range(N)]
                gam = [math.exp(T[q + ".gamma_log"][n]) for n in range(N)]
                u = [[gam[n] * sum(z[t][j] * complex(T[q + ".B_re"][j][n], T[q + ".B_im"][j][n]) for j in range(H))
                      for n in range(N)] for t in range(W)]
                hs = [None] * W
                state = [0j] * N
                order = range(W) if d == "forward" else range(W - 1, -1, -1)
                for t in order:
                    state = [lam[n] * state[n] + u[t][n] for n in range(N)]
                    hs[t] = state
                for t in range(W):
                    for j in range(H):
                        y[t][j] += sum(T[q + ".C_re"][n][j] * hs[t][n].real - T[q + ".C_im"][n][j] * hs[t][n].imag
                                       for n in range(N))
            gw, gb = T[p + ".glu.weight"], T[p + ".glu.bias"]
            for t in range(W):
                u2 = [gelu(v) for v in y[t]]
                for j in range(H):
                    a = gb[j] + sum(u2[i] * gw[i][j] for i in range(H))
                    g = gb[H + j] + sum(u2[i] * gw[i][H + j] for i in range(H))
                    h[t][j] += a * sigmoid(g)
        xf = [layer_norm(h[t], T["head.norm.weight"], T["head.norm.bias"]) for t in range(W)]
        tw, tb = T["head.time.weight"], T["head.time.bias"]
        o1 = [[tb[k] + sum(tw[k][t] * xf[t][j] for t in range(W)) for j in range(H)] for k in range(F)]
        cw, cb = T["head.channel.weight"], T["head.channel.bias"]
        cout = len(cb)
        outs.append([[cb[m] + sum(o1[k][j] * cw[j][m] for j in range(H)) for m in range(cout)] for k in range(F)])
    if cfg["channelMode"] == "MIXING":
        y = outs[0]
    else:
        y = [[outs[c][k][0] for c in range(C)] for k in range(F)]
    return [[(y[k][c] * sigmas[c] + mus[c]) * std[c] + mean[c] for c in range(C)] for k in range(F)]


def make(tmp, name, *args):
    path = os.path.join(tmp, name + ".json")
    inp = os.path.join(tmp, name + ".f32")
    subprocess.run([sys.executable, os.path.join(HERE, "make_random_model.py"), "--out", path,
                    "--inputs", inp] + list(args), check=True, stderr=subprocess.DEVNULL)
    return path, inp


def main():
    passed = failed = 0

    def check(label, ok, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
            print("PASS %s %s" % (label, detail))
        else:
            failed += 1
            print("FAIL %s %s" % (label, detail))

    torch.set_num_threads(2)
    with tempfile.TemporaryDirectory() as tmp:
        cases = []
        for mode in ("MIXING", "INDEPENDENT"):
            for direction in ("BIDIRECTIONAL", "FORWARD"):
                for revin in (True, False):
                    cases.append((mode, direction, revin))
        for i, (mode, direction, revin) in enumerate(cases):
            name = "m%d" % i
            args = ["--window", "11", "--horizon", "4", "--channels", "3", "--hidden", "6", "--state", "5",
                    "--layers", "2", "--channel-mode", mode, "--direction", direction, "--seed", str(10 + i),
                    "--count", "3", "--r-min", "0.5", "--r-max", "0.999"]
            if not revin:
                args.append("--no-revin")
            path, inp = make(tmp, name, *args)
            with open(path) as f:
                doc = json.load(f)
            x = blur_torch.read_f32_file(inp).reshape(3, 11, 3)
            ref = torch.tensor([naive_forward(doc, x[b].double().tolist()) for b in range(3)], dtype=torch.float64)
            scale = ref.abs().max().item()
            label = "%s/%s/revin=%s" % (mode, direction, revin)
            m64 = blur_torch.BlurTorch(doc, torch.float64)
            m32 = blur_torch.BlurTorch(doc, torch.float32)
            with torch.inference_mode():
                for scan in ("fft", "loop"):
                    e64 = (m64.forward(x.double(), scan) - ref).abs().max().item() / scale
                    check("%s float64 %s vs naive" % (label, scan), e64 <= 1e-10, "rel %.2e" % e64)
                    e32 = (m32.forward(x, scan).double() - ref).abs().max().item() / scale
                    check("%s float32 %s vs naive" % (label, scan), e32 <= 1e-4, "rel %.2e" % e32)

        # the command line and file protocol, end to end
        path, inp = make(tmp, "cli", "--window", "24", "--horizon", "6", "--channels", "4", "--hidden", "16",
                         "--state", "12", "--layers", "2", "--count", "70", "--seed", "3")
        out = os.path.join(tmp, "cli.out.f32")
        r = subprocess.run([sys.executable, os.path.join(HERE, "blur_torch.py"), "--model", path, "--inputs", inp,
                            "--count", "70", "--outputs", out, "--time-batches", "1,64", "--seconds", "0.2",
                            "--warmup", "0.1", "--threads", "2", "--dtype", "float64"],
                           check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        res = json.loads(r.stdout.strip().splitlines()[-1])
        check("cli json keys", all(k in res for k in ("torchVersion", "threads", "window", "hidden", "state",
                                                         "layers", "windowsPerSec", "maxAbsDiffFftVsLoop")))
        check("cli windowsPerSec", set(res["windowsPerSec"]) == {"1", "64"} and
              all(v > 0 for v in res["windowsPerSec"].values()))
        check("cli fft vs loop float64", res["maxRelDiffFftVsLoop"] <= 1e-5, "rel %.2e" % res["maxRelDiffFftVsLoop"])
        check("cli output size", os.path.getsize(out) == 70 * 6 * 4 * 4, str(os.path.getsize(out)))
        with open(path) as f:
            doc = json.load(f)
        x = blur_torch.read_f32_file(inp).reshape(70, 24, 4)
        got = blur_torch.read_f32_file(out).reshape(70, 6, 4).double()
        ref = torch.tensor([naive_forward(doc, x[b].double().tolist()) for b in (0, 33, 64, 69)], dtype=torch.float64)
        e = (got[[0, 33, 64, 69]] - ref).abs().max().item() / ref.abs().max().item()
        check("cli outputs vs naive (windows 0,33,64,69)", e <= 1e-6, "rel %.2e" % e)

    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
