"""Many quotes at once (SPEC 8.1): the summary, its totals, JSON and CSV, documents, errors."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import EXAMPLES, RATES, card_in, replaced
from typer.testing import CliRunner

from nrecalc.batch import Settings, quote_paths
from nrecalc.choices import Format
from nrecalc.cli import app
from nrecalc.validate import validate_paths

TODAY = date(2026, 11, 26)
USD_CARD = replaced(card_in("USD"), "name: default", "name: us")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout_bytes.decode("utf-8"), result.stderr


def estimate(quote_id: str, *, card: str = "default", discount: str = "0") -> str:
    text = (EXAMPLES / "reverse-push.yaml").read_text(encoding="utf-8")
    text = replaced(text, "id: Q-2026-0042", f"id: {quote_id}")
    text = replaced(text, "rate_card: default", f"rate_card: {card}")
    return text + f"\ndiscount: {discount}\n" if "\ndiscount:" not in text else text


@pytest.fixture
def quotes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of three CNY estimates and one USD, beside their cards and a foreign YAML."""
    (tmp_path / "rates").mkdir()
    shutil.copy(RATES / "default.yaml", tmp_path / "rates" / "default.yaml")
    (tmp_path / "rates" / "us.yaml").write_text(USD_CARD, encoding="utf-8")
    folder = tmp_path / "q"
    (folder / "deeper").mkdir(parents=True)
    (folder / "b.yaml").write_text(estimate("Q-3"), encoding="utf-8")
    (folder / "a.yaml").write_text(estimate("Q-2", discount="0.2"), encoding="utf-8")
    (folder / "deeper" / "c.yml").write_text(estimate("Q-1"), encoding="utf-8")
    (folder / "usd.yaml").write_text(estimate("Q-4", card="us"), encoding="utf-8")
    (folder / "ci.yaml").write_text("kind: Deployment\nspec: {}\n", encoding="utf-8")
    shutil.copy(RATES / "default.yaml", folder / "a-card.yaml")  # a card in the folder: passed
    monkeypatch.chdir(tmp_path)
    return folder


def test_summary_rows_by_id_and_totals_per_currency(quotes: Path) -> None:
    code, out, err = run("quote", "q")
    assert code == 0
    assert err == "q/ci.yaml: notice: skipped: not an nrecalc file (kind: Deployment)\n"
    lines = out.splitlines()
    assert lines[0] == "4 quotes"
    ids = [line.split()[0] for line in lines if line.startswith("  Q-")]
    assert ids == ["Q-1", "Q-2", "Q-3", "Q-4"]
    row = next(line for line in lines if line.startswith("  Q-2 "))
    assert "discount needs approval" in row and "2026-12-22" in row
    totals = [line.split() for line in out.split("Totals per currency")[1].splitlines()]
    assert totals[4][:3] == ["CNY", "3", "¥495,000.00"]
    assert totals[5] == ["USD", "1", "US$165,000.00", "US$509,065.00", "US$6,360.00"]
    assert "never summed" in out


def test_json_shape(quotes: Path) -> None:
    code, out, _ = run("quote", "q", "--format", "json")
    assert code == 0
    found = json.loads(out)
    assert list(found) == ["schema_version", "quotes", "totals", "errors"]
    assert [q["quote"]["id"] for q in found["quotes"]] == ["Q-1", "Q-2", "Q-3", "Q-4"]
    _, one, _ = run("quote", "q/deeper/c.yml", "--format", "json")
    assert found["quotes"][0] == json.loads(one)  # each quote in full, as it prints alone
    assert list(found["totals"]) == ["CNY", "USD"]
    assert found["totals"]["USD"] == {
        "quotes": 1,
        "nre": "165000.00",
        "custom_total": found["quotes"][3]["custom"]["total"],
        "standard_total": found["quotes"][3]["standard"]["total"],
    }
    assert found["errors"] == []


def test_csv_one_row_per_estimate(quotes: Path) -> None:
    code, out, _ = run("quote", "q", "--format", "csv")
    assert code == 0 and out.startswith("\ufeffid,customer,title,currency,nre,")
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert [r["id"] for r in rows] == ["Q-1", "Q-2", "Q-3", "Q-4"]
    assert rows[1]["flags"] == "discount_approval" and rows[3]["currency"] == "USD"
    assert rows[0]["estimate"] == "q/deeper/c.yml"


