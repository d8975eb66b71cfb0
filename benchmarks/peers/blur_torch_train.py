#!/usr/bin/python3
"""Eager-PyTorch training peer of the Blurstream BLUR trainer, for timing training steps.

Trains the network that `blurstream train` trains by default, on the same data, and reports
seconds per epoch: ETTh1, lookback 96, horizon 96, all 7 channels, channel-independent with RevIN,
H = N = 64, L = 2, dropout 0.1, batches of 32 windows (224 sequences), AdamW (the recurrent
parameters at half the rate and without decay), global gradient-norm clipping at 1.0, and a cosine
learning-rate schedule. It is written from the network spec and shares no code with the Java
engine. It is only for timing `blurstream bench train --peer torch`; on the side, it shows that the
loss goes down and can check itself against the inference peer (--check-peer) and its scan against
the step-by-step loop (--check-loop).

The recurrences are linear and time-invariant, so each LRU is a convolution over time with the
kernel lambda^k, built from the parameters every step. --scan chooses how that is computed:
  conv  the whole block (B, both recurrences, C) as one real H x H kernel per lag, applied by real
        FFTs of length 2W and a per-frequency product (the fastest, default)
  fft   through the complex states, a complex FFT of length 2W per state, as blur_torch.py does
  loop  step by step, a Python loop over the W steps

  /usr/bin/python3 blur_torch_train.py [--data data/ETTh1.csv.xz] [--threads 2] [--epochs 1]
      [--max-steps N] [--warmup-steps 5] [--scan conv|fft|loop] [--seed 1]
      [--check-peer 0] [--check-loop 0] [--malloc-tuning on|off]

Progress goes to stderr. The last line on stdout is one JSON object (see README.md).

Dependencies: Python 3.11 standard library + torch (Debian: apt-get install --no-install-recommends
python3-torch libopenblas0-openmp).
"""
import argparse
import array
import base64
import csv
import json
import lzma
import math
import os
import sys
import time

import torch
import torch.nn.functional as Fn

from blur_torch import (LN_EPS, REVIN_EPS, BlurTorch, cpu_snapshot, foreign_cores, log, tune_malloc,
                        warn_if_reference_blas)

TRAIN_ROWS = 12 * 30 * 24  # ETTh1's training split: the first 12 months of hourly rows
RECURRENT = ("nu", "theta", "gamma_log", "B_re", "B_im")


