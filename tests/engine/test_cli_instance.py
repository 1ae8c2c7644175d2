"""`tahaluf generate-instance | solve | validate` on tiny files, through the real entry point."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from api.cli.main import main
from tests.engine.matching.validation_fixtures import instance, result, shift

MON = ("2026-11-30T09:00:00+02:00", "2026-11-30T13:00:00+02:00")


def write(path: Path, data: Any) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "tiny.json.gz"
    assert (
        main(
            [
                "generate-instance",
                "--volunteers",
                "400",
                "--slots",
                "60",
                "--days",
                "3",
                "--seed",
                "7",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    return out


def test_generate_writes_gzip_json_with_the_requested_slots(generated: Path) -> None:
    data = json.loads(gzip.decompress(generated.read_bytes()))
    assert data["format"] == "tahaluf-instance/1"
    assert len(data["volunteers"]) == 400
    assert sum(n["count"] for s in data["shifts"] for n in s["needs"]) == 60


@pytest.mark.parametrize("solver", ["tahaluf", "greedy"])
def test_solve_then_validate_is_valid(
    generated: Path, tmp_path: Path, solver: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"{solver}.json"
    assert main(["solve", str(generated), "--out", str(out), "--solver", solver]) == 0
    res = json.loads(out.read_text(encoding="utf-8"))
    assert res["format"] == "tahaluf-result/1"
    capsys.readouterr()
    assert main(["validate", str(generated), str(out)]) == 0
    printed = capsys.readouterr().out
    assert "valid:      yes" in printed
    assert f"filled:     {len(res['assignments'])}/60" in printed
    assert "objective:" in printed and "urgent:" in printed and "cost:" in printed


def test_validate_exits_1_and_names_the_violation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inst = write(tmp_path / "i.json", instance())
    res = write(tmp_path / "r.json", result(("S1", 0, "V1"), ("S1", 0, "V2")))
    bad = write(tmp_path / "bad.json", result(("S1", 0, "V1"), ("S1", 0, "V1")))
    assert main(["validate", inst, res]) == 0
    capsys.readouterr()
    assert main(["validate", inst, bad]) == 1
    printed = capsys.readouterr().out
    assert "valid:      NO" in printed and "[8 one slot] volunteer V1" in printed


BAD_INSTANCES = {
    "unknown skill": instance(
        shifts=[shift("S1", *MON, needs=[{"skill": "juggling", "count": 1, "minLevel": 1}])]
    ),
    "end before start": instance(shifts=[shift("S1", MON[1], MON[0])]),
    "negative count": instance(
        shifts=[shift("S1", *MON, needs=[{"skill": "first_aid", "count": -2, "minLevel": 1}])]
    ),
}


@pytest.mark.parametrize("command", ["solve", "validate"])
@pytest.mark.parametrize("case", ["malformed JSON", *BAD_INSTANCES])
def test_bad_instance_is_one_error_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, case: str
) -> None:
    path = tmp_path / "inst.json"
    if case == "malformed JSON":
        path.write_text('{"format": "tahaluf-instance/1", "skills": [', encoding="utf-8")
    else:
        write(path, BAD_INSTANCES[case])
    res = write(tmp_path / "r.json", result())
    argv = (
        ["solve", str(path), "--out", str(tmp_path / "o.json")]
        if command == "solve"
        else ["validate", str(path), res]
    )
    assert main(argv) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"error: {path}: ")
    assert "Traceback" not in err
    expected = {
        "malformed JSON": "malformed JSON",
        "unknown skill": "juggling",
        "end before start": "end",
        "negative count": "count",
    }[case]
    assert expected in lines[0]


def test_bad_result_file_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inst = write(tmp_path / "i.json", instance())
    res = write(
        tmp_path / "r.json",
        {"format": "tahaluf-result/1", "assignments": [{"shift": "S1", "volunteer": "V1"}]},
    )
    assert main(["validate", inst, res]) == 2
    assert capsys.readouterr().err.strip() == f"error: {res}: assignments[0].need: is missing"


def _without(record: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != key}


def _lax(**change: Any) -> dict[str, Any]:
    """The fixture instance with one change applied: ('rules', None) drops a top-level key."""
    base = instance()
    for key, value in change.items():
        base = _without(base, key) if value is None else {**base, key: value}
    return base


def _first_volunteer(**fields: Any) -> dict[str, Any]:
    base = instance()
    base["volunteers"][0] = {**base["volunteers"][0], **fields}
    return base


def _first_association(**fields: Any) -> dict[str, Any]:
    base = instance()
    base["associations"][0] = {**base["associations"][0], **fields}
    return base


def _first_shift(drop: str | None = None, **fields: Any) -> dict[str, Any]:
    base = instance()
    s = {**base["shifts"][0], **fields}
    base["shifts"][0] = _without(s, drop) if drop else s
    return base


# what `solve` refuses, `validate` refuses too (never scoring with values of its own)
LAX_INSTANCES: dict[str, tuple[dict[str, Any], str]] = {
    "no rules": (_lax(rules=None), "rules"),
    "rest as text": (_lax(rules={"minRestHours": "8", "timezone": "Africa/Cairo"}), "rules.minRestHours"),
    "negative rest": (_lax(rules={"minRestHours": -1, "timezone": "Africa/Cairo"}), "rules.minRestHours"),
    "a weight missing": (
        _lax(weights=_without(instance()["weights"], "exchange")),
        "weights.exchange",
    ),
    "negative weight": (
        _lax(weights={**instance()["weights"], "distanceKm": -1.0}),
        "weights.distanceKm",
    ),
    "lends as text": (_first_association(lends="true"), "associations[0].lends"),
    "borrowers as text": (_first_association(borrowers="A2"), "associations[0].borrowers"),
    "active missing": (
        {**instance(), "volunteers": [_without(instance()["volunteers"][0], "active")]},
        "volunteers[0].active",
    ),
    "reliability over 1": (_first_volunteer(reliability=1.5), "volunteers[0].reliability"),
    "latitude 130": (_first_volunteer(lat=130.0), "volunteers[0].lat"),
    "booked event a number": (
        _first_volunteer(booked=[{"start": MON[0], "end": MON[1], "event": 7}]),
        "volunteers[0].booked[0].event",
    ),
    "shift event missing": (_first_shift(drop="event"), "shifts[0].event"),
    "urgent as text": (_first_shift(urgent="yes"), "shifts[0].urgent"),
}


@pytest.mark.parametrize("command", ["solve", "validate"])
@pytest.mark.parametrize("case", list(LAX_INSTANCES))
def test_solve_and_validate_refuse_the_same_instances(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, case: str
) -> None:
    data, field = LAX_INSTANCES[case]
    path = write(tmp_path / "inst.json", data)
    res = write(tmp_path / "r.json", result())
    argv = (
        ["solve", path, "--out", str(tmp_path / "o.json")]
        if command == "solve"
        else ["validate", path, res]
    )
    assert main(argv) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"error: {path}: ") and field in line, line


def test_the_fixture_itself_is_accepted_by_both(tmp_path: Path) -> None:
    """The lax cases above fail for their one change, not for the base they share."""
    path = write(tmp_path / "inst.json", instance())
    assert main(["solve", path, "--out", str(tmp_path / "o.json")]) == 0
    assert main(["validate", path, str(tmp_path / "o.json")]) == 0


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (["--volunteers", "-5", "--slots", "10"], "--volunteers"),
        (["--volunteers", "5", "--slots", "0"], "--slots"),
        (["--volunteers", "5", "--slots", "10", "--days", "0"], "--days"),
        (["--volunteers", "5", "--slots", "10", "--start", "2026-13-01"], "--start"),
    ],
)
def test_generate_refuses_bad_options_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str], named: str
) -> None:
    out = tmp_path / "g.json"
    assert main(["generate-instance", *options, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {named}: ") and "Traceback" not in err
    assert not out.exists()


def test_an_output_that_is_a_directory_is_refused_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inst = write(tmp_path / "i.json", instance())
    assert main(["solve", inst, "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == f"error: {tmp_path}: is a directory"
    gen = ["generate-instance", "--volunteers", "5", "--slots", "2", "--out", str(tmp_path)]
    assert main(gen) == 2
    assert capsys.readouterr().err.strip() == f"error: {tmp_path}: is a directory"


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"shift": "S1", "need": 0, "count": 1, "reason": "TOO_HARD"}, "unfilled[0].reason"),
        ({"shift": "S1", "need": 0, "count": -1, "reason": "RULE"}, "unfilled[0].count"),
        ({"shift": "S1", "need": "0", "count": 1, "reason": "RULE"}, "unfilled[0].need"),
    ],
)
def test_a_malformed_unfilled_entry_is_a_bad_result_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], entry: dict[str, Any], field: str
) -> None:
    inst = write(tmp_path / "i.json", instance())
    good = write(tmp_path / "good.json", {**result(), "unfilled": [{**entry, "reason": "RULE", "count": 1, "need": 0}]})
    assert main(["validate", inst, good]) == 0
    capsys.readouterr()
    res = write(tmp_path / "r.json", {**result(), "unfilled": [entry]})
    assert main(["validate", inst, res]) == 2
    assert field in capsys.readouterr().err
