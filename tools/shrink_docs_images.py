"""Make the role guides' screenshots small enough to keep in the repository (`make docs-screenshots`).

The browser tests take whole pages at 1280 px wide, up to 30,000 px tall and 4 MB each. A guide needs the part
of the page its step describes, readable: so each image is cut to the spans listed under `crops:` in
docs/images/screenshots.yaml (a span is [top, bottom] in the full-size page's pixels, negative counting from
the foot; several are stacked, with a grey rule between them), scaled to 960 px wide and saved with a
64-colour palette (GOV.UK pages are flat colour, so text stays sharp). An image with no crop is kept whole.
Running it again on a shrunk image does nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
IMAGES = REPO / "docs" / "images"
WIDTH = 960
COLOURS = 64
RULE = 6  # px of grey between stacked spans, so a reader sees where the page was cut


def shrink(path: Path, spans: list[list[int]] | None) -> None:
    image = Image.open(path)
    if image.width <= WIDTH and image.mode == "P":
        return  # already shrunk: the crops are in the full-size page's pixels
    image = image.convert("RGB")
    # a negative top or bottom counts from the page's foot, for steps at the end of a chat
    spans = [
        [top % image.height if top < 0 else top, bottom % image.height if bottom < 0 else bottom]
        for top, bottom in spans or []
    ]
    parts = [image.crop((0, top, image.width, min(bottom, image.height))) for top, bottom in spans]
    if parts:
        height = sum(part.height for part in parts) + RULE * (len(parts) - 1)
        image = Image.new("RGB", (parts[0].width, height), (177, 180, 182))
        y = 0
        for part in parts:
            image.paste(part, (0, y))
            y += part.height + RULE
    scaled = image.resize((WIDTH, round(image.height * WIDTH / image.width)), Image.Resampling.LANCZOS)
    scaled.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def main() -> int:
    listed = yaml.safe_load((IMAGES / "screenshots.yaml").read_text(encoding="utf-8"))
    crops = listed.get("crops") or {}
    missing = [name for name in listed["images"] if not (IMAGES / name).is_file()]
    if missing:
        print(f"not taken (run make docs-screenshots): {', '.join(missing)}", file=sys.stderr)
        return 1
    for name in listed["images"]:
        path = IMAGES / name
        shrink(path, crops.get(name))
        print(f"{name}: {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
