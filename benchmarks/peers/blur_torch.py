#!/usr/bin/python3
"""Independent eager-PyTorch peer of the Blurstream BLUR forecasting network.

Loads a "blurstream-model" JSON file (formatVersion 1), forecasts a batch of raw float32
windows, optionally writes the forecasts, and measures windows/s at a few batch sizes.
Used by the benchmarks as a correctness cross-check and a speed comparison for the Java engine.

  /usr/bin/python3 blur_torch.py --model MODEL.json --inputs IN.f32 --count B
      [--outputs OUT.f32] [--time-batches 1,64] [--seconds 3] [--threads 2]
      [--scan fft|loop] [--dtype float32|float64] [--check-loop 16] [--chunk 64] [--malloc-tuning on|off]

IN.f32  : raw little-endian float32, [B, W, C] row-major, original units.
OUT.f32 : raw little-endian float32, [B, F, C] row-major, original units.
The last line on stdout is one JSON object with the measurements; everything else goes to stderr.

Dependencies: Python 3.11 standard library + torch (Debian: apt-get install --no-install-recommends
python3-torch libopenblas0-openmp; without an optimized BLAS torch falls back to the reference BLAS).
"""
import argparse
import array
import base64
import json
import os
import sys
import time

import torch
import torch.nn.functional as Fn

LN_EPS = 1e-5
REVIN_EPS = 1e-5


