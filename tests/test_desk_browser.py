"""The desk in a real browser (Debian's chromium, headless, driven by Selenium through chromium-driver), as a clerk and
the office use it on a 1366×768 laptop: a unit opens its link, uploads a workbook with mistakes, sees the findings,
downloads the annotated copy, uploads the corrected one and submits; the office logs in, sees the state, returns the
unit with a comment and downloads the summary; the unit sees the comment. A screenshot of each page is saved
(``XLTOOL_SCREENSHOTS`` names the folder; by default the test's own) and no page is wider than the window."""

from __future__ import annotations

import csv
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from support import missing, run_xltool

from xltool import api

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "办公室-密码-2024"
LONG_NAME = "高新区委网信办——名称很长的一个单位（用于检查版面）网络安全和信息化委员会办公室"


def _browser_binaries() -> tuple[str, str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if chromium and driver:
        return chromium, driver
    missing("chromium with its driver", "chromium chromium-driver")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("desk-browser")
    port = _free_port()
    (folder / "pw.txt").write_text(PASSWORD, encoding="utf-8")
    (folder / "units.csv").write_bytes(
        (
            f"单位名称,单位代码,所属地区\n北城区委网信办,500104001,江临市/北城区\n{LONG_NAME},500103001,江临市/高新区\n"
        ).encode("gbk")
    )
    data = folder / "desk"
    base = f"http://127.0.0.1:{port}"
    assert run_xltool("desk", "init", "--data", str(data), "--office", "江临市财政局", "--year", "2023",
                      "--deadline", "2024-03-31", "--url", base,
                      "--password-file", str(folder / "pw.txt")).returncode == 0  # fmt: skip
    assert run_xltool("desk", "add-units", str(folder / "units.csv"), "--data", str(data)).returncode == 0
    with open(data / "links.csv", encoding="utf-8-sig", newline="") as f:
        links = {row["单位代码"]: row["链接"] for row in csv.DictReader(f)}
    server = subprocess.Popen(
        [sys.executable, "-m", "xltool", "serve", "--data", str(data), "--port", str(port), "--processes", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("the desk did not start")
        yield {"base": base, "links": links, "folder": folder}
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser(served):
    chromium, driver_path = _browser_binaries()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = served["folder"] / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1366,768", "--lang=zh-CN", "--force-device-scale-factor=1"):  # fmt: skip
        options.add_argument(arg)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(120)
    shots = Path(os.environ.get("XLTOOL_SCREENSHOTS") or (served["folder"] / "screenshots"))
    shots.mkdir(parents=True, exist_ok=True)
    try:
        yield {"driver": driver, "downloads": downloads, "shots": shots}
    finally:
        driver.quit()


def _shot(browser, name: str) -> None:
    """A screenshot of what the window shows, and a check that the page is no wider than the window."""
    driver = browser["driver"]
    driver.save_screenshot(str(browser["shots"] / f"{name}.png"))
    wide = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, f"{name}: the page is {wide}px wider than the window"


def _downloaded(browser, suffix: str, before: set[str], seconds: float = 60) -> Path:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = [p for p in browser["downloads"].iterdir() if p.name not in before and p.name.endswith(suffix)]
        if done:
            return done[0]
        time.sleep(0.3)
    raise AssertionError(f"no {suffix} downloaded")


def _workbook(folder: Path, example: str, name: str, code: str) -> Path:
    data = yaml.safe_load((ROOT / "examples" / f"{example}.yaml").read_text(encoding="utf-8"))
    data["unit"]["name"], data["unit"]["code"] = name, code
    out = folder / f"{example}-{code}.xlsx"
    api.fill(data, out, force=True)
    return out


def _shows(driver, text: str, css: str = "body", seconds: float = 60) -> str:
    """Wait until the page (after a click that navigates) shows ``text`` in ``css``; its text then."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    # the old page may go away between finding an element and reading it: look again until the new one shows
    waiting = WebDriverWait(
        driver, seconds, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)
    )
    waiting.until(lambda d: text in d.find_element(By.CSS_SELECTOR, css).text)
    return str(driver.find_element(By.CSS_SELECTOR, css).text)


def _upload(driver, path: Path) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, "form.upload input[type=file]").send_keys(str(path))
    driver.find_element(By.CSS_SELECTOR, "form.upload button").click()


def test_a_unit_and_the_office_work_through_the_desk(served, browser):
    from selenium.webdriver.common.by import By

    driver = browser["driver"]
    link = served["links"]["500104001"]
    driver.get(link)
    assert "北城区委网信办" in driver.page_source and "未报" in driver.page_source
    _shot(browser, "1-unit-page")

    _upload(driver, _workbook(served["folder"], "beicheng", "北城区委网信办", "500104001"))
    text = _shows(driver, "第 1 版")
    assert "有错误" in text and "分值合计" in text and "重新计算" in text
    cells = driver.find_elements(By.CSS_SELECTOR, "table.findings td.where")
    assert any("!" in c.text for c in cells), "findings point at sheet cells"
    _shot(browser, "2-unit-findings")
    driver.execute_script("window.scrollTo(0, document.body.scrollHeight / 3)")
    _shot(browser, "3-unit-findings-scrolled")

    before = {p.name for p in browser["downloads"].iterdir()}
    driver.find_element(By.PARTIAL_LINK_TEXT, "下载标注副本").click()
    annotated = _downloaded(browser, ".xlsx", before)
    assert annotated.name.startswith("500104001-v1") and annotated.stat().st_size > 0

    driver.get(link)
    _upload(driver, _workbook(served["folder"], "donghu", "北城区委网信办", "500104001"))
    assert "无错误" in _shows(driver, "第 2 版")
    driver.find_element(By.XPATH, "//button[contains(., '送审第')]").click()
    _shows(driver, "待审", ".unit-head")
    _shot(browser, "4-unit-submitted")

    driver.get(served["base"] + "/office")
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form.login button").click()
    board = _shows(driver, "收集进度")
    assert "收集进度" in board and "待审 1" in board and LONG_NAME in board
    _shot(browser, "5-office-board")

    driver.find_element(By.LINK_TEXT, "北城区委网信办").click()
    _shows(driver, "单位代码 500104001", ".unit-head")
    driver.find_element(By.NAME, "comment").send_keys("请补充“全年网络舆情交办任务数”的偏差原因")
    driver.find_element(By.XPATH, "//button[@value='return']").click()
    _shows(driver, "已退回", ".unit-head")
    _shot(browser, "6-office-unit-returned")

    before = {p.name for p in browser["downloads"].iterdir()}
    driver.get(served["base"] + "/office")
    driver.find_element(By.LINK_TEXT, "下载汇总表").click()
    summary = _downloaded(browser, ".xlsx", before, seconds=120)
    assert "汇总" in summary.name

    driver.get(served["base"] + "/office/findings")
    _shot(browser, "7-office-findings")

    driver.get(link)
    text = _shows(driver, "办公室已退回")
    assert "偏差原因" in text
    _shot(browser, "8-unit-returned")

    driver.get(served["links"]["500103001"])
    assert LONG_NAME in driver.page_source
    _shot(browser, "9-long-unit-name")
