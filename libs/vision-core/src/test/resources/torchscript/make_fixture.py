#!/usr/bin/python3
"""Builds the TorchScript test fixture of vision-core: tiny-detect.torchscript and expected.json.

Run by hand (not part of the build), with Debian's PyTorch, from this directory:

    apt-get install -y python3-torch          # torch 1.13, numpy, PIL
    cd libs/vision-core/src/test/resources/torchscript
    /usr/bin/python3 make_fixture.py          # rewrites tiny-detect.torchscript and expected.json

Use /usr/bin/python3, not a pyenv python on PATH: only Debian's python has the torch package.

The model is NOT a real detector. It is a small, seeded torch.nn.Module whose output has the layout of an
Ultralytics detection export, so the Java side can run it through the same letterbox / decode / NMS / scaling code as
ONNX models:

  * input  [1, 3, 192, 192] float32 RGB in 0..1 (the letterboxed image / 255), traced at that fixed size;
  * three strided convolutions (stride 4, 4, 2 -> total stride 32) down to a 6x6 grid of 16 features, plus two
    hand-made colour features per cell (mean of relu(R - G) and relu(B - G) over the 32x32 cell), so that the
    coloured shapes on the olive background of the fixture images raise the class scores;
  * a 1x1 convolution head producing, per cell, 4 box values and 4 class logits;
  * output [1, 8, 36] ([1, 4 + nc, anchors], anchors in row-major grid order): rows 0-3 cx, cy, w, h in input pixels
    (cell centre + tanh-scaled offset of at most half a cell; size 96 px * sigmoid), rows 4-7 sigmoid class scores
    for circle, square, triangle, cross.

The archive carries Ultralytics' metadata as JSON in the extra file config.txt, the way Ultralytics' TorchScript
exporter writes it (json.dumps of the metadata dict, so the names dict gets string keys "0", "1", ...).

expected.json records, for the deterministic input x[0][c][y][x] = ((c * 7 + y * 13 + x * 17) % 255) / 255 (float32
division), the full raw output (6 decimals, row-major) and its shape, plus a summary of the class scores on the fixture
image predict_02_192x192.jpg (decoded here with PIL, so only indicative for the Java decoder).
"""
import datetime
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL_FILE = os.path.join(HERE, "tiny-detect.torchscript")
EXPECTED_FILE = os.path.join(HERE, "expected.json")
# <repo>/../shared/fixtures/ultralytics, or $PLATFORM_FIXTURES_DIR, as the Java tests find it
FIXTURES_DIR = os.environ.get("PLATFORM_FIXTURES_DIR") or os.path.normpath(
    os.path.join(HERE, "../../../../../../../shared/fixtures/ultralytics"))
FIXTURE_IMAGE = os.path.join(FIXTURES_DIR, "images", "predict_02_192x192.jpg")

SEED = 20240611
IMGSZ = (192, 192)  # (h, w)
STRIDE = 32
NAMES = ["circle", "square", "triangle", "cross"]
NC = len(NAMES)
FEATURES = 16

# Hand-set head weights on the two colour features (relu(R-G), relu(B-G)) per class, and the class biases. Tuned so
# that on predict_02 (olive background, a purple circle, a magenta cross and a dark red cross) a handful of cells score
# above 0.25 and the background cells stay well below.
COLOUR_WEIGHTS = [
    [-8.0, 14.0],  # circle: blue over green, not red
    [9.0, 2.0],  # square: red over green
    [6.0, 6.0],  # triangle
    [16.0, 4.0],  # cross: red over green
]
CLASS_BIAS = [-3.2, -3.4, -3.6, -3.0]


class TinyDetect(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, kernel_size=4, stride=4)
        self.conv2 = nn.Conv2d(8, FEATURES, kernel_size=4, stride=4)
        self.conv3 = nn.Conv2d(FEATURES, FEATURES, kernel_size=2, stride=2)
        self.head = nn.Conv2d(FEATURES + 2, 4 + NC, kernel_size=1)
        gh, gw = IMGSZ[0] // STRIDE, IMGSZ[1] // STRIDE
        ys, xs = torch.meshgrid(torch.arange(gh, dtype=torch.float32), torch.arange(gw, dtype=torch.float32),
                                indexing="ij")
        # cell centres in input pixels, [2, gh * gw], row-major like Ultralytics' anchors
        self.register_buffer("centres", torch.stack([(xs + 0.5) * STRIDE, (ys + 0.5) * STRIDE]).reshape(2, -1))

    def forward(self, x):
        f = F.silu(self.conv1(x))
        f = F.silu(self.conv2(f))
        f = F.silu(self.conv3(f))
        r, g, b = x[:, 0:1], x[:, 1:2], x[:, 2:3]
        colour = torch.cat([F.relu(r - g), F.relu(b - g)], 1)
        colour = F.avg_pool2d(colour, STRIDE)
        y = self.head(torch.cat([f, colour], 1)).flatten(2)  # [1, 4 + nc, cells]
        xy = self.centres + torch.tanh(y[:, 0:2]) * (STRIDE / 2)
        wh = torch.sigmoid(y[:, 2:4]) * (3 * STRIDE)
        scores = torch.sigmoid(y[:, 4:])
        return torch.cat([xy, wh, scores], 1)