# ---- data -------------------------------------------------------------------------------------
def read_csv(path, rows):
    """The first `rows` data rows of a date-first CSV (optionally .xz) -> (channel names, [rows, C])."""
    opener = lzma.open if path.endswith(".xz") else open
    with opener(path, "rt", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        values = []
        for record in reader:
            if len(values) == rows:
                break
            values.append([float(v) for v in record[1:]])
    if len(values) < rows:
        raise SystemExit("%s has %d data rows, the training split needs %d" % (path, len(values), rows))
    return header[1:], torch.tensor(values, dtype=torch.float64)


def training_windows(series, window, horizon):
    """Standardises the training rows with their own mean and population std, then cuts stride-1
    windows: [windows, C, window + horizon] float32, inputs first, then targets."""
    mean = series.mean(dim=0)
    std = series.std(dim=0, unbiased=False)
    std[std == 0] = 1
    standardised = ((series - mean) / std).to(torch.float32)
    return standardised.t().unfold(1, window + horizon, 1).permute(1, 0, 2).contiguous()


# ---- the network ------------------------------------------------------------------------------
class PaddedRfft(torch.autograd.Function):
    """rfft along dim 0 of x [W, ...] zero-padded to length 2W. torch 1.13's own backward of an
    rfft zero-fills the missing half of the spectrum and runs a full-length complex FFT; for a
    real signal the same gradient is one inverse real FFT (interior bins halved, times 2W)."""

    @staticmethod
    def forward(ctx, x):
        ctx.length = x.shape[0]
        return torch.fft.rfft(Fn.pad(x, (0, 0) * (x.dim() - 1) + (0, x.shape[0])), dim=0)

    @staticmethod
    def backward(ctx, grad):
        w = ctx.length
        scale = torch.full((w + 1,) + (1,) * (grad.dim() - 1), 0.5, dtype=grad.real.dtype)
        scale[0] = scale[w] = 1
        return torch.fft.irfft(grad * scale, n=2 * w, dim=0)[:w] * (2 * w)


class BlurTrainNet(torch.nn.Module):
    """BLUR, channel-independent (one input and one output channel per sequence), bidirectional.

    Parameters are named as in the model file (encoder.weight, blocks.0.forward.nu, ...) and
    stored "in x out", so a linear map is x @ W + b. forward() takes RevIN-normalised sequences
    [S, W] and returns [S, F] in the same units."""

    def __init__(self, window, horizon, hidden, state, layers, dropout, seed,
                 r_min=0.0, r_max=0.999, max_phase=2 * math.pi):
        super().__init__()
        self.W, self.F, self.H, self.N, self.L = window, horizon, hidden, state, layers
        self.dropout = dropout
        self.dirs = ("forward", "backward")
        self.names = []
        gen = torch.Generator().manual_seed(seed)
        W, F, H, N = window, horizon, hidden, state

        def uniform(shape, fan_in):
            return (torch.rand(shape, generator=gen, dtype=torch.float64) * 2 - 1) / math.sqrt(fan_in)

        def gaussian(shape, std):
            return torch.randn(shape, generator=gen, dtype=torch.float64) * std

        self._add("encoder.weight", uniform((1, H), 1))
        self._add("encoder.bias", uniform((H,), 1))
        for i in range(layers):
            p = "blocks.%d" % i
            self._add(p + ".norm.weight", torch.ones(H))
            self._add(p + ".norm.bias", torch.zeros(H))
            for d in self.dirs:
                q = "%s.%s" % (p, d)
                # ring initialisation: |lambda|^2 uniform in [r_min^2, r_max^2], phase in (0, max_phase]
                u1 = torch.rand(N, generator=gen, dtype=torch.float64)
                magnitude = torch.sqrt(u1 * (r_max ** 2 - r_min ** 2) + r_min ** 2).clamp_min(1e-6)
                phase = max_phase * torch.rand(N, generator=gen, dtype=torch.float64).clamp_min(1e-9)
                nu = torch.log(-torch.log(magnitude))
                self._add(q + ".nu", nu)
                self._add(q + ".theta", torch.log(phase))
                self._add(q + ".gamma_log", 0.5 * torch.log(1 - torch.exp(-2 * torch.exp(nu))))
                self._add(q + ".B_re", gaussian((H, N), 1 / math.sqrt(2 * H)))
                self._add(q + ".B_im", gaussian((H, N), 1 / math.sqrt(2 * H)))
                self._add(q + ".C_re", gaussian((N, H), 1 / math.sqrt(N)))
                self._add(q + ".C_im", gaussian((N, H), 1 / math.sqrt(N)))
            self._add(p + ".D", gaussian((H,), 1.0))
            self._add(p + ".glu.weight", uniform((H, 2 * H), H))
            self._add(p + ".glu.bias", uniform((2 * H,), H))
        self._add("head.norm.weight", torch.ones(H))
        self._add("head.norm.bias", torch.zeros(H))
        self._add("head.time.weight", uniform((F, W), W))
        self._add("head.time.bias", uniform((F,), W))
        self._add("head.channel.weight", uniform((H, 1), H))
        self._add("head.channel.bias", uniform((1,), H))
        self.register_buffer("steps", torch.arange(W, dtype=torch.float32).reshape(W, 1))

    def _add(self, name, value):
        self.register_parameter(name.replace(".", "__"), torch.nn.Parameter(value.to(torch.float32)))
        self.names.append(name)

    def p(self, name):
        return getattr(self, name.replace(".", "__"))

    def named(self):
        return [(n, self.p(n)) for n in self.names]

    # ---- the recurrence -----------------------------------------------------------------------
    def _maps(self, block):
        """Both directions' input map [H, 4N] (gamma folded in, (re, im) columns interleaved per
        state) and output map [4N, H] (rows [C_re; -C_im] interleaved), so that
        Re(h @ (C_re + i C_im)) = view_as_real(h) @ C."""
        ins, outs = [], []
        for d in self.dirs:
            q = "%s.%s" % (block, d)
            gamma = torch.exp(self.p(q + ".gamma_log"))
            ins.append(torch.stack([self.p(q + ".B_re") * gamma, self.p(q + ".B_im") * gamma], dim=-1)
                       .reshape(self.H, 2 * self.N))
            outs.append(torch.stack([self.p(q + ".C_re"), -self.p(q + ".C_im")], dim=1)
                        .reshape(2 * self.N, self.H))
        return torch.cat(ins, dim=1), torch.cat(outs, dim=0)

    def _powers(self, block, d):
        """lambda^k for k = 0..W-1, [W, N] complex64, from lambda = exp(-exp(nu) + i exp(theta))."""
        q = "%s.%s" % (block, d)
        log_abs = -torch.exp(self.p(q + ".nu"))
        angle = torch.exp(self.p(q + ".theta"))
        magnitude = torch.exp(self.steps * log_abs)
        turned = self.steps * angle
        return torch.complex(magnitude * torch.cos(turned), magnitude * torch.sin(turned))

    def _lambda(self, block):
        parts = []
        for d in self.dirs:
            q = "%s.%s" % (block, d)
            r = torch.exp(-torch.exp(self.p(q + ".nu")))
            a = torch.exp(self.p(q + ".theta"))
            parts.append(torch.complex(r * torch.cos(a), r * torch.sin(a)))
        return torch.cat(parts)

    def _scan_fft(self, block, u):
        """u: [S, W, 2N] complex (forward states, then backward) -> h: [S, W, 2N] complex.
        The recurrence is a convolution with the kernel lambda^k: one length-2W FFT of the
        zero-padded inputs, a product with the kernel's spectrum, one inverse FFT. The backward
        direction uses the anti-causal kernel (lambda^k at index (2W - k) mod 2W), so both
        directions share the FFT pair and nothing is flipped. The FFTs run along the last,
        contiguous axis: along the strided time axis they are about 6x slower in torch 1.13."""
        W, N = self.W, self.N
        forward = self._powers(block, "forward").t()                          # [N, W]
        backward = self._powers(block, "backward").t()
        gap = forward.new_zeros(N, W)
        kernel = torch.cat([torch.cat([forward, gap], dim=1),
                            torch.cat([backward[:, :1], gap, torch.flip(backward[:, 1:], dims=[1])], dim=1)])
        # [S, W, 2N] -> [S, 2N, 2W]: time last, zero-padded (the pad makes it contiguous)
        padded = Fn.pad(torch.view_as_real(u).permute(0, 2, 1, 3), (0, 0, 0, W))
        spectra = torch.fft.fft(torch.view_as_complex(padded), dim=-1) * torch.fft.fft(kernel, dim=-1)
        return torch.fft.ifft(spectra, dim=-1)[:, :, :W].transpose(1, 2)

    def _scan_loop(self, block, u):
        """The same recurrence one step at a time; the backward half runs on time-reversed inputs."""
        N = self.N
        lam = self._lambda(block)
        seq = torch.cat([u[:, :, :N], torch.flip(u[:, :, N:], dims=[1])], dim=2)
        h = torch.zeros_like(seq[:, 0])
        states = []
        for t in range(self.W):
            h = lam * h + seq[:, t]
            states.append(h)
        out = torch.stack(states, dim=1)
        return torch.cat([out[:, :, :N], torch.flip(out[:, :, N:], dims=[1])], dim=2)

    def _lru_conv(self, block, z):
        """Both LRUs of a block as one real convolution over time with an H x H kernel per lag:
        y[t] = sum_k G_fwd[k] z[t-k] + G_bwd[k] z[t+k], G[k] = Re(gamma B diag(lambda^k) C). The
        kernel is built from the parameters every step. The convolution runs in the frequency
        domain: real FFTs of length 2W along time (the first axis, so that every frequency is a
        contiguous [S, H] matrix), per frequency one [S, H] x [H, H] complex product, done as a
        real batched product on (re, im) interleaved columns. z: [S*W, H] -> y: [S*W, H]."""
        W, H = self.W, self.H
        S = z.shape[0] // W
        lags = []
        for d in self.dirs:
            q = "%s.%s" % (block, d)
            gamma = torch.exp(self.p(q + ".gamma_log"))
            powers = self._powers(block, d)                                    # [W, N]
            b_re, b_im = self.p(q + ".B_re") * gamma, self.p(q + ".B_im") * gamma
            p_re, p_im = powers.real.unsqueeze(1), powers.imag.unsqueeze(1)    # [W, 1, N]
            m = torch.cat([b_re * p_re - b_im * p_im, b_re * p_im + b_im * p_re], dim=2)  # [W, H, 2N]
            lags.append(m @ torch.cat([self.p(q + ".C_re"), -self.p(q + ".C_im")]))      # [W, H, H]
        fwd, bwd = lags
        kernel = torch.cat([fwd[:1] + bwd[:1], fwd[1:], fwd.new_zeros(1, H, H), torch.flip(bwd[1:], dims=[0])])
        g = torch.view_as_real(torch.fft.rfft(kernel, dim=0))                  # [W+1, H, H, 2]
        g_re, g_im = g[..., 0], g[..., 1]
        # input rows 2h, 2h+1 = Re, Im of z_h; output columns 2j, 2j+1 = Re, Im of y_j
        rows_re = torch.stack([g_re, g_im], dim=-1).reshape(W + 1, H, 2 * H)
        rows_im = torch.stack([-g_im, g_re], dim=-1).reshape(W + 1, H, 2 * H)
        mix = torch.stack([rows_re, rows_im], dim=2).reshape(W + 1, 2 * H, 2 * H)
        spectra = PaddedRfft.apply(z.view(S, W, H).transpose(0, 1))          # [W+1, S, H]
        out = torch.bmm(torch.view_as_real(spectra).reshape(W + 1, S, 2 * H), mix)
        y = torch.fft.irfft(torch.view_as_complex(out.view(W + 1, S, H, 2)), n=2 * W, dim=0)[:W]
        return y.transpose(0, 1).reshape(S * W, H)

    def _lru_states(self, block, z, scan_fn):
        """Both LRUs of a block through their complex states: z: [S*W, H] -> Re(C h): [S*W, H]."""
        W, N = self.W, self.N
        S = z.shape[0] // W
        into, out_of = self._maps(block)
        u = torch.view_as_complex((z @ into).view(S, W, 2 * N, 2))
        return torch.view_as_real(scan_fn(block, u)).reshape(S * W, 4 * N) @ out_of

    # ---- the network --------------------------------------------------------------------------
    def forward(self, x, scan="fft"):
        S, W, H = x.shape[0], self.W, self.H
        p = self.p
        h = torch.addmm(p("encoder.bias"), x.reshape(S * W, 1), p("encoder.weight"))  # [S*W, H]
        for i in range(self.L):
            b = "blocks.%d" % i
            z = Fn.layer_norm(h, (H,), p(b + ".norm.weight"), p(b + ".norm.bias"), LN_EPS)
            if scan == "conv":
                mixed = self._lru_conv(b, z)
            else:
                mixed = self._lru_states(b, z, self._scan_fft if scan == "fft" else self._scan_loop)
            y = torch.addcmul(mixed, p(b + ".D"), z)
            gated = Fn.glu(torch.addmm(p(b + ".glu.bias"), Fn.gelu(y), p(b + ".glu.weight")), dim=-1)
            h = h + Fn.dropout(gated, self.dropout, self.training)
        hn = Fn.layer_norm(h, (H,), p("head.norm.weight"), p("head.norm.bias"), LN_EPS)
        # the channel map H -> 1 first, then the time map W -> F: the same linear maps in the
        # cheaper order, with the time bias carried through the channel map
        wc = p("head.channel.weight")
        projected = (hn @ wc).view(S, W)
        bias = p("head.time.bias") * wc.sum() + p("head.channel.bias")
        return torch.addmm(bias, projected, p("head.time.weight").t())


def revin(inputs):
    mu = inputs.mean(dim=1, keepdim=True)
    sigma = torch.sqrt(inputs.var(dim=1, unbiased=False, keepdim=True) + REVIN_EPS)
    return (inputs - mu) / sigma, mu, sigma


def batch_loss(model, windows, indices, scan):
    """MSE in standardised units of one batch of windows [b, C, W + F]."""
    seqs = windows[indices].reshape(-1, windows.shape[2])
    x, mu, sigma = revin(seqs[:, :model.W])
    return Fn.mse_loss(model(x, scan) * sigma + mu, seqs[:, model.W:])


def optimizer(model, lr, recurrent_scale, weight_decay):
    """AdamW with three groups: recurrent (scaled rate, no decay), dense matrices (decay), dense
    vectors (no decay)."""
    groups = {"recurrent": [], "matrices": [], "vectors": []}
    for name, param in model.named():
        if name.rsplit(".", 1)[1] in RECURRENT:
            groups["recurrent"].append(param)
        elif param.dim() >= 2:
            groups["matrices"].append(param)
        else:
            groups["vectors"].append(param)
    opt = torch.optim.AdamW([
        {"params": groups["recurrent"], "weight_decay": 0.0, "scale": recurrent_scale},
        {"params": groups["matrices"], "weight_decay": weight_decay, "scale": 1.0},
        {"params": groups["vectors"], "weight_decay": 0.0, "scale": 1.0},
    ], lr=lr)
    return opt


def cosine_rate(peak, warmup_steps, total_steps, step):
    """Linear warm-up, then half a cosine from the peak down to 1% of it at the last step."""
    if step < warmup_steps:
        return peak * (step + 1) / warmup_steps
    floor = 0.01 * peak
    progress = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))
    return floor + (peak - floor) * 0.5 * (1 + math.cos(math.pi * progress))