def tune_malloc():
    """Keep freed memory in the process (glibc): no trimming, no mmap for big blocks. Otherwise
    every large temporary (FFT buffers are tens of MB at batch 64) is mmapped and unmapped on
    each call and the page faults cost as much as the FFTs. This is what LD_PRELOADing
    jemalloc/tcmalloc does for a PyTorch CPU deployment. Returns True if applied."""
    try:
        import ctypes
        libc = ctypes.CDLL("libc.so.6")
        M_TRIM_THRESHOLD, M_MMAP_MAX = -1, -4
        ok = libc.mallopt(M_TRIM_THRESHOLD, ctypes.c_int(2 ** 31 - 1)) == 1
        return libc.mallopt(M_MMAP_MAX, ctypes.c_int(0)) == 1 and ok
    except (OSError, AttributeError):
        return False


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def blas_libraries():
    """The BLAS libraries this process has mapped (Linux), which torch's matrix products run on:
    Debian's libtorch links libblas.so.3, whose provider update-alternatives picks."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.rsplit("/", 1)[-1]}
    except OSError:
        return []
    return sorted(p for p in paths if p.startswith("/"))


def warn_if_reference_blas():
    """Logs a warning when torch's BLAS (libblas.so.3) is Debian's unoptimised reference one, which
    lives in a directory of its own named blas: on it the peer's matrix products run some 30 times
    slower and a speed comparison against it means nothing. Returns the BLAS libraries found."""
    libraries = blas_libraries()
    reference = [p for p in libraries if os.path.basename(os.path.dirname(p)) == "blas"]
    if reference:
        log("warning: PyTorch runs on the reference BLAS (%s), not an optimised one; install one with"
            " `sudo apt-get install --no-install-recommends libopenblas0-openmp` or its timings mean"
            " nothing" % ", ".join(reference))
    return libraries


def f32_from_bytes(raw):
    """Little-endian float32 bytes -> 1-D float32 tensor (a copy)."""
    if len(raw) % 4:
        raise ValueError("float32 data of %d bytes is not a multiple of 4" % len(raw))
    if not raw:
        return torch.zeros(0, dtype=torch.float32)
    a = array.array("f")
    a.frombytes(raw)
    if sys.byteorder != "little":
        a.byteswap()
    return torch.frombuffer(a, dtype=torch.float32).clone()


def decode_f32(b64, shape):
    raw = base64.b64decode(b64)
    n = 1
    for d in shape:
        n *= int(d)
    if len(raw) != 4 * n:
        raise ValueError("tensor data has %d bytes, shape %s needs %d" % (len(raw), shape, 4 * n))
    return f32_from_bytes(raw).reshape([int(d) for d in shape])


def read_f32_file(path):
    with open(path, "rb") as f:
        return f32_from_bytes(f.read())


def write_f32_file(path, t):
    a = array.array("f", t.detach().to(torch.float32).contiguous().reshape(-1).tolist())
    if sys.byteorder != "little":
        a.byteswap()
    with open(path, "wb") as f:
        f.write(a.tobytes())


class BlurTorch:
    """The BLUR network for inference. Parameters are held in `dtype` (float32 or float64);
    the recurrences run in the matching complex dtype."""

    def __init__(self, doc, dtype=torch.float32):
        if doc.get("format") != "blurstream-model":
            raise ValueError("not a blurstream-model file (format=%r)" % doc.get("format"))
        if doc.get("formatVersion") != 1:
            raise ValueError("unsupported formatVersion %r" % doc.get("formatVersion"))
        cfg = doc["config"]
        self.cfg = cfg
        self.dtype = dtype
        self.cdtype = torch.complex64 if dtype == torch.float32 else torch.complex128
        self.W = int(cfg["window"])
        self.F = int(cfg["horizon"])
        self.channels = list(cfg["channels"])
        self.C = len(self.channels)
        self.H = int(cfg["hidden"])
        self.N = int(cfg["state"])
        self.L = int(cfg["layers"])
        self.mode = cfg["channelMode"]
        self.revin = bool(cfg["revin"])
        self.direction = cfg["direction"]
        if self.mode not in ("MIXING", "INDEPENDENT"):
            raise ValueError("unknown channelMode %r" % self.mode)
        if self.direction not in ("BIDIRECTIONAL", "FORWARD"):
            raise ValueError("unknown direction %r" % self.direction)
        if cfg.get("recurrence", "DIAGONAL") != "DIAGONAL":
            raise ValueError("unsupported recurrence %r" % cfg.get("recurrence"))
        self.dirs = ["forward", "backward"] if self.direction == "BIDIRECTIONAL" else ["forward"]
        self.cio = self.C if self.mode == "MIXING" else 1

        sc = doc["scaler"]
        self.mean = torch.tensor(sc["mean"], dtype=torch.float64).to(dtype)
        self.std = torch.tensor(sc["std"], dtype=torch.float64).to(dtype)
        if self.mean.numel() != self.C or self.std.numel() != self.C:
            raise ValueError("scaler has %d/%d entries, %d channels" % (
                self.mean.numel(), self.std.numel(), self.C))

        tens = doc["tensors"]
        W, F, H, N, cio = self.W, self.F, self.H, self.N, self.cio

        def get(name, shape):
            if name not in tens:
                raise KeyError("missing tensor %s" % name)
            e = tens[name]
            if [int(d) for d in e["shape"]] != list(shape):
                raise ValueError("tensor %s has shape %s, expected %s" % (name, e["shape"], list(shape)))
            return decode_f32(e["data"], e["shape"]).to(dtype)

        self.enc_w = get("encoder.weight", [cio, H])
        self.enc_b = get("encoder.bias", [H])
        self.blocks = []
        for i in range(self.L):
            p = "blocks.%d" % i
            blk = {
                "norm_w": get(p + ".norm.weight", [H]),
                "norm_b": get(p + ".norm.bias", [H]),
                "D": get(p + ".D", [H]),
                "glu_w": get(p + ".glu.weight", [H, 2 * H]),
                "glu_b": get(p + ".glu.bias", [2 * H]),
            }
            lams, b_parts, c_parts = [], [], []
            for d in self.dirs:
                q = "%s.%s" % (p, d)
                nu = get(q + ".nu", [N]).double()
                theta = get(q + ".theta", [N]).double()
                gamma = torch.exp(get(q + ".gamma_log", [N]).double())
                b_re, b_im = get(q + ".B_re", [H, N]).double(), get(q + ".B_im", [H, N]).double()
                c_re, c_im = get(q + ".C_re", [N, H]).double(), get(q + ".C_im", [N, H]).double()
                # lambda = exp(-exp(nu) + i exp(theta)), in float64 then rounded to the work dtype
                lams.append(torch.exp(torch.complex(-torch.exp(nu), torch.exp(theta))))
                # input map as one real GEMM: columns interleaved (re, im) per state, gamma folded in
                b_parts.append(torch.stack([b_re * gamma, b_im * gamma], dim=-1).reshape(H, 2 * N))
                # output map Re(h @ (C_re + i C_im)) = [Re h, Im h] @ [C_re; -C_im], rows interleaved
                c_parts.append(torch.stack([c_re, -c_im], dim=1).reshape(2 * N, H))
            if self.direction == "FORWARD" and (p + ".backward.nu") in tens:
                log("warning: %s.backward.* present but direction is FORWARD; ignored" % p)
            lam = torch.cat(lams)                                    # [Dn*N] complex128
            blk["lam64"] = lam
            blk["lam"] = lam.to(self.cdtype)
            blk["B"] = torch.cat(b_parts, dim=1).to(dtype).contiguous()   # [H, 2*Dn*N]
            blk["C"] = torch.cat(c_parts, dim=0).to(dtype).contiguous()   # [2*Dn*N, H]
            blk["Kf"] = self._kernel_fft(lams).to(self.cdtype)            # [2W, Dn*N]
            self.blocks.append(blk)
        self.head_norm_w = get("head.norm.weight", [H])
        self.head_norm_b = get("head.norm.bias", [H])
        self.time_w = get("head.time.weight", [F, W])
        self.time_b = get("head.time.bias", [F]).reshape(F, 1)
        self.chan_w = get("head.channel.weight", [H, cio])
        self.chan_b = get("head.channel.bias", [cio])
        known = {"encoder.weight", "encoder.bias", "head.norm.weight", "head.norm.bias",
                 "head.time.weight", "head.time.bias", "head.channel.weight", "head.channel.bias"}
        for i in range(self.L):
            p = "blocks.%d." % i
            known |= {p + s for s in ("norm.weight", "norm.bias", "D", "glu.weight", "glu.bias")}
            for d in ("forward", "backward"):
                known |= {p + d + "." + s for s in ("nu", "theta", "gamma_log", "B_re", "B_im", "C_re", "C_im")}
        extra = sorted(set(tens) - known)
        if extra:
            log("warning: unknown tensors ignored: %s" % ", ".join(extra[:10]))

    def _kernel_fft(self, lams):
        """FFT (length 2W) of the zero-padded convolution kernels, float64 then rounded.
        forward : K[k] = lambda^k at index k (k = 0..W-1)                 -> causal convolution
        backward: K[k] = lambda^k at index (2W - k) mod 2W (k = 0..W-1)   -> anti-causal, i.e. the
                  causal convolution of the time-reversed sequence, read back reversed."""
        W = self.W
        k = torch.arange(W, dtype=torch.float64).reshape(W, 1)
        cols = []
        for d, lam in zip(self.dirs, lams):
            powers = torch.exp(k * torch.log(lam).reshape(1, -1))          # [W, N] lambda^k
            K = torch.zeros(2 * W, lam.numel(), dtype=torch.complex128)
            if d == "forward":
                K[:W] = powers
            else:
                K[0] = powers[0]
                K[W + 1:] = torch.flip(powers[1:], dims=[0])               # index 2W-k holds lambda^k
            cols.append(K)
        return torch.fft.fft(torch.cat(cols, dim=1), dim=0)

    # ---- recurrences -------------------------------------------------------------------------
    def _scan_fft(self, ur, blk):
        """ur: [S, W, 2*Dn*N] real, (re, im) interleaved per state -> h: [S, W, Dn*N] complex.
        All directions at once: one length-2W FFT of the zero-padded inputs, a pointwise product
        with the precomputed kernel spectrum, one inverse FFT, keep the first W steps."""
        S, W = ur.shape[0], self.W
        # pad explicitly: torch.fft.fft(u, n=2W) pads too, but is ~3x slower in torch 1.13 on CPU
        buf = ur.new_zeros(S, 2 * W, ur.shape[2])
        buf[:, :W] = ur
        U = torch.fft.fft(torch.view_as_complex(buf.view(S, 2 * W, -1, 2)), dim=1)
        U.mul_(blk["Kf"])
        return torch.fft.ifft(U, dim=1)[:, :W]

    def _scan_loop(self, ur, blk):
        """Plain sequential recurrence, one step at a time (reference for checking)."""
        W, N = self.W, self.N
        u = torch.view_as_complex(ur.reshape(ur.shape[0], W, -1, 2))
        lam = blk["lam"]
        outs = []
        for di, d in enumerate(self.dirs):
            ud = u[:, :, di * N:(di + 1) * N]
            ld = lam[di * N:(di + 1) * N]
            h = torch.zeros(u.shape[0], N, dtype=u.dtype)
            hs = [None] * W
            steps = range(W) if d == "forward" else range(W - 1, -1, -1)
            for t in steps:
                h = ld * h + ud[:, t]
                hs[t] = h
            outs.append(torch.stack(hs, dim=1))
        return torch.cat(outs, dim=2)

    # ---- network -----------------------------------------------------------------------------
    def forward(self, x_raw, scan="fft"):
        """x_raw: [B, W, C] original units -> [B, F, C] original units."""
        B, W, C = x_raw.shape
        if W != self.W or C != self.C:
            raise ValueError("input windows are [%d, %d], model expects [%d, %d]" % (W, C, self.W, self.C))
        H = self.H
        x = (x_raw.to(self.dtype) - self.mean) / self.std
        if self.revin:
            mu = x.mean(dim=1, keepdim=True)
            sigma = torch.sqrt(x.var(dim=1, keepdim=True, unbiased=False) + REVIN_EPS)
            x = (x - mu) / sigma
        if self.mode == "INDEPENDENT":
            seq = x.transpose(1, 2).reshape(B * C, W, 1)
        else:
            seq = x
        x = torch.addmm(self.enc_b, seq.reshape(-1, self.cio), self.enc_w).reshape(-1, W, H)
        S = x.shape[0]
        scan_fn = self._scan_fft if scan == "fft" else self._scan_loop
        for blk in self.blocks:
            z = Fn.layer_norm(x, (H,), blk["norm_w"], blk["norm_b"], LN_EPS)
            z2 = z.reshape(S * W, H)
            h = scan_fn((z2 @ blk["B"]).view(S, W, -1), blk)          # gamma * z @ (B_re + i B_im)
            hr = torch.view_as_real(h).reshape(S * W, -1)                 # [.., 2*Dn*N]
            y = torch.addcmul(hr @ blk["C"], blk["D"], z2)                # + D * z
            u2 = Fn.gelu(y)
            ag = torch.addmm(blk["glu_b"], u2, blk["glu_w"])
            out = ag[:, :H] * torch.sigmoid(ag[:, H:])
            x = x + out.reshape(S, W, H)
        xf = Fn.layer_norm(x, (H,), self.head_norm_w, self.head_norm_b, LN_EPS)
        o1 = torch.matmul(self.time_w, xf) + self.time_b                  # [S, F, H]
        o = torch.addmm(self.chan_b, o1.reshape(-1, H), self.chan_w).reshape(S, self.F, self.cio)
        if self.mode == "INDEPENDENT":
            o = o.reshape(B, C, self.F).transpose(1, 2)
        if self.revin:
            o = o * sigma + mu
        return o * self.std + self.mean


def cpu_snapshot():
    """(wall s, machine busy CPU s from /proc/stat or None, this process's CPU s)."""
    busy = None
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        busy = (sum(v[:8]) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")   # all but idle and iowait
    except (OSError, ValueError, IndexError):
        pass
    t = os.times()
    return time.perf_counter(), busy, t.user + t.system


def foreign_cores(before, after):
    """Average number of cores kept busy by other processes between two snapshots (None if unknown)."""
    if before[1] is None or after[1] is None:
        return None
    wall = after[0] - before[0]
    return max(0.0, ((after[1] - before[1]) - (after[2] - before[2])) / wall) if wall > 0 else None


def forecast_all(model, x, scan, chunk):
    outs = []
    for s in range(0, x.shape[0], chunk):
        outs.append(model.forward(x[s:s + chunk], scan=scan))
    return torch.cat(outs, dim=0)


def time_batch(model, x, b, seconds, scan, warmup=1.0):
    """Forecast b windows at a time, taken cyclically from x, for about `seconds` after a warm-up
    of at least `warmup` seconds; returns (windows/s, iterations)."""
    Bn = x.shape[0]
    reps = (Bn + b + Bn - 1) // Bn
    ext = torch.cat([x] * reps, dim=0).contiguous() if reps > 1 else x   # every batch is a slice
    state = {"start": 0}

    def step():
        s = state["start"]
        model.forward(ext[s:s + b], scan=scan)
        state["start"] = (s + b) % Bn

    t0 = time.perf_counter()
    n = 0
    while n < 3 or time.perf_counter() - t0 < warmup:
        step()
        n += 1
    n = 0
    snap0 = cpu_snapshot()
    t0 = snap0[0]
    while True:
        step()
        n += 1
        el = time.perf_counter() - t0
        if el >= seconds and n >= 3:
            break
    return n * b / el, n, el, foreign_cores(snap0, cpu_snapshot())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True)
    ap.add_argument("--inputs", required=True, help="raw float32 [B, W, C]")
    ap.add_argument("--count", type=int, required=True, help="B, the number of windows in --inputs")
    ap.add_argument("--outputs", help="write forecasts [B, F, C] raw float32 here")
    ap.add_argument("--time-batches", default="1,64", help="comma-separated batch sizes ('' = no timing)")
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--warmup", type=float, default=1.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--scan", choices=["fft", "loop"], default="fft")
    ap.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    ap.add_argument("--check-loop", type=int, default=16,
                    help="compare the fft scan against the loop scan on the first K windows (0 = off)")
    ap.add_argument("--chunk", type=int, default=64, help="batch size used for --outputs")
    ap.add_argument("--malloc-tuning", choices=["on", "off"], default="on",
                    help="glibc mallopt: keep freed memory instead of returning it to the OS (default on)")
    a = ap.parse_args()

    malloc_tuned = tune_malloc() if a.malloc_tuning == "on" else False
    blas = warn_if_reference_blas()
    torch.set_num_threads(a.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    dtype = torch.float32 if a.dtype == "float32" else torch.float64

    t0 = time.perf_counter()
    with open(a.model, "r") as f:
        doc = json.load(f)
    model = BlurTorch(doc, dtype=dtype)
    log("loaded %s (%s) in %.2f s: W=%d F=%d C=%d H=%d N=%d L=%d %s %s revin=%s; torch %s, %d threads, %s, scan=%s"
        % (a.model, doc.get("modelId"), time.perf_counter() - t0, model.W, model.F, model.C, model.H,
           model.N, model.L, model.mode, model.direction, model.revin, torch.__version__,
           torch.get_num_threads(), a.dtype, a.scan))

    flat = read_f32_file(a.inputs)
    per = model.W * model.C
    if flat.numel() < a.count * per:
        raise SystemExit("%s holds %d floats, --count %d needs %d" % (a.inputs, flat.numel(), a.count, a.count * per))
    if flat.numel() > a.count * per:
        log("warning: %s holds %d floats, only the first %d are used" % (a.inputs, flat.numel(), a.count * per))
    x = flat[:a.count * per].reshape(a.count, model.W, model.C).to(dtype)

    result = {"torchVersion": torch.__version__, "threads": torch.get_num_threads(),
              "window": model.W, "horizon": model.F, "channels": model.C, "hidden": model.H,
              "state": model.N, "layers": model.L, "channelMode": model.mode,
              "direction": model.direction, "scan": a.scan, "dtype": a.dtype, "count": a.count,
              "mallocTuned": malloc_tuned, "blas": blas}

    with torch.inference_mode():
        if a.outputs:
            t1 = time.perf_counter()
            y = forecast_all(model, x, a.scan, a.chunk)
            write_f32_file(a.outputs, y)
            log("wrote %s [%d, %d, %d] in %.2f s" % (a.outputs, a.count, model.F, model.C, time.perf_counter() - t1))
            if not torch.isfinite(y).all():
                log("warning: non-finite forecasts")
        if a.check_loop > 0:
            k = min(a.check_loop, a.count)
            yf = forecast_all(model, x[:k], "fft", a.chunk)
            yl = forecast_all(model, x[:k], "loop", a.chunk)
            diff = (yf - yl).abs().max().item()
            rel = diff / max(yl.abs().max().item(), 1e-30)
            result["maxAbsDiffFftVsLoop"] = diff
            result["maxRelDiffFftVsLoop"] = rel
            result["checkedWindows"] = k
            log("fft vs loop on %d windows: max |diff| = %.3e, relative to max |y| = %.3e" % (k, diff, rel))
        wps, foreign = {}, {}
        batches = [int(s) for s in a.time_batches.split(",") if s.strip()]
        for b in batches:
            r, n, el, fc = time_batch(model, x, b, a.seconds, a.scan, a.warmup)
            wps[str(b)] = r
            foreign[str(b)] = None if fc is None else round(fc, 3)
            log("batch %4d: %10.1f windows/s  (%.3f ms per batch, %d batches in %.2f s; other processes used %s cores)"
                % (b, r, 1000.0 * el / n, n, el, "?" if fc is None else "%.2f" % fc))
            if fc is not None and fc > 0.2:
                log("warning: the machine was not idle during this measurement; the number is unreliable")
        result["windowsPerSec"] = wps
        result["foreignCpuCores"] = foreign
    print(json.dumps(result))


if __name__ == "__main__":
    main()
