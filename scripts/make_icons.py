"""Draw the app icons (a backpack on the theme colour) with Pillow and write them to
web/static/icons/: the PNGs of the web app manifest (192, 512, and a maskable 512 with a safe
zone), the Apple touch icon (180) and favicon.ico (16, 32, 48). The output is committed;
run `.venv/bin/python scripts/make_icons.py` after changing the drawing or the colours (the
theme's `--rz-color-brand` in web/static/css/rugzak.css and `theme_color` in the manifest)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "web" / "static" / "icons"
BRAND = (21, 94, 117)  # #155e75, the theme's brand colour
LIGHT = (255, 255, 255)
ACCENT = (250, 204, 21)  # #facc15


def backpack(size: int, *, safe: float = 0.8, round_corners: bool = True) -> Image.Image:
    """The icon at `size` px; the drawing fills `safe` of the square (maskable: 0.6)."""
    scale = 4  # draw large, then downsample: smooth edges without antialiasing support
    big = size * scale
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    radius = big // 5 if round_corners else 0
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=radius, fill=BRAND)
    unit = big * safe / 10
    cx = big / 2
    top = (big - 10 * unit) / 2
    # handle
    draw.rounded_rectangle(
        (cx - 1.6 * unit, top + 0.2 * unit, cx + 1.6 * unit, top + 2.4 * unit),
        radius=int(unit),
        outline=LIGHT,
        width=max(1, int(0.55 * unit)),
    )
    # body
    draw.rounded_rectangle(
        (cx - 3.4 * unit, top + 1.6 * unit, cx + 3.4 * unit, top + 9.8 * unit),
        radius=int(1.6 * unit),
        fill=LIGHT,
    )
    # pocket
    draw.rounded_rectangle(
        (cx - 2.2 * unit, top + 5.4 * unit, cx + 2.2 * unit, top + 8.8 * unit),
        radius=int(0.7 * unit),
        fill=BRAND,
    )
    # buckle
    draw.rounded_rectangle(
        (cx - 0.7 * unit, top + 4.8 * unit, cx + 0.7 * unit, top + 6.2 * unit),
        radius=int(0.3 * unit),
        fill=ACCENT,
    )
    return img.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    backpack(192).save(OUT / "icon-192.png", optimize=True)
    backpack(512).save(OUT / "icon-512.png", optimize=True)
    backpack(512, safe=0.6, round_corners=False).save(OUT / "icon-maskable-512.png", optimize=True)
    backpack(180, round_corners=False).save(OUT / "apple-touch-icon.png", optimize=True)
    backpack(48).save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    backpack(32).save(OUT / "favicon-32.png", optimize=True)


if __name__ == "__main__":
    main()