# ---- self-checks ------------------------------------------------------------------------------
def check_peer(model, windows, count, scan):
    """Largest |difference| between this network (dropout off) and the inference peer
    blur_torch.py loaded with the same weights, over `count` windows, relative to max |forecast|."""
    def encode(t):
        a = array.array("f", t.detach().reshape(-1).tolist())
        if sys.byteorder != "little":
            a.byteswap()
        return base64.b64encode(a.tobytes()).decode("ascii")

    C = windows.shape[1]
    doc = {"format": "blurstream-model", "formatVersion": 1,
           "config": {"window": model.W, "horizon": model.F, "channels": ["c%d" % c for c in range(C)],
                      "hidden": model.H, "state": model.N, "layers": model.L,
                      "channelMode": "INDEPENDENT", "revin": True, "direction": "BIDIRECTIONAL"},
           "scaler": {"mean": [0.0] * C, "std": [1.0] * C},
           "tensors": {n: {"shape": list(t.shape), "data": encode(t)} for n, t in model.named()}}
    peer = BlurTorch(doc)
    sample = windows[:count]
    with torch.no_grad():
        model.eval()
        seqs = sample.reshape(-1, sample.shape[2])
        x, mu, sigma = revin(seqs[:, :model.W])
        ours = (model(x, scan) * sigma + mu).reshape(count, C, model.F).transpose(1, 2)
        model.train()
        theirs = peer.forward(sample[:, :, :model.W].transpose(1, 2).contiguous())
    return ((ours - theirs).abs().max() / theirs.abs().max()).item()


