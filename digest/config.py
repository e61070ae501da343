"""Site settings: read `[tool.digest]` from pyproject.toml into a frozen Settings.

Unknown keys and wrong types are errors with a "did you mean" hint, collected into one list.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import SettingsError


@dataclass(frozen=True)
class Settings:
    title: str = "AI Competition Digest"
    description: str = "A curated digest of articles about the AI competition."
    base_url: str = "http://127.0.0.1:8000/"  # absolute; its path is the site's sub-path
    language: str = "en"  # language of the site's own words (menus, headings): en, zh-Hans, zh-Hant
    timezone: str = "UTC"  # for dates written without a zone
    author: str = "Digest curator"
    theme: str = "default"
    per_page: int = 20  # articles per index, tag and source page
    feed_size: int = 50  # entries in atom.xml / rss.xml
    summary_chars: int = 160  # length of an automatic summary
    content_dir: str = "content"
    output_dir: str = "output"
    search: bool = True  # build the search index (digest/search/)
    publish_report: bool = False  # put the cleaning report (every removed line) in output/report/
    image: str = ""  # the site's image for link previews (og:image): an absolute URL or a path in the site; none by default
    strip_patterns: tuple[str, ...] = ()  # extra regexes: matching lines are removed
    keep_patterns: tuple[str, ...] = ()  # extra regexes: matching lines are always kept
    root: Path = field(default=Path("."), compare=False)  # folder of pyproject.toml
    # The build's cache, relative to root: not a user setting and not part of the fingerprint
    # (it changes no output); the preview has its own (serve.preview_settings).
    cache_dir: str = field(default=".digest-cache", compare=False)

    @property
    def base_path(self) -> str:
        """The URL path the site is served under, always with slashes at both ends."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def abs_url(self, url_path: str) -> str:
        """Absolute URL for a site-relative path such as 'posts/x/'."""
        base = self.base_url if self.base_url.endswith("/") else self.base_url + "/"
        return base + url_path.lstrip("/")

    @property
    def content_path(self) -> Path:
        return self.root / self.content_dir

    @property
    def output_path(self) -> Path:
        return self.root / self.output_dir

    @property
    def cache_path(self) -> Path:
        """The folder of the build state, the article store and the search index's cache."""
        return self.root / self.cache_dir

    def fingerprint(self) -> str:
        """A hash of every setting that can change output (for the build cache)."""
        data = {k: v for k, v in asdict(self).items() if k not in _NOT_SETTINGS}
        h = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode())
        rules = self.root / "rules"
        for p in sorted(rules.glob("*.toml")) if rules.is_dir() else ():
            h.update(p.name.encode() + p.read_bytes())  # the site's own cleaning rules
        return h.hexdigest()


_NOT_SETTINGS = ("root", "cache_dir")  # fields a site cannot set, outside the fingerprint

LANGUAGES = ("en", "zh-Hans", "zh-Hant")  # the interfaces the default theme speaks
_LANGUAGE_LIKE = {"zh": "zh-Hans", "zh-cn": "zh-Hans", "zh-sg": "zh-Hans", "zh-my": "zh-Hans", "zh-hans-cn": "zh-Hans",
                  "cmn": "zh-Hans", "zh-chs": "zh-Hans", "zh-tw": "zh-Hant", "zh-hk": "zh-Hant", "zh-mo": "zh-Hant",
                  "zh-hant-tw": "zh-Hant", "zh-cht": "zh-Hant", "yue": "zh-Hant", "en-us": "en", "en-gb": "en",
                  "en-au": "en", "en-ca": "en", "english": "en", "chinese": "zh-Hans"}


def language_error(value: str) -> str:
    """The message for a `language` the theme does not speak: the right spelling when it is a
    way of writing one of them (zh-CN → zh-Hans), else the choices."""
    key = value.strip().replace("_", "-").lower()
    match = next((l for l in LANGUAGES if l.lower() == key), None) or _LANGUAGE_LIKE.get(key)
    choices = ", ".join(repr(l) for l in LANGUAGES)
    if match:
        return (f"[tool.digest] language: {value!r} is not one of {choices} — did you mean {match!r}? "
                f"(the interface is chosen by script: zh-Hans for Simplified Chinese, zh-Hant for Traditional)")
    return (f"[tool.digest] language: {value!r} is not supported — choose one of {choices} "
            f"(the language of the site's own words: menus and headings)")


_TYPES = {f.name: f.type for f in fields(Settings) if f.name not in _NOT_SETTINGS}


def _check_type(key: str, value, errors: list[str]):
    kind = _TYPES[key]
    if kind == "str":
        ok = isinstance(value, str)
    elif kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool) and value > 0
    elif kind == "bool":
        ok = isinstance(value, bool)
    else:  # tuple of str
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        if ok:
            value = tuple(value)
    if not ok:
        want = {"str": "a string", "int": "a positive whole number", "bool": "true or false"}.get(
            kind, "a list of strings")
        errors.append(f"[tool.digest] {key}: expected {want}, got {value!r}")
    return value


def settings_from_table(table: dict, root: Path) -> Settings:
    errors: list[str] = []
    values = {}
    for key, value in table.items():
        if key not in _TYPES:
            close = difflib.get_close_matches(key, list(_TYPES), n=1)
            hint = f" — did you mean {close[0]!r}?" if close else f" — known keys: {', '.join(sorted(_TYPES))}"
            errors.append(f"[tool.digest] unknown key {key!r}{hint}")
            continue
        values[key] = _check_type(key, value, errors)
    s = Settings(root=root, **{k: v for k, v in values.items()})
    if "timezone" in values and isinstance(values["timezone"], str):
        try:
            ZoneInfo(s.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            errors.append(f"[tool.digest] timezone: unknown time zone {s.timezone!r} — use a name such as 'Asia/Shanghai' or 'UTC'")
    if "language" in values and isinstance(values["language"], str) and s.language not in LANGUAGES:
        errors.append(language_error(s.language))
    parts = urlsplit(s.base_url) if isinstance(s.base_url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        errors.append(f"[tool.digest] base_url: expected an absolute http(s) URL, got {s.base_url!r}")
    if isinstance(s.image, str) and s.image and ":" in s.image.split("/")[0] \
            and not s.image.startswith(("https://", "http://")):
        errors.append(f"[tool.digest] image: expected an http(s) URL or a path in the site such as "
                      f"'static/card.png', got {s.image!r}")
    import re

    from .patterns import guarded
    for key in ("strip_patterns", "keep_patterns"):
        for pat in getattr(s, key) or ():
            try:
                guarded(pat)  # as the cleaner will compile it
            except re.error as e:
                errors.append(f"[tool.digest] {key}: bad regular expression {pat!r}: {e}")
    if errors:
        raise SettingsError("\n".join(errors))
    return s


def load_settings(root: Path, **overrides) -> Settings:
    """Read settings from root/pyproject.toml; a missing file or table gives the defaults."""
    root = Path(root).resolve()
    py = root / "pyproject.toml"
    table: dict = {}
    if py.is_file():
        try:
            data = tomllib.loads(py.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise SettingsError(f"{py.name}: {e}") from None
        table = data.get("tool", {}).get("digest", {})
        if not isinstance(table, dict):
            raise SettingsError(f"{py.name}: [tool.digest] must be a table")
    table = {**table, **overrides}
    settings = settings_from_table(table, root)
    from .clean.rules import RuleError, site_rules

    try:
        site_rules(root)
    except (RuleError, OSError, UnicodeDecodeError) as e:
        raise SettingsError(str(e)) from None
    return settings
