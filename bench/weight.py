"""First-visit weight of a page: its HTML plus every same-origin stylesheet and script it
references, fetched with ``Accept-Encoding: gzip`` as a browser would; photos excluded.

Bytes are response bodies as sent (compressed when the server compresses); headers are not
counted. "Own JS" is every script except htmx, plus inline script text.
"""

from __future__ import annotations

import gzip
import re
import urllib.request
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

FONT_EXTENSIONS = (".woff2", ".woff", ".ttf", ".otf", ".eot")
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


class _Assets(HTMLParser):
    """Collects stylesheet, script, font and preload references and inline script text."""

    def __init__(self) -> None:
        super().__init__()
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self.fonts: list[str] = []
        self.inline_script = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "link":
            rel = a.get("rel", "").lower().split()
            href = a.get("href", "")
            if "stylesheet" in rel:
                self.styles.append(href)
            elif a.get("as") == "font" or href.lower().endswith(FONT_EXTENSIONS):
                self.fonts.append(href)
            elif a.get("as") == "script" or "modulepreload" in rel:
                self.scripts.append(href)
        elif tag == "script":
            if a.get("src"):
                self.scripts.append(a["src"])
            else:
                self._in_script = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.inline_script += len(data.strip().encode())


@dataclass
class Resource:
    url: str
    kind: str
    bytes: int
    encoding: str


@dataclass
class PageWeight:
    path: str
    total_bytes: int = 0
    html_bytes: int = 0
    css_bytes: int = 0
    js_bytes: int = 0
    htmx_bytes: int = 0
    own_js_bytes: int = 0
    inline_script_bytes: int = 0
    web_fonts: list[str] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def fetch(url: str) -> tuple[bytes, str, str]:
    """(body as sent, Content-Encoding, decoded text)."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip", "User-Agent": "pasar-bench"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        body = response.read()
        encoding = response.headers.get("Content-Encoding", "") or ""
    text = gzip.decompress(body) if encoding == "gzip" else body
    return body, encoding, text.decode("utf-8", "replace")


def same_origin(base: str, url: str) -> bool:
    return urlsplit(urljoin(base, url)).netloc == urlsplit(base).netloc


def page_weight(base_url: str, path: str) -> PageWeight:
    page_url = base_url + path
    body, encoding, html = fetch(page_url)
    weight = PageWeight(path=path, html_bytes=len(body))
    weight.resources.append(Resource(path, "html", len(body), encoding))
    assets = _Assets()
    assets.feed(html)
    weight.inline_script_bytes = assets.inline_script
    weight.web_fonts += [urljoin(page_url, f) for f in assets.fonts]
    for kind, refs in (("css", assets.styles), ("js", assets.scripts)):
        for ref in dict.fromkeys(refs):
            if not same_origin(page_url, ref):
                continue
            url = urljoin(page_url, ref)
            data, enc, text = fetch(url)
            weight.resources.append(Resource(urlsplit(url).path, kind, len(data), enc))
            if kind == "css":
                weight.css_bytes += len(data)
                weight.web_fonts += _css_fonts(url, text)
            elif "htmx" in urlsplit(url).path.rsplit("/", 1)[-1]:
                weight.htmx_bytes += len(data)
            else:
                weight.own_js_bytes += len(data)
            if kind == "js":
                weight.js_bytes += len(data)
    weight.own_js_bytes += weight.inline_script_bytes
    weight.total_bytes = sum(r.bytes for r in weight.resources)
    return weight


def _css_fonts(css_url: str, css: str) -> list[str]:
    found = [urljoin(css_url, a or b) for a, b in _CSS_URL.findall(css)]
    fonts = [u for u in found if urlsplit(u).path.lower().endswith(FONT_EXTENSIONS)]
    if "@font-face" in css and not fonts:
        fonts.append(f"{css_url} (@font-face)")
    return fonts