def check_loop(model, windows, count, scan):
    """Largest relative difference of the loss gradient (dropout off) between `scan` and the loop
    scan: max over tensors of max |g_scan - g_loop| / max |g_loop|."""
    grads = {}
    model.eval()
    for kind in (scan, "loop"):
        model.zero_grad(set_to_none=True)
        batch_loss(model, windows, torch.arange(count), kind).backward()
        grads[kind] = {n: p.grad.clone() for n, p in model.named()}
    model.train()
    model.zero_grad(set_to_none=True)
    worst = 0.0
    for n, g in grads["loop"].items():
        worst = max(worst, ((grads[scan][n] - g).abs().max() / g.abs().max().clamp_min(1e-30)).item())
    return worst


# ---- training ---------------------------------------------------------------------------------
def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join(here, "..", "..", "data", "ETTh1.csv.xz"),
                    help="ETTh1 as CSV or CSV.xz (default: the repository's data/ETTh1.csv.xz)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--max-steps", type=int, default=0,
                    help="time only this many steps after the warm-up, then extrapolate (0 = all)")
    ap.add_argument("--warmup-steps", type=int, default=5, help="untimed steps at the start")
    ap.add_argument("--scan", choices=["conv", "fft", "loop"], default="conv",
                    help="conv: H x H kernel per lag (fastest, default); fft: complex states as in blur_torch.py;"
                         " loop: step by step")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--check-peer", type=int, default=0, metavar="K",
                    help="before training, compare against blur_torch.py on K windows (0 = off)")
    ap.add_argument("--check-loop", type=int, default=0, metavar="K",
                    help="before training, compare FFT and loop scan gradients on K windows (0 = off)")
    ap.add_argument("--malloc-tuning", choices=["on", "off"], default="on",
                    help="glibc mallopt: keep freed memory instead of returning it to the OS (default on)")
    a = ap.parse_args()
    if a.threads < 1 or a.epochs < 1 or a.max_steps < 0 or a.warmup_steps < 0:
        raise SystemExit("--threads and --epochs must be >= 1, --max-steps and --warmup-steps >= 0")

    window, horizon, batch = 96, 96, 32
    malloc_tuned = tune_malloc() if a.malloc_tuning == "on" else False
    blas = warn_if_reference_blas()
    torch.set_num_threads(a.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.manual_seed(a.seed)  # dropout masks

    t0 = time.perf_counter()
    channels, series = read_csv(a.data, TRAIN_ROWS)
    windows = training_windows(series, window, horizon)
    count = windows.shape[0]
    model = BlurTrainNet(window, horizon, 64, 64, 2, 0.1, a.seed)
    log("loaded %s in %.2f s: %d training windows x %d channels; torch %s, %d threads, scan=%s"
        % (a.data, time.perf_counter() - t0, count, len(channels), torch.__version__,
           torch.get_num_threads(), a.scan))

    result = {"torch": torch.__version__, "threads": torch.get_num_threads(), "scan": a.scan,
              "mallocTuned": malloc_tuned, "blas": blas, "windows": count, "channels": len(channels), "batch": batch}
    if a.check_peer > 0:
        result["maxRelDiffVsInferencePeer"] = check_peer(model, windows, a.check_peer, a.scan)
        log("against blur_torch.py on %d windows: max relative difference %.2e"
            % (a.check_peer, result["maxRelDiffVsInferencePeer"]))
    if a.check_loop > 0:
        result["maxRelGradDiffVsLoop"] = check_loop(model, windows, a.check_loop, a.scan)
        log("%s vs loop scan gradients on %d windows: max relative difference %.2e"
            % (a.scan, a.check_loop, result["maxRelGradDiffVsLoop"]))

    opt = optimizer(model, 1e-3, 0.5, 0.01)
    params = [p for _, p in model.named()]
    steps_per_epoch = (count + batch - 1) // batch
    total = a.epochs * steps_per_epoch
    planned = total if a.max_steps == 0 else min(total, a.warmup_steps + a.max_steps)
    if planned <= a.warmup_steps:
        raise SystemExit("nothing left to time: %d steps planned, %d of them warm-up"
                         % (planned, a.warmup_steps))
    warmup_schedule = min(1, a.epochs - 1) * steps_per_epoch
    gen = torch.Generator().manual_seed(a.seed)
    losses = []
    step = 0
    started = time.perf_counter()
    snap0 = None
    last_log = started
    epoch_wall = None
    while step < planned:
        order = torch.randperm(count, generator=gen)
        for s in range(steps_per_epoch):
            if step == planned:
                break
            if step == a.warmup_steps:
                snap0 = cpu_snapshot()
            loss = batch_loss(model, windows, order[s * batch:(s + 1) * batch], a.scan)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            rate = cosine_rate(1e-3, warmup_schedule, total, step)
            for group in opt.param_groups:
                group["lr"] = rate * group["scale"]
            opt.step()
            losses.append(loss.item())
            step += 1
            if step == steps_per_epoch:
                epoch_wall = time.perf_counter() - started
            now = time.perf_counter()
            if now - last_log >= 10 or step == planned:
                last_log = now
                log("step %d/%d  loss %.4f (mean of the last %d)  %.1f ms/step so far"
                    % (step, planned, sum(losses[-20:]) / len(losses[-20:]), len(losses[-20:]),
                       1000 * (now - started) / step))
    snap1 = cpu_snapshot()
    timed = planned - a.warmup_steps
    ms_per_step = 1000 * (snap1[0] - snap0[0]) / timed
    foreign = foreign_cores(snap0, snap1)
    tail = min(20, len(losses))
    result.update({
        "stepsPerEpoch": steps_per_epoch, "warmupSteps": a.warmup_steps, "stepsTimed": timed,
        "msPerStep": ms_per_step, "secondsPerEpoch": ms_per_step * steps_per_epoch / 1000,
        "extrapolated": planned < steps_per_epoch, "epochWallSeconds": epoch_wall,
        "firstLoss": sum(losses[:tail]) / tail, "finalLoss": sum(losses[-tail:]) / tail, "lossSteps": tail,
        "foreignCpuCores": None if foreign is None else round(foreign, 3)})
    log("%.1f ms/step over %d steps after %d warm-up steps -> %.1f s per epoch of %d steps%s;"
        " loss %.4f -> %.4f (means of the first and last %d steps); other processes used %s cores"
        % (ms_per_step, timed, a.warmup_steps, result["secondsPerEpoch"], steps_per_epoch,
           " (extrapolated)" if result["extrapolated"] else "", result["firstLoss"],
           result["finalLoss"], tail, "?" if foreign is None else "%.2f" % foreign))
    if foreign is not None and foreign > 0.2:
        log("warning: the machine was not idle during this measurement")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