def build():
    torch.manual_seed(SEED)
    model = TinyDetect()
    with torch.no_grad():
        for conv in (model.conv1, model.conv2, model.conv3):
            nn.init.normal_(conv.weight, 0.0, (2.0 / (conv.in_channels * conv.kernel_size[0] ** 2)) ** 0.5)
            nn.init.normal_(conv.bias, 0.0, 0.1)
        nn.init.normal_(model.head.weight, 0.0, 0.15)
        nn.init.normal_(model.head.bias, 0.0, 0.2)
        model.head.weight[4:, FEATURES:, 0, 0] = torch.tensor(COLOUR_WEIGHTS)
        model.head.bias[4:] = torch.tensor(CLASS_BIAS)
    return model.eval()


def formula_input():
    c = torch.arange(3).view(3, 1, 1)
    y = torch.arange(IMGSZ[0]).view(1, -1, 1)
    x = torch.arange(IMGSZ[1]).view(1, 1, -1)
    ints = (c * 7 + y * 13 + x * 17) % 255
    return (ints.to(torch.float32) / 255.0).unsqueeze(0)


def image_input(path):
    from PIL import Image
    im = np.asarray(Image.open(path).convert("RGB"))
    assert im.shape[:2] == IMGSZ, im.shape  # 192x192 is exactly imgsz: the letterbox leaves it as is
    return torch.from_numpy(im.copy()).permute(2, 0, 1).unsqueeze(0).to(torch.float32) / 255.0


def metadata():
    # The keys and types Ultralytics' exporter writes (its self.metadata), with values saying what this file is.
    return {
        "description": "Tiny synthetic detection model, a vision-core test fixture (not an Ultralytics model)",
        "author": "vision-platform make_fixture.py",
        "date": datetime.datetime(2025, 1, 1).isoformat(),
        "version": "fixture-1",
        "license": "AGPL-3.0 License (https://ultralytics.com/license)",
        "docs": "https://docs.ultralytics.com",
        "stride": STRIDE,
        "task": "detect",
        "batch": 1,
        "imgsz": list(IMGSZ),
        "names": {i: n for i, n in enumerate(NAMES)},
        "args": {"batch": 1, "half": False, "int8": False, "dynamic": False, "nms": False, "optimize": False},
        "channels": 3,
        "end2end": False,
    }


def main():
    model = build()
    example = torch.zeros(1, 3, *IMGSZ)
    with torch.no_grad():
        traced = torch.jit.trace(model, example, strict=False)
    torch.jit.save(traced, MODEL_FILE, _extra_files={"config.txt": json.dumps(metadata())})

    loaded = torch.jit.load(MODEL_FILE, _extra_files={"config.txt": ""})
    with torch.no_grad():
        out = loaded(formula_input())
        direct = model(formula_input())
    assert torch.equal(out, direct) or torch.allclose(out, direct, atol=1e-6)
    summary = {}
    if os.path.exists(FIXTURE_IMAGE):
        with torch.no_grad():
            scores = loaded(image_input(FIXTURE_IMAGE))[0, 4:]
        best, cls = scores.max(0)
        summary = {
            "image": os.path.basename(FIXTURE_IMAGE),
            "class_scores_over_0.25": int((scores > 0.25).sum()),
            "anchors_over_0.25": int((best > 0.25).sum()),
            "max_score": round(float(scores.max()), 6),
            "max_background_score": round(float(torch.sort(best, descending=True).values[8]), 6),
        }
        print("fixture image:", summary)
        for i in torch.nonzero(best > 0.25).flatten().tolist():
            print("  anchor", i, "class", NAMES[int(cls[i])], "score %.3f" % float(best[i]))

    flat = out.flatten().tolist()
    expected = {
        "generator": "make_fixture.py, torch " + torch.__version__,
        "input": {
            "shape": [1, 3, IMGSZ[0], IMGSZ[1]],
            "formula": "x[0][c][y][x] = ((c * 7 + y * 13 + x * 17) % 255) / 255, float32",
        },
        "shape": list(out.shape),
        "output": [float("%.6f" % v) for v in flat],
        "fixture_image": summary,
    }
    with open(EXPECTED_FILE, "w") as fh:
        json.dump(expected, fh, indent=1)
        fh.write("\n")
    print("wrote", MODEL_FILE, os.path.getsize(MODEL_FILE), "bytes;", EXPECTED_FILE, "output", list(out.shape))


if __name__ == "__main__":
    main()
