"""The charts' palette checked (README, "Colour contrast"): each colour's
WCAG 2.1 contrast on white, and how far apart the first k colours stay, for
k = 2..8 (a chart of k rounds or scales), under simulated protanopia,
deuteranopia and tritanopia (Machado, Oliveira & Fernandes 2009, severity
1, on linear sRGB): the smallest CIELAB distance (ΔE 1976) between two of
them. Standard library only:

    python3 benches/palette/cvd.py

The colours are copied from src/render/charts/mod.rs (PALETTE, EDGE) and
the order before the 2026-12-07 change for comparison."""
import itertools
import math

NOW = {"blue": (0, 114, 178), "bluish green": (0, 158, 115),
       "reddish purple": (204, 121, 167), "vermillion": (213, 94, 0),
       "orange": (230, 159, 0), "sky blue": (86, 180, 233),
       "black": (0, 0, 0), "yellow": (240, 228, 66)}
BEFORE = ["blue", "orange", "bluish green", "vermillion", "reddish purple",
          "sky blue", "black", "yellow"]
EDGES = {"orange": (194, 134, 0), "sky blue": (74, 154, 199),
         "yellow": (157, 149, 43)}
MACHADO = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}


def linear(c):
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def contrast(rgb):
    r, g, b = map(linear, rgb)
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def lab(v):
    r, g, b = v
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = lambda t: t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116
    return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))


def seen(rgb, kind):
    v = [linear(c) for c in rgb]
    m = MACHADO[kind]
    return lab([min(1, max(0, sum(m[i][j] * v[j] for j in range(3)))) for i in range(3)])


def closest(names, kind):
    return min(math.dist(seen(NOW[a], kind), seen(NOW[b], kind))
               for a, b in itertools.combinations(names, 2))


for name, rgb in NOW.items():
    edge = f", edge {contrast(EDGES[name]):.2f}" if name in EDGES else ""
    print(f"{name:15} {contrast(rgb):5.2f}:1{edge}")
for label, order in [("now", list(NOW)), ("before", BEFORE)]:
    for kind in MACHADO:
        print(f"{label:6} {kind:12}",
              " ".join(f"k={k}: {closest(order[:k], kind):5.1f}" for k in range(2, 9)))
