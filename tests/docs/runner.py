"""Run the shell sessions of a Markdown page and compare (or rewrite) their shown output.

A page is executed top to bottom in one empty temporary folder:

- a ```` ```yaml title="FILE" ```` (or ``json``) block writes FILE; with the word
  ``append`` after the title it is added to the end of FILE instead;
- a ```` ```python ```` block is run with the same Python (its output is not shown);
- a ```` ```console ```` block holds commands, each on a line starting with ``$ ``,
  followed by the output it prints (standard output and standard error together, as a
  terminal shows them). A command must exit 0, unless its output ends with a line
  ``[exit N]``.

Matching the shown output against the real one:

- a line ``...`` stands for any number of lines (including none);
- a line ending in `` ...`` matches a line that starts with the text before it;
- ``neuroig`` followed by a version number matches any version;
- trailing spaces are ignored.

Use::

    python tests/docs/runner.py docs/tutorial.md            # check, exit 1 on a mismatch
    python tests/docs/runner.py --update docs/tutorial.md   # rewrite the shown outputs

``--update`` keeps each output's shape: as many leading and trailing lines as shown,
the ``...`` markers, and the shown middle lines that still occur.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "Command",
    "ConsoleBlock",
    "FileBlock",
    "PythonBlock",
    "lines_match",
    "parse",
    "render_expected",
    "run_page",
]

ELLIPSIS = "..."
_FENCE = re.compile(r"^```(?P<info>[^`]*)$")
_TITLE = re.compile(r'title="(?P<name>[^"]+)"')
_EXIT = re.compile(r"^\[exit (?P<code>\d+)\]$")
_VERSION = re.compile(r"neuroig \d+\.\d+\.\d+\S*")
TIMEOUT_S = 300


@dataclass
class FileBlock:
    """A file the reader writes (or appends to)."""

    name: str
    text: str
    append: bool


@dataclass
class Command:
    """One ``$ `` line of a console block and the output shown under it."""

    line: str
    expected: list[str]
    exit_code: int = 0
    actual: list[str] = field(default_factory=list)
    actual_exit: int | None = None


@dataclass
class ConsoleBlock:
    """A console block: where it sits in the page (line numbers) and its commands."""

    start: int  # index of the first line inside the fence
    end: int  # index of the closing fence
    commands: list[Command]


@dataclass
class PythonBlock:
    """A Python snippet, run as a script in the folder."""

    text: str


Block = FileBlock | ConsoleBlock | PythonBlock


def _commands(body: list[str]) -> list[Command]:
    out: list[Command] = []
    for raw in body:
        line = raw.rstrip()
        if line.startswith("$ "):
            out.append(Command(line[2:], []))
        elif out:
            out[-1].expected.append(line)
        elif line:
            raise ValueError(f"console block: output before the first '$ ' line: {line!r}")
    for cmd in out:
        while cmd.expected and not cmd.expected[-1]:
            cmd.expected.pop()
        if cmd.expected and (m := _EXIT.match(cmd.expected[-1])):
            cmd.exit_code = int(m["code"])
            cmd.expected.pop()
    return out


def parse(text: str) -> list[Block]:
    """Return the file and console blocks of a Markdown page, in page order."""
    lines = text.split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m or not m["info"].strip():
            i += 1
            continue
        info = m["info"].strip()
        j = i + 1
        while j < len(lines) and lines[j].rstrip() != "```":
            j += 1
        if j == len(lines):
            raise ValueError(f"line {i + 1}: unclosed code block")
        body = lines[i + 1 : j]
        kind = info.split()[0]
        title = _TITLE.search(info)
        if kind == "console":
            blocks.append(ConsoleBlock(i + 1, j, _commands(body)))
        elif kind == "python":
            blocks.append(PythonBlock("\n".join(body) + "\n"))
        elif title is not None:
            text_ = "\n".join(body) + "\n"
            blocks.append(FileBlock(title["name"], text_, "append" in info.split()))
        i = j + 1
    return blocks


def _normal(line: str) -> str:
    return _VERSION.sub("neuroig VERSION", line.rstrip())


def _line_ok(expected: str, actual: str) -> bool:
    e, a = _normal(expected), _normal(actual)
    if e.endswith(" " + ELLIPSIS):
        return a.startswith(e[: -len(ELLIPSIS) - 1])
    return e == a


def lines_match(expected: list[str], actual: list[str]) -> bool:
    """True when ``actual`` matches ``expected`` with ``...`` elision (see module doc)."""
    memo: dict[tuple[int, int], bool] = {}

    def go(i: int, j: int) -> bool:
        key = (i, j)
        if key in memo:
            return memo[key]
        if i == len(expected):
            ok = j == len(actual)
        elif expected[i].strip() == ELLIPSIS:
            ok = any(go(i + 1, k) for k in range(j, len(actual) + 1))
        else:
            ok = j < len(actual) and _line_ok(expected[i], actual[j]) and go(i + 1, j + 1)
        memo[key] = ok
        return ok

    return go(0, 0)


def _env(bin_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["COLUMNS"] = "80"
    env["PYTHONUNBUFFERED"] = "1"  # stdout and stderr interleave as on a terminal
    env["NO_COLOR"] = "1"
    env.pop("FORCE_COLOR", None)
    return env


def run_page(text: str, workdir: Path, bin_dir: Path | None = None) -> list[Block]:
    """Execute every block of the page in ``workdir``; fill in each command's output."""
    bin_dir = bin_dir or Path(sys.executable).parent
    env = _env(bin_dir)
    blocks = parse(text)
    for block in blocks:
        if isinstance(block, FileBlock):
            path = workdir / block.name
            with path.open("a" if block.append else "w", encoding="utf-8") as fh:
                fh.write(block.text)
            continue
        if isinstance(block, PythonBlock):
            ran = subprocess.run(
                [sys.executable, "-c", block.text],
                cwd=workdir,
                env=env,
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
                check=False,
            )
            if ran.returncode:
                raise RuntimeError(f"python block failed:\n{block.text}\n{ran.stderr}")
            continue
        for cmd in block.commands:
            done = subprocess.run(
                ["bash", "-c", cmd.line],
                cwd=workdir,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=TIMEOUT_S,
                check=False,
            )
            out = [line.rstrip() for line in done.stdout.split("\n")]
            while out and not out[-1]:
                out.pop()
            cmd.actual, cmd.actual_exit = out, done.returncode
    return blocks