def test_a_failing_file_is_told_left_out_and_the_rest_quoted(quotes: Path) -> None:
    (quotes / "bad.yaml").write_text(estimate("Q-9").replace("weeks: 3", "weeks: -3"))
    code, out, err = run("quote", "q", "--format", "json")
    assert code == 1
    found = json.loads(out)
    assert [q["quote"]["id"] for q in found["quotes"]] == ["Q-1", "Q-2", "Q-3", "Q-4"]
    assert found["totals"]["CNY"]["quotes"] == 3
    [error] = found["errors"]
    assert error["path"] == "q/bad.yaml" and error["field"].startswith("custom.build")
    assert f"{error['path']}:{error['line']}:{error['column']}: error: " in err
    code, out, _ = run("quote", "q")
    assert code == 1 and "1 file could not be quoted" in out


def test_duplicate_ids_name_both_files(quotes: Path) -> None:
    (quotes / "z.yaml").write_text(estimate("Q-3"), encoding="utf-8")
    code, out, err = run("quote", "q", "--format", "csv")
    assert code == 1
    assert err.splitlines()[1:] == [
        "q/b.yaml:5:5: error: id: 'Q-3' is also the id of q/z.yaml; give each quote its own id",
        "q/z.yaml:5:5: error: id: 'Q-3' is also the id of q/b.yaml; give each quote its own id",
    ]
    assert "Q-3" not in out


def test_an_empty_folder_or_one_of_cards_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert run("quote", str(tmp_path / "empty")) == (
        1,
        "",
        f"{tmp_path / 'empty'}: error: is a folder; expected a YAML file\n",
    )
    code, out, err = run("quote", str(RATES), "--format", "json")
    assert (code, err) == (1, f"{RATES}: error: no estimates found here\n")
    errors = json.loads(out)["errors"]  # a script reads it in the JSON too
    assert [each["message"] for each in errors] == ["no estimates found here"]


