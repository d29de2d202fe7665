"""Quotes in Chinese and bilingual (SPEC 6.1): language:, --lang, and what stays English."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, card_in
from typer.testing import CliRunner

from nrecalc.cli import app
from nrecalc.render import words

ZH_EXAMPLE = str(EXAMPLES / "reverse-push-zh.yaml")
EN_EXAMPLE = str(EXAMPLES / "reverse-push.yaml")
CJK = re.compile("[\u4e00-\u9fff]")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def quote(*args: str) -> str:
    code, out, err = run("quote", *args)
    assert (code, err) == (0, ""), err
    return out


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_the_estimate_sets_the_language_and_lang_overrides_it() -> None:
    assert "## 1. 可选方案" in quote(ZH_EXAMPLE, "--format", "markdown")
    assert "## 1. Your options" in quote(ZH_EXAMPLE, "--format", "markdown", "--lang", "en")
    assert "## 1. 可选方案" in quote(EN_EXAMPLE, "--format", "markdown", "--lang", "zh-CN")
    both = quote(EN_EXAMPLE, "--format", "markdown", "--lang", "zh-CN+en")
    assert "## 1. 可选方案 / Your options" in both  # Chinese first


def test_a_language_nrecalc_does_not_speak_is_a_usage_error() -> None:
    code, _, err = run("quote", EN_EXAMPLE, "--lang", "fr")
    assert code == 2
    assert "'fr' is not one of en, zh-CN, zh-CN+en" in " ".join(err.split())


def test_json_is_the_same_in_every_language() -> None:
    english = quote(ZH_EXAMPLE, "--format", "json", "--lang", "en")
    for language in ("zh-CN", "zh-CN+en"):
        assert quote(ZH_EXAMPLE, "--format", "json", "--lang", language) == english
    assert not CJK.search(json.dumps(json.loads(english)["options"]))  # labels stay English


def test_csv_headers_stay_english_and_labels_follow_the_language() -> None:
    text = quote(ZH_EXAMPLE, "--format", "csv").lstrip("\ufeff")
    head, *rows = text.splitlines()
    columns = "option,section,task,role,engineers,weeks,quantity,unit,rate,amount,year,currency"
    assert head == columns
    assert any(row.startswith("定制开发,build,数据反向推送连接器,") for row in rows)
    assert ",build,数据反向推送连接器,engineer,2,3,6,person-week," in text  # codes stay


def test_help_and_errors_stay_english(tmp_path: Path) -> None:
    _, out, _ = run("quote", "--help")
    assert "--lang" in out and not CJK.search(out)
    bad = tmp_path / "bad.yaml"
    source = Path(ZH_EXAMPLE).read_text(encoding="utf-8")
    bad.write_text(source.replace("engineers: 2", "engineers: two"), encoding="utf-8")
    code, _, err = run("quote", str(bad), "--rates", str(ROOT / "rates" / "default.yaml"))
    assert code == 1
    assert "custom.build[0].engineers" in err and not CJK.search(err.split(": error: ")[1])


def test_a_bad_language_in_the_estimate_is_a_located_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    source = Path(ZH_EXAMPLE).read_text(encoding="utf-8")
    bad.write_text(source.replace("language: zh-CN ", "language: zh-cn "), encoding="utf-8")
    code, out, _ = run("validate", str(bad))
    assert code == 1
    assert "language: must be one of en, zh-CN or zh-CN+en; did you mean zh-CN?" in out
    assert re.search(r"bad\.yaml:13:11: error: language: ", out)


def test_dates_wan_yuan_and_capital_figures_in_chinese() -> None:
    note = quote(ZH_EXAMPLE, "--format", "note")
    assert "报价有效期至 2026年12月22日" in note
    assert "¥483,611.75（约 48.36 万元）" in note  # the total in 万元 too
    doc = quote(ZH_EXAMPLE, "--format", "markdown")
    assert "人民币肆拾捌万叁仟陆佰壹拾壹元柒角伍分" in doc  # SPEC 6.1's example: the total
    for amount, figures in [
        ("¥49,846.50", "人民币肆万玖仟捌佰肆拾陆元伍角"),
        ("¥66,462.00", "人民币陆万陆仟肆佰陆拾贰元整"),
        ("¥111,021.75", "人民币壹拾壹万壹仟零贰拾壹元柒角伍分"),
    ]:  # every payment of the schedule, in the same row
        assert re.search(rf"\| +{re.escape(amount)} \| {figures} +\|", doc), amount
    assert "| 合计（大写）" in doc
    assert "人民币" not in quote(EN_EXAMPLE, "--format", "markdown")  # English: no capitals


def test_no_capital_figures_for_other_currencies(tmp_path: Path) -> None:
    rates = tmp_path / "rates"
    rates.mkdir()
    (rates / "default.yaml").write_text(card_in("USD"), "utf-8")
    estimate = tmp_path / "q.yaml"
    estimate.write_text(Path(ZH_EXAMPLE).read_text(encoding="utf-8"), encoding="utf-8")
    doc = quote(str(estimate), "--format", "markdown")
    assert "US$" in doc and "人民币" not in doc and "大写" not in doc and "万元" not in doc


def test_bilingual_fills_each_language_with_its_own_words() -> None:
    doc = quote(ZH_EXAMPLE, "--format", "markdown", "--lang", "zh-CN+en")
    assert "第 1 年 / Year 1" in doc
    # a sentence is whole in each language: no Chinese count inside the English one
    sentence = next(line for line in doc.splitlines() if "Custom costs" in line)
    english = sentence[sentence.index("Custom costs") :]
    assert not CJK.search(english), english
    assert "over 3 years, tax included" in english


def test_both_splits_by_language() -> None:
    bilingual = words.catalog("zh-CN+en")
    years = bilingual.count("count.year", 3)
    assert (years, years.zh, years.en) == ("3 年 / 3 years", "3 年", "3 years")  # type: ignore[attr-defined]
    said = bilingual.say("term.validity", date="2026-12-22", days=years)
    assert said.zh.endswith("（自报价日期起 3 年）。")  # type: ignore[attr-defined]
    assert said.en == "This quote is valid until 2026-12-22, 3 years from its date."  # type: ignore[attr-defined]
    assert said == f"{said.zh} {said.en}"  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", ["zh-CN", "zh-CN+en"])
@pytest.mark.parametrize(("fmt", "name"), [("markdown", "q.md"), ("html", "q.html")])
def test_chinese_and_bilingual_documents_verify(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str, fmt: str, name: str
) -> None:
    doc = tmp_path / name
    quote(ZH_EXAMPLE, "--format", fmt, "--lang", language, "-o", str(doc))
    assert f" lang={language} " in doc.read_text(encoding="utf-8")
    code, out, _ = run("verify", str(doc), ZH_EXAMPLE)
    assert code == 0, out
    doc.write_text(doc.read_text(encoding="utf-8").replace("¥66,462.00", "¥96,462.00", 1), "utf-8")
    code, out, _ = run("verify", str(doc), ZH_EXAMPLE)
    assert code == 1 and "¥96,462.00" in out


def test_english_start_up_loads_no_chinese() -> None:
    # `quote` in English must not pay for the Chinese catalog or the capital figures.
    code = (
        "import runpy, sys; sys.argv = ['nrecalc', 'quote', 'examples/reverse-push.yaml', "
        "'--format', 'markdown']\n"
        "try:\n    runpy.run_module('nrecalc', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.endswith(('words_zh', 'capital'))), "
        "file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stderr.strip().splitlines()[-1] == "[]"
