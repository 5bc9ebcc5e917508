#!/usr/bin/env python3
"""The demo's review report opens in headless Chromium and renders: the
screenshot is not blank, and the diagrams are drawn (the red of shared
nodes and the blue of the side clusters are on the page).

Skipped (exit 77) where Debian's `chromium` or sharedfate-render is not
installed; CI installs both (scripts/deps).

  python3 tests/test_report_chromium.py BINARY SOURCE_DIR
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib


def decode_png(data):
    """8-bit RGB or RGBA, non-interlaced (what Chromium writes): rows of
    (r, g, b) tuples."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if ctype == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and color in (2, 6) and interlace == 0, "unexpected PNG format"
        elif ctype == b"IDAT":
            idat += body
        pos += 12 + length
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(width)])
        prev = line
    return rows


def main():
    binary, src = os.path.abspath(sys.argv[1]), sys.argv[2]
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("skip: chromium is not installed (apt-get install chromium)")
        return 77
    if not os.path.exists(os.path.join(os.path.dirname(binary), "sharedfate-render")):
        print("skip: no sharedfate-render (libgraphviz-dev missing at build time)")
        return 77
    tmp = tempfile.mkdtemp(prefix="sf-chromium-")
    try:
        out = os.path.join(tmp, "report")
        p = subprocess.run([binary, "scan", "fixtures/demo", "--report", out], cwd=src,
                           capture_output=True, timeout=120)
        if p.returncode != 1:
            print("FAIL: scan exit %d: %r" % (p.returncode, p.stderr))
            return 1
        shot = os.path.join(tmp, "shot.png")
        env = dict(os.environ, HOME=tmp)
        env.pop("ASAN_OPTIONS", None)
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                        "--hide-scrollbars", "--user-data-dir=" + os.path.join(tmp, "profile"),
                        "--window-size=1200,1600", "--screenshot=" + shot,
                        "file://" + os.path.join(out, "index.html")],
                       capture_output=True, timeout=120, env=env)
        if not os.path.exists(shot):
            print("FAIL: Chromium wrote no screenshot")
            return 1
        with open(shot, "rb") as f:
            rows = decode_png(f.read())
        pixels = [px for row in rows[::2] for px in row[::2]]
        nonwhite = sum(1 for r, g, b in pixels if r < 240 or g < 240 or b < 240)
        # the shared nodes' outline (#c5221f); the fills of DNS names
        # (#e8f0fe) and of traffic nodes (#e6f4ea), which only diagrams use
        def near(px, rgb):
            return all(abs(a - b) <= 3 for a, b in zip(px, rgb))
        red = sum(1 for px in pixels if near(px, (0xc5, 0x22, 0x1f)))
        dns = sum(1 for px in pixels if near(px, (0xe8, 0xf0, 0xfe)))
        traffic = sum(1 for px in pixels if near(px, (0xe6, 0xf4, 0xea)))
        print("screenshot %dx%d: %d sampled pixels, %d non-white, %d shared red, "
              "%d DNS fill, %d traffic fill"
              % (len(rows[0]), len(rows), len(pixels), nonwhite, red, dns, traffic))
        ok = nonwhite > len(pixels) // 50 and red > 20 and dns > 100 and traffic > 100
        print("ok" if ok else "FAIL: the page looks blank or has no diagrams")
        return 0 if ok else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