def test_documents_into_a_folder_none_clobbered(quotes: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, _ = run("quote", "q", "--format", "markdown", "-o", str(out))
    assert (code, stdout) == (0, "")
    names = ["Q-1.md", "Q-2.md", "Q-3.md", "Q-4.md"]
    assert sorted(p.name for p in out.iterdir()) == names
    for name in names:
        (out / name).unlink()
    (out / "Q-3.md").write_text("mine", encoding="utf-8")
    code, _, err = run("quote", "q", "--format", "markdown", "-o", str(out))
    assert code == 3
    refused = f"{out / 'Q-3.md'}: error: already exists; use --force to overwrite it"
    assert err.splitlines()[-1] == refused
    assert sorted(p.name for p in out.iterdir()) == ["Q-3.md"]  # none written
    assert (out / "Q-3.md").read_text(encoding="utf-8") == "mine"
    code, _, _ = run("quote", "q", "--format", "markdown", "-o", str(out), "--force")
    assert code == 0 and sorted(p.name for p in out.iterdir()) == names
    assert (out / "Q-3.md").read_text(encoding="utf-8").startswith("# ")


def test_batch_usage_errors(quotes: Path) -> None:
    assert run("quote", "q", "--format", "html")[0] == 2  # documents need -o FOLDER
    assert run("quote", "q", "--explain")[0] == 2
    assert run("quote", "q", "-o", "out")[0] == 2  # a folder, but no document format
    code, _, _ = run("quote", "q", "-o", "summary.json")
    assert code == 0 and json.loads(Path("summary.json").read_text())["totals"]


def test_an_id_that_cannot_name_a_file_is_an_error(quotes: Path, tmp_path: Path) -> None:
    (quotes / "evil.yaml").write_text(estimate("../../escape"), encoding="utf-8")
    code, _, err = run("quote", "q", "--format", "note", "-o", str(tmp_path / "out"))
    assert code == 1
    assert "q/evil.yaml:5:5: error: id: '../../escape' cannot name the document's file" in err
    assert len(list((tmp_path / "out").iterdir())) == 4
    assert not (tmp_path / "escape.txt").exists()


def test_the_summary_in_chinese_and_fitted_to_80_columns(quotes: Path) -> None:
    from nrecalc.render.summary import render_table

    batch = quote_paths([quotes], Settings(Format.table, TODAY))
    for width in (80, 100, 120):
        text = render_table(batch.rows, batch.failed, "en", True, width)
        assert max(len(line) for line in text.splitlines()) <= width
        assert text.count("¥165,000.00") == 3  # no figure cut
    code, out, _ = run("quote", "q", "--lang", "zh-CN")
    assert code == 0 and "共 4 份报价" in out and "按币种合计" in out and "折扣需审批" in out


def test_the_pool_gives_what_one_process_gives(quotes: Path) -> None:
    for fmt in (Format.json, Format.table):
        settings = Settings(fmt, TODAY)
        assert quote_paths([quotes], settings, pool=True) == quote_paths(
            [quotes], settings, pool=False
        )
    assert validate_paths([quotes.parent], today=TODAY, pool=True) == validate_paths(
        [quotes.parent], today=TODAY, pool=False
    )


def test_bad_input_never_crashes(quotes: Path) -> None:
    (quotes / "x.yaml").write_bytes(b"kind: estimate\nid: [\x00\xff")
    (quotes / "y.yaml").write_text("rate_card: default\ncustom: {}\n", encoding="utf-8")
    (quotes / "z.yaml").write_text(estimate("Q-8", card="nope"), encoding="utf-8")
    code, out, err = run("quote", "q", "missing.yaml", "--format", "json")
    assert code == 1 and "Traceback" not in err
    paths = [e["path"] for e in json.loads(out)["errors"]]
    assert paths[0] == "missing.yaml"
    assert {"q/x.yaml", "q/y.yaml", "q/z.yaml"} <= set(paths)
    assert "no `kind:`; this looks like an estimate" in err


def test_a_real_process(quotes: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "nrecalc", "quote", "q", "--format", "csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.count("\n") == 5


# --- found in review ------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["机" * 100, "CON", "nul.txt"], ids=["long", "CON", "nul"])
def test_ids_no_disk_can_name_are_errors_and_the_rest_written(
    quotes: Path, tmp_path: Path, bad: str
) -> None:
    (quotes / "evil.yaml").write_text(estimate(bad), encoding="utf-8")
    code, _, err = run("quote", "q", "--format", "note", "-o", str(tmp_path / "out"))
    assert code == 1
    assert "q/evil.yaml:5:5: error: id: " in err and "cannot name the document's file" in err
    assert len(list((tmp_path / "out").iterdir())) == 4


def test_ids_that_differ_in_case_alone_are_duplicates(quotes: Path) -> None:
    (quotes / "lower.yaml").write_text(estimate("q-3"), encoding="utf-8")
    code, _, err = run("quote", "q", "--format", "json")
    assert code == 1
    assert "q/lower.yaml" in err and "q/b.yaml" in err


def test_json_tells_the_errors_when_nothing_could_be_quoted(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "x.yaml").write_text(estimate("Q-1").replace("engineers: 2", "engineers: two"))
    (folder / "y.yaml").write_text(estimate("Q-2").replace("engineers: 2", "engineers: two"))
    code, out, err = run("quote", str(folder), "--format", "json")
    assert code == 1 and err
    data = json.loads(out)
    assert data["quotes"] == [] and data["totals"] == {} and len(data["errors"]) == 2


def test_a_path_with_control_characters_is_inert_in_the_csv(quotes: Path) -> None:
    (quotes / "b.yaml").rename(quotes / "y\x1b[31m.yaml")
    code, out, _ = run("quote", "q", "--format", "csv")
    assert code == 0
    assert "\x1b" not in out and "y\\x1b[31m.yaml" in out


def test_a_file_name_for_a_batch_of_documents_is_a_usage_error(quotes: Path) -> None:
    code, _, err = run("quote", "q", "--format", "html", "-o", "out.html")
    assert code == 2 and "give -o FOLDER and --format" in " ".join(err.split())
    assert not Path("out.html").exists()
