"""Generated cases and subprocess workers for the registry's fault tests."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

EXAMPLE = Path(__file__).parents[2] / "examples" / "mmn-definite.json"


def generated_case(n: int) -> dict[str, Any]:
    """The MMN example under a new case id, with a distinct age (18 + n mod 60)."""
    data: dict[str, Any] = json.loads(EXAMPLE.read_text("utf-8"))
    data["case_id"] = f"gen-{n:06d}"
    data["patient"]["age_years"] = 18 + n % 60
    data["history"]["onset_age_years"] = 17 + n % 60
    return data


def write_jsonl(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as f:
        for n in range(count):
            f.write(json.dumps(generated_case(n)) + "\n")


def _saver(url: str, name: str, count: int, patients: int, out: str) -> None:
    """Save ``count`` versions round-robin over ``patients`` generated cases, each based on
    the version this process last read; record (case, version) saved or "conflict"."""
    from neuroig.services import registry
    from neuroig.store.repository import ConflictError

    engine = registry.open_registry(url)
    actor = registry.resolve_actor(engine, "root-admin")
    lines = []
    for i in range(count):
        case = generated_case(i % patients)
        case_id = case["case_id"]
        current = registry.current_document(engine, case_id)
        base = registry.latest_version(engine, case_id)
        doc = current or case
        doc.setdefault("patient", {})["weight_kg"] = 40 + (i % 50) + (0.5 if name == "b" else 0)
        doc["patient"]["height_cm"] = 150 + (i % 40)
        try:
            saved = registry.save_case(
                engine, actor, doc, base_version=base, kind="edit", reason=f"{name}-{i}"
            )
            lines.append(f"saved {case_id} {saved.version} {saved.status} {name}-{i}")
        except ConflictError:
            lines.append(f"conflict {case_id} - - {name}-{i}")
    Path(out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    engine.dispose()


if __name__ == "__main__":
    _saver(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