def mismatches(blocks: list[Block]) -> list[str]:
    """One readable report per command whose output or exit code differs."""
    bad: list[str] = []
    for block in blocks:
        if not isinstance(block, ConsoleBlock):
            continue
        for cmd in block.commands:
            if cmd.actual_exit != cmd.exit_code or not lines_match(cmd.expected, cmd.actual):
                bad.append(
                    f"$ {cmd.line}\n--- shown (exit {cmd.exit_code})\n"
                    + "\n".join(cmd.expected)
                    + f"\n--- real (exit {cmd.actual_exit})\n"
                    + "\n".join(cmd.actual)
                )
    return bad


def render_expected(expected: list[str], actual: list[str]) -> list[str]:
    """The new shown output: ``actual`` cut to the shape of ``expected`` (see module doc)."""
    if ELLIPSIS not in [e.strip() for e in expected]:
        return list(actual)
    marks = [k for k, e in enumerate(expected) if e.strip() == ELLIPSIS]
    head_n, tail_n = marks[0], len(expected) - marks[-1] - 1
    head_n = min(head_n, len(actual))
    tail_n = min(tail_n, len(actual) - head_n)
    head = [
        e if _line_ok(e, a) and e.endswith(" " + ELLIPSIS) else a
        for e, a in zip(expected[:head_n], actual[:head_n], strict=True)
    ]
    tail = actual[len(actual) - tail_n :] if tail_n else []
    middle: list[str] = [ELLIPSIS]
    pool = actual[head_n : len(actual) - tail_n]
    pos = 0
    for e in expected[marks[0] + 1 : marks[-1]]:
        if e.strip() == ELLIPSIS:
            if middle[-1] != ELLIPSIS:
                middle.append(ELLIPSIS)
            continue
        found = next((k for k in range(pos, len(pool)) if _line_ok(e, pool[k])), None)
        if found is not None:
            middle.append(e if e.endswith(" " + ELLIPSIS) else pool[found])
            pos = found + 1
    if middle[-1] != ELLIPSIS:
        middle.append(ELLIPSIS)
    return head + middle + tail


def update_page(text: str, blocks: list[Block]) -> str:
    """Return the page with every console block's shown output replaced by the real one."""
    lines = text.split("\n")
    for block in reversed([b for b in blocks if isinstance(b, ConsoleBlock)]):
        body: list[str] = []
        for cmd in block.commands:
            body.append(f"$ {cmd.line}")
            body += render_expected(cmd.expected, cmd.actual)
            if cmd.actual_exit:
                body.append(f"[exit {cmd.actual_exit}]")
        lines[block.start : block.end] = body
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line: check a page, or rewrite its shown outputs with ``--update``."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pages", nargs="+", type=Path)
    ap.add_argument("--update", action="store_true", help="rewrite the shown outputs")
    args = ap.parse_args(argv)
    status = 0
    for page in args.pages:
        text = page.read_text(encoding="utf-8")
        with tempfile.TemporaryDirectory(prefix="neuroig-docs-") as tmp:
            blocks = run_page(text, Path(tmp))
        if args.update:
            new = update_page(text, blocks)
            if new != text:
                page.write_text(new, encoding="utf-8")
                print(f"{page}: shown outputs updated")
            else:
                print(f"{page}: up to date")
            continue
        bad = mismatches(blocks)
        for report in bad:
            print(f"{page}:\n{report}\n", file=sys.stderr)
        if bad:
            status = 1
        else:
            n = sum(len(b.commands) for b in blocks if isinstance(b, ConsoleBlock))
            print(f"{page}: {n} commands match their shown output")
    return status


if __name__ == "__main__":
    sys.exit(main())
