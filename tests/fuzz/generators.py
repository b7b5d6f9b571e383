"""Generators of the fuzz corpus: careless and hostile inputs, one builder per file.

Each entry names the class of defect it reproduces (issue 10), the file it writes and
what neuroig must do with it: exit 2 naming ``path`` (and ``fragment``), or exit 0.
Small files are committed under ``tests/fuzz/corpus/`` (regenerate them with
``python -m tests.fuzz.generators``; a test checks they match); large ones (megabytes)
are built at test time by :func:`large_inputs`.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conftest import example_data

CORPUS = Path(__file__).resolve().parent / "corpus"

Data = dict[str, Any]


@dataclass(frozen=True)
class Fuzz:
    """One corpus file and the expected outcome of ``neuroig validate`` on it."""

    kind: str  # impossible | damaged | exhaustion | injection | traceback
    name: str
    build: Callable[[], bytes]
    exit_code: int
    path: str  # the JSON path (or file-level marker) the error must name
    fragment: str = ""


def _case(mutate: Callable[[Data], None], base: str = "mmn-definite") -> Callable[[], bytes]:
    def build() -> bytes:
        data = copy.deepcopy(example_data(base))
        mutate(data)
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    return build


def _text(text: str) -> Callable[[], bytes]:
    return lambda: text.encode("utf-8")


def _raw(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def _site(d: Data, study: int, site: int) -> Data:
    s: Data = d["ncs"]["motor"][study]["sites"][site]
    return s


def _set(path: list[str | int], value: Any) -> Callable[[Data], None]:
    def put(d: Data) -> None:
        node: Any = d
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return put


def _cm(d: Data) -> None:
    # left ulnar: wrist 3.0 ms, below elbow 7.4 ms, above elbow 9.4 ms; the forearm
    # (230 mm) and elbow (100 mm) typed in cm as 18 and 9 → 18/(7.4-3.0) = 4.1 m/s and
    # 9/(9.4-7.4) = 4.5 m/s, below the 5 m/s bound (decision P10)
    _site(d, 0, 1)["distance_mm"] = 18
    _site(d, 0, 2)["distance_mm"] = 9


def _latency_plus(d: Data) -> None:
    # below elbow 0.01 ms after the wrist: 230 mm / 0.01 ms = 23,000 m/s
    _site(d, 0, 1)["latency_ms"] = 3.01


def _sensory_across_elbow(d: Data) -> None:
    d["ncs"]["sensory"].append(
        {
            "nerve": "ulnar",
            "side": "left",
            "method": "antidromic",
            "from_site": "below_elbow",
            "to_site": "above_elbow",
            "amplitude_uv": 9.0,
            "velocity_m_s": 55.0,
            "distance_mm": 100,
            # the lab's own limits for this segment (the per-nerve ones are for wrist-digit5)
            "lab_reference": {"amplitude_uv_lln": 5.0, "velocity_m_s_lln": 50.0},
        }
    )


def _nested_duplicate() -> bytes:
    text = json.dumps(example_data("mmn-definite"))
    # the lab's median limits repeat a key: the path must name the whole object
    dup = text.replace(
        '"amplitude_mv_lln": 4.0,', '"amplitude_mv_lln": 4.0, "amplitude_mv_lln": 5.0,'
    )
    return dup.encode("utf-8")


_DEEP = "[" * 1000 + "]" * 1000
_LAUGHS = (
    "format: neuroig-case/1\ncase_id: laughs\n"
    + "".join(
        f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9 if i else ['x'] * 9)}]\n" for i in range(9)
    )
    + "patient:\n  weight_kg: *l8\n"
)


FUZZ: tuple[Fuzz, ...] = (
    # --- wrong analysis from impossible data (decisions P10, P11)
    Fuzz(
        "impossible",
        "distances-in-cm.json",
        _case(_cm),
        2,
        "ncs.motor[0].sites[1].distance_mm",
        "m/s",
    ),
    Fuzz(
        "impossible",
        "latency-plus-0.01ms.json",
        _case(_latency_plus),
        2,
        "ncs.motor[0].sites[1].distance_mm",
        "23,000.0 m/s",
    ),
    Fuzz(
        "impossible",
        "f-below-distal.json",
        _case(_set(["ncs", "motor", 0, "f_wave", "min_latency_ms"], 2.5)),
        2,
        "ncs.motor[0].f_wave.min_latency_ms",
        "not above",
    ),
    Fuzz(
        "impossible",
        "cmap-80mv.json",
        _case(_set(["ncs", "motor", 0, "sites", 0, "amplitude_mv"], 80)),
        2,
        "ncs.motor[0].sites[0].amplitude_mv",
        "≤ 50",
    ),
    Fuzz(
        "impossible",
        "snap-0.022uv.json",
        _case(_set(["ncs", "sensory", 0, "amplitude_uv"], 0.022)),
        2,
        "ncs.sensory[0].amplitude_uv",
        "resolves",
    ),
    Fuzz(
        "impossible",
        "amplitude-1e-308.json",
        _case(_set(["ncs", "motor", 0, "sites", 0, "amplitude_mv"], 1e-308)),
        2,
        "ncs.motor[0].sites[0].amplitude_mv",
        "resolves",
    ),
    Fuzz(
        "impossible",
        "lab-lln-zero.json",
        _case(_set(["ncs", "lab_reference", "motor", "ulnar", "amplitude_mv_lln"], 0)),
        2,
        "ncs.lab_reference.motor.ulnar.amplitude_mv_lln",
        "≥ 0.01",
    ),
    Fuzz(
        "impossible",
        "date-zero.json",
        _case(_set(["ncs", "date"], 0)),
        2,
        "ncs.date",
        "not a number",
    ),
    Fuzz(
        "impossible",
        "date-epoch-text.json",
        _case(_set(["ncs", "date"], "1759363200")),
        2,
        "ncs.date",
        "YYYY-MM-DD",
    ),
    Fuzz(
        "impossible",
        "date-2099.json",
        _case(_set(["ncs", "date"], "2099-01-01")),
        2,
        "ncs.date",
        "after today",
    ),
    Fuzz(
        "impossible",
        "date-compact.json",
        _case(_set(["ncs", "date"], "20261002")),
        2,
        "ncs.date",
        "with the dashes",
    ),
    Fuzz(
        "impossible",
        "onset-after-ncs.json",
        _case(_set(["history"], {"onset_date": "2026-11-01"})),
        2,
        "history.onset_date",
        "after ncs.date",
    ),
    Fuzz(
        "impossible",
        "birth-1800.json",
        _case(_set(["patient"], {"sex": "male", "birth_date": "1800-01-01"})),
        2,
        "patient.birth_date",
        "1900-01-01",
    ),
    Fuzz(
        "impossible",
        "onset-age-above-age.json",
        _case(_set(["history", "onset_age_years"], 50)),
        2,
        "history.onset_age_years",
        "above patient.age_years",
    ),
    Fuzz("impossible", "ulnar-sensory-across-elbow.json", _case(_sensory_across_elbow), 0, ""),
    # --- lost or damaged data: files that used to abort a batch
    Fuzz(
        "damaged",
        "not-utf8.json",
        _raw(b'{"format": "neuroig-case/1", "case_id": "\xff\xfe"}'),
        2,
        "not a UTF-8 text file",
    ),
    Fuzz("damaged", "nested-1000.json", _text(_DEEP), 2, "input limit: depth"),
    Fuzz(
        "damaged",
        "digits-5000.json",
        _text(
            '{"format": "neuroig-case/1", "case_id": "d", "patient": {"weight_kg": '
            + "9" * 5000
            + "}}"
        ),
        2,
        "patient.weight_kg",
        "at most 18 digits",
    ),
    # --- resource exhaustion
    Fuzz("exhaustion", "billion-laughs.yaml", _text(_LAUGHS), 2, "input limit: values"),
    Fuzz(
        "exhaustion",
        "alias-count.yaml",
        _text(
            "format: neuroig-case/1\ncase_id: a\nx_a: &a 1\nx_b: ["
            + ", ".join(["*a"] * 150)
            + "]\n"
        ),
        2,
        "input limit: YAML aliases",
    ),
    # --- injection
    Fuzz(
        "injection",
        "case-id-rich-markup.json",
        _case(_set(["case_id"], "ID [/] x [link=https://example.org]y[/link]")),
        0,
        "",
    ),
    Fuzz(
        "injection",
        "case-id-ansi-osc.json",
        _case(_set(["case_id"], "x\u001b]0;owned\u0007\u001b[2J")),
        2,
        "case_id",
        "control characters",
    ),
    Fuzz(
        "injection",
        "case-id-newline.json",
        _case(_set(["case_id"], "a\nb")),
        2,
        "case_id",
        "control characters",
    ),
    # --- tracebacks where exit 2 and a sentence belong
    Fuzz(
        "traceback",
        "yaml-complex-key.yaml",
        _text("format: neuroig-case/1\ncase_id: a\n? [a, b]\n: 1\n"),
        2,
        "complex key",
    ),
    Fuzz(
        "traceback",
        "nested-duplicate-key.json",
        _nested_duplicate,
        2,
        "ncs.lab_reference.motor.median.amplitude_mv_lln",
        "appears twice",
    ),
    Fuzz(
        "traceback",
        "huge-float.json",
        _case(_set(["patient", "weight_kg"], "REPLACE")),
        2,
        "patient.weight_kg",
        "too large",
    ),
    Fuzz(
        "traceback",
        "nan.json",
        _text('{"format": "neuroig-case/1", "case_id": "n", "x_v": NaN}'),
        2,
        "x_v",
        "finite",
    ),
)


def _fix(f: Fuzz) -> bytes:
    data = f.build()
    if f.name == "huge-float.json":
        data = data.replace(b'"REPLACE"', b"1e999")
    return data


def build(f: Fuzz) -> bytes:
    """The bytes of one corpus file."""
    return _fix(f)


def large_inputs(folder: Path) -> dict[str, Path]:
    """Write the megabyte-sized hostile inputs (not committed) and return their paths."""
    out: dict[str, Path] = {}
    key = folder / "unknown-key-1mb.json"
    key.write_text(
        json.dumps({"format": "neuroig-case/1", "case_id": "k", "k" * 1_000_000: 1}),
        encoding="utf-8",
    )
    out["unknown-key-1mb"] = key
    many = folder / "errors-100k.json"
    doc: Data = {"format": "neuroig-case/1", "case_id": "e"}
    doc.update({f"k{i}": i for i in range(100_000)})
    many.write_text(json.dumps(doc), encoding="utf-8")
    out["errors-100k"] = many
    huge = folder / "too-big.json"
    huge.write_text(
        json.dumps({"format": "neuroig-case/1", "case_id": "b", "x_pad": "p" * 3_000_000})
    )
    out["too-big"] = huge
    return out


def write_corpus(folder: Path = CORPUS) -> None:
    """(Re)write the committed corpus files."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in FUZZ:
        (folder / f.name).write_bytes(build(f))


if __name__ == "__main__":
    write_corpus(Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS)
