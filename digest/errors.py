"""Errors for people: ContentError names the file (and line), Report collects them all.

A build processes every file, collects every problem, and fails once at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    path: str  # relative to the site root where possible
    line: int | None
    message: str
    hint: str = ""
    level: str = "warning"  # or "info": worth a line, never a failure (--strict ignores it)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 article', '2 articles' (many: the plural when it is not word + 's')."""
    return f"{n} {word if n == 1 else many or word + 's'}"


class ContentError(Exception):
    """Bad content in one file. Carries a Problem; never shown as a traceback."""

    def __init__(self, path: str | Path, message: str, line: int | None = None, hint: str = ""):
        self.problem = Problem(str(path), line, message, hint)
        super().__init__(str(self.problem))


class TemplateError(Exception):
    """A template of the site's (or a theme's) failed to compile or render: a Problem naming the
    template file and line, never a traceback. Plain args, so it crosses from a worker process."""

    def __init__(self, path: str, line: int | None, message: str, hint: str = ""):
        self.problem = Problem(path, line, message, hint)
        super().__init__(path, line, message, hint)

    def __str__(self) -> str:
        return str(self.problem)


class SettingsError(Exception):
    """Bad site settings or theme; the build cannot start."""


@dataclass
class Report:
    """Collects errors and warnings over a whole build."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    infos: list[Problem] = field(default_factory=list)  # e.g. a file decoded from GBK: said, not failed on

    def note(self, problems) -> None:
        """Problems found while loading a file: each to warnings or infos by its level."""
        for p in problems:
            (self.infos if p.level == "info" else self.warnings).append(p)

    def error(self, problem: Problem) -> None:
        self.errors.append(problem)

    def warn(self, path: str, message: str, line: int | None = None, hint: str = "") -> None:
        self.warnings.append(Problem(str(path), line, message, hint))
