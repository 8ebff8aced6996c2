"""The command line speaks its user's language throughout: help, usage errors and option texts included."""

from __future__ import annotations

import pytest
from support import run_xltool as run


def test_a_mistyped_command_is_answered_in_chinese():
    result = run("validat")
    assert result.returncode == 2
    assert "没有名为 'validat' 的命令" in result.stderr and "是否要用 'validate'" in result.stderr
    assert "用法：" in result.stderr and "No such command" not in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (("validate",), "缺少参数 'inputs'", "Missing argument 'inputs'"),
        (("validate", "a.xlsx", "--format", "xml"), "'xml' 不是 'text', 'json' 之一", "'xml' is not one of"),
        (("template", "--form", "department", "-o", "t.xlsx", "--bogus"), "没有这个选项：--bogus", "No such option"),
        (("consolidate", "x", "-o"), "选项 '-o' 需要一个值", "requires an argument"),
    ],
)
def test_usage_errors_speak_chinese_by_default_and_english_on_request(args, zh, en):
    chinese = run(*args)
    assert chinese.returncode == 2 and zh in chinese.stderr and "错误：" in chinese.stderr
    english = run("--lang", "en", *args)
    assert english.returncode == 2 and en in english.stderr and "Error:" in english.stderr
    assert "错误" not in english.stderr


def test_help_speaks_chinese_by_default_and_english_on_request():
    chinese = run("validate", "--help")
    assert chinese.returncode == 0
    for words in ("用法：", "参数：", "选项：", "显示本帮助并退出。", "[必填]", "[默认：text]"):
        assert words in chinese.stdout, words
    assert "Show this message" not in chinese.stdout and "Usage:" not in chinese.stdout
    english = run("validate", "--help", "--lang", "en")
    assert "Usage:" in english.stdout and "Show this message and exit." in english.stdout
    assert "命令：" in run("--help").stdout
    assert "Usage:" in run("--help", env={"XLTOOL_LANG": "en"}).stdout
