"""The collection desk (``xltool serve``) as units and the office use it, through its HTTP interface: set up by the
commands an office runs, a unit uploads, sees its findings (exactly ``validate --format json``), explains a warning,
送审; the office logs in, returns and approves, downloads the summary (exactly ``consolidate``); every unit reaches
only its own pages; hostile, oversized and slow files are answered and the desk keeps serving. Run on SQLite, and
on PostgreSQL where ``XLTOOL_TEST_PG`` names a server (CI does)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from starlette.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent / "data" / "hostile"))
from make_corpus import build as build_hostile
from support import run_xltool

from xltool import api
from xltool.desk.app import Settings, create_app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PASSWORD = "办公室-密码-2024"
UNITS_CSV = (
    "单位名称,单位代码,所属地区,联系人,电话\n"
    "东湖区委网信办,500101001,江临市/东湖区,张三,023-0001\n"
    "西山区委网信办,500102001,江临市/西山区,李四,023-0002\n"
    "高新区委网信办——名称很长的一个单位（用于检查版面）网络安全和信息化委员会办公室,500103001,江临市/高新区,,\n"
)


def _databases() -> list[str]:
    found = ["sqlite"]
    if os.environ.get("XLTOOL_TEST_PG"):
        found.append("postgresql")
    elif os.environ.get("XLTOOL_REQUIRE_SOFFICE") == "1":  # CI, where everything must run
        pytest.fail("CI runs the desk on PostgreSQL too: XLTOOL_TEST_PG must name a server")
    return found


def _fresh_pg_url(name: str) -> str:
    """A new, empty database on the test server for one data folder."""
    import psycopg

    base = os.environ["XLTOOL_TEST_PG"]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + f"/{name}"


def _setup(folder: Path, db: str) -> dict[str, Any]:
    """What an office runs: desk init (password from a file), add-units from a CSV saved by Excel in GBK, desk key."""
    (folder / "pw.txt").write_text(PASSWORD, encoding="utf-8")
    units = folder / "units.csv"
    units.write_bytes(UNITS_CSV.encode("gbk"))
    data = folder / "desk"
    db_args = ["--db", _fresh_pg_url(f"xltool_desk_{os.getpid()}_{folder.name}".lower())] if db == "postgresql" else []
    made = run_xltool("desk", "init", "--data", str(data), "--office", "江临市财政局", "--year", "2023",
                      "--form", "department", "--form", "project", "--deadline", "2024-03-31",
                      "--url", "http://desk.test", "--password-file", str(folder / "pw.txt"), *db_args)  # fmt: skip
    assert made.returncode == 0, made.stderr
    added = run_xltool("desk", "add-units", str(units), "--data", str(data))
    assert added.returncode == 0, added.stderr
    key = run_xltool("desk", "key", "--data", str(data))
    assert key.returncode == 0, key.stderr
    with open(data / "links.csv", encoding="utf-8-sig", newline="") as f:
        links = {row["单位代码"]: row["链接"] for row in csv.DictReader(f)}
    return {"data": data, "links": links, "key": key.stdout.strip(), "db": db_args[1] if db_args else None}


def _token(link: str) -> str:
    assert link.startswith("http://desk.test/u/")
    return link.rsplit("/", 1)[1]


@pytest.fixture(scope="module", params=_databases())
def desk(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"desk-{request.param}")
    made = _setup(folder, request.param)
    settings = Settings(data=made["data"], db_url=made["db"], processes=2, timeout=60)
    with TestClient(create_app(settings), base_url="http://desk.test") as client:
        yield {**made, "client": client, "folder": folder}


def _filled(folder: Path, example: str, **changes: Any) -> Path:
    """One of the example units' workbooks, as a clerk fills the template (via xltool fill)."""
    data = yaml.safe_load((EXAMPLES / f"{example}.yaml").read_text(encoding="utf-8"))
    for key, value in changes.items():
        data[key] = value
    out = folder / f"{example}-{len(changes)}.xlsx"
    api.fill(data, out, force=True)
    return out


def _upload(client: TestClient, token: str, path: Path, name: str | None = None):
    with open(path, "rb") as f:
        return client.post(
            f"/api/u/{token}/uploads", files={"file": (name or path.name, f, "application/octet-stream")}
        )


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found[1]


def _login(client: TestClient, password: str = PASSWORD):
    page = client.get("/office/login")
    return client.post("/office/login", data={"password": password, "csrf": _csrf(page.text)}, follow_redirects=False)


def test_healthz_and_headers(desk):
    answer = desk["client"].get("/healthz")
    assert answer.status_code == 200 and answer.json() == {"ok": True}
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff" and answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "no-referrer"


def test_the_links_are_listed_again_and_kept_when_a_unit_is_added_again(desk):
    data = desk["data"]
    listed = run_xltool("desk", "links", "--data", str(data))
    assert listed.returncode == 0
    for code, link in desk["links"].items():
        assert f"{code}\t" in listed.stdout and link in listed.stdout
    again = desk["folder"] / "again.csv"
    again.write_text(
        "单位代码,单位名称,所属地区\n500101001,东湖区委网信办（更名）,江临市/东湖区\n", encoding="utf-8-sig"
    )
    assert (
        run_xltool(
            "desk", "add-units", str(again), "--data", str(data), "-o", str(desk["folder"] / "l2.csv")
        ).returncode
        == 0
    )
    with open(desk["folder"] / "l2.csv", encoding="utf-8-sig", newline="") as f:
        rows = {row["单位代码"]: row for row in csv.DictReader(f)}
    assert rows["500101001"]["链接"] == desk["links"]["500101001"]
    assert rows["500101001"]["单位名称"] == "东湖区委网信办（更名）"
    token = _token(desk["links"]["500101001"])
    assert "东湖区委网信办（更名）" in desk["client"].get(f"/u/{token}").text


def test_a_unit_downloads_its_template_with_its_name_code_and_year(desk, tmp_path):
    token = _token(desk["links"]["500102001"])
    page = desk["client"].get(f"/u/{token}")
    assert page.status_code == 200 and "西山区委网信办" in page.text and "500102001" in page.text
    got = desk["client"].get(f"/u/{token}/template/department")
    assert got.status_code == 200
    assert "500102001" in got.headers["content-disposition"]
    path = tmp_path / "t.xlsx"
    path.write_bytes(got.content)
    document = api.export(path)
    assert (document["unit"]["name"], document["unit"]["code"], document["year"]) == (
        "西山区委网信办",
        "500102001",
        2023,
    )
    assert document["unit"]["region"] == ["江临市", "西山区"]
    assert desk["client"].get(f"/u/{token}/template/other").status_code == 404


def test_an_upload_answers_exactly_what_validate_json_gives(desk):
    client, folder = desk["client"], desk["folder"]
    token = _token(desk["links"]["500102001"])
    workbook = _filled(folder, "xishan")
    answer = _upload(client, token, workbook, name="西山 自评表.xlsx")
    assert answer.status_code == 201, answer.text
    body = answer.json()
    version = body.pop("version")
    stored = Path(body["file"])
    assert stored.is_file() and stored.read_bytes() == workbook.read_bytes()
    cli = run_xltool("validate", "--format", "json", "--profile", "national", str(stored))
    (expected,) = [json.loads(line) for line in cli.stdout.splitlines()]
    assert body == expected
    listed = client.get(f"/api/u/{token}/uploads").json()["versions"]
    assert [v["version"] for v in listed] == [version]
    assert client.get(f"/api/u/{token}/uploads/{version}/file").content == workbook.read_bytes()
    page = client.get(f"/u/{token}/v/{version}").text
    for finding in expected["findings"]:
        assert (
            finding["message"].replace("&", "&amp;").replace('"', "&#34;")[:20] in page
            or finding["message"][:20] in page
        )
        if finding["cell"]:
            assert finding["cell"] in page


def test_findings_errors_block_submission_and_a_corrected_copy_goes_through(desk):
    client, folder = desk["client"], desk["folder"]
    token = _token(desk["links"]["500101001"])
    broken = _filled(folder, "beicheng")  # the example that keeps deliberate mistakes
    first = _upload(client, token, broken)
    assert first.status_code == 201 and not first.json()["valid"]
    page = client.get(f"/u/{token}").text
    assert "有错误" in page and "送审第" not in page
    refused = client.post(f"/u/{token}/submit", data={"csrf": _csrf(page)}, follow_redirects=False)
    assert refused.status_code == 409
    fixed = _upload(client, token, _filled(folder, "donghu"))
    assert fixed.status_code == 201 and fixed.json()["valid"], fixed.json()["findings"]
    page = client.get(f"/u/{token}").text
    moved = client.post(f"/u/{token}/submit", data={"csrf": _csrf(page)}, follow_redirects=False)
    assert moved.status_code == 303
    assert "待审" in client.get(f"/u/{token}").text
    again = _upload(client, token, broken)
    assert again.status_code == 409  # submitted: withdraw first


def test_a_warning_gets_an_explanation_the_office_sees(desk):
    client, folder = desk["client"], desk["folder"]
    token = _token(desk["links"]["500103001"])
    data = yaml.safe_load((EXAMPLES / "gaoxin.yaml").read_text(encoding="utf-8"))
    moved = [dict(ind) for ind in data["indicators"]]
    out_of = next(i for i, ind in enumerate(moved) if ind["level1"] == "产出指标")
    into = next(i for i, ind in enumerate(moved) if ind["level1"] == "效益指标")
    for i, change in ((out_of, -5), (into, 5)):  # 产出 45 / 效益 35: the blocks differ from the profile's (a warning)
        moved[i]["weight"] += change
        moved[i].pop("score", None)
    answer = _upload(client, token, _filled(folder, "gaoxin", indicators=moved))
    body = answer.json()
    warnings = [f for f in body["findings"] if f["severity"] == "warning"]
    assert warnings, "the example has a warning to explain"
    f = warnings[0]
    key = f"{f['code']}@{f['sheet']}!{f['cell']}" if f["sheet"] else f"{f['code']}@{f['cell'] or ''}"
    page = client.get(f"/u/{token}/v/{body['version']}").text
    said = client.post(f"/u/{token}/v/{body['version']}/explain",
                       data={"csrf": _csrf(page), "finding": key, "text": "该指标按上级文件口径填写"},
                       follow_redirects=False)  # fmt: skip
    assert said.status_code == 303
    assert "该指标按上级文件口径填写" in client.get(f"/u/{token}/v/{body['version']}").text
    bogus = client.post(f"/u/{token}/v/{body['version']}/explain",
                        data={"csrf": _csrf(page), "finding": "weight.sum@x!A1", "text": "x"})  # fmt: skip
    assert bogus.status_code == 404


def test_the_office_logs_in_returns_and_approves(desk):
    client = desk["client"]
    assert client.get("/office", follow_redirects=False).status_code == 303
    assert _login(client, "wrong password").status_code == 403
    assert _login(client).status_code == 303
    board = client.get("/office").text
    for name in ("东湖区委网信办", "西山区委网信办", "待审", "江临市 › 东湖区"):
        assert name in board
    token = _token(desk["links"]["500101001"])
    detail = client.get("/office/units/500101001").text
    csrf = _csrf(detail)
    no_comment = client.post("/office/units/500101001/decide", data={"csrf": csrf, "action": "return"})
    assert no_comment.status_code == 400
    returned = client.post("/office/units/500101001/decide",
                           data={"csrf": csrf, "action": "return", "comment": "请补充偏差原因"}, follow_redirects=False)  # fmt: skip
    assert returned.status_code == 303
    unit_page = client.get(f"/u/{token}").text
    assert "请补充偏差原因" in unit_page and "已退回" in unit_page
    assert "查看</a> · 已退回" in unit_page  # the returned version says so in the list of versions
    again = client.post(f"/u/{token}/submit", data={"csrf": _csrf(unit_page)}, follow_redirects=False)
    assert again.status_code == 303
    approved = client.post("/office/units/500101001/decide", data={"csrf": csrf, "action": "approve"},
                           follow_redirects=False)  # fmt: skip
    assert approved.status_code == 303
    approved_page = client.get(f"/u/{token}").text
    assert "已通过" in approved_page and "查看</a> · 已通过" in approved_page
    assert "查看</a> · 已通过" in client.get("/office/units/500101001").text
    assert _upload(client, token, _filled(desk["folder"], "donghu")).status_code == 409  # frozen once approved
    forged = client.post("/office/units/500101001/decide", data={"csrf": "x", "action": "return", "comment": "x"})
    assert forged.status_code == 403
    log = client.get("/office/audit.csv")
    assert log.content.startswith("\ufeff".encode())
    actions = [row["操作"] for row in csv.DictReader(io.StringIO(log.content.decode("utf-8-sig")))]
    for action in ("init", "add-unit", "upload", "submit", "login", "return", "approve"):
        assert action in actions


def test_the_summary_is_what_consolidate_gives(desk, tmp_path):
    client = desk["client"]
    _login(client)
    got = client.get("/office/summary.json")
    assert got.status_code == 200
    body = json.loads(got.content)
    files = [unit["file"] for unit in body["units"]]
    assert len(files) == 3
    out = tmp_path / "s.json"
    cli = run_xltool("consolidate", *files, "-o", str(tmp_path / "s.xlsx"), "--json", str(out), "--profile", "national")
    assert cli.returncode in (0, 1), cli.stderr
    assert body == json.loads(out.read_text(encoding="utf-8"))
    api_answer = client.get("/api/office/summary.json", headers={"authorization": f"Bearer {desk['key']}"})
    assert api_answer.status_code == 200 and api_answer.json() == body
    assert client.get("/api/office/summary.json", headers={"authorization": "Bearer nope"}).status_code == 401
    workbook = client.get("/office/summary.xlsx")
    assert workbook.status_code == 200
    path = tmp_path / "summary.xlsx"
    path.write_bytes(workbook.content)
    assert openpyxl.load_workbook(path).sheetnames
    report = client.get("/office/summary.docx")
    assert report.status_code == 200 and report.content[:2] == b"PK"


def test_a_unit_reaches_only_its_own_pages(desk):
    client = desk["client"]
    own, other = _token(desk["links"]["500102001"]), _token(desk["links"]["500103001"])
    theirs = client.get(f"/api/u/{other}/uploads").json()["versions"]
    mine = {v["version"] for v in client.get(f"/api/u/{own}/uploads").json()["versions"]}
    foreign = [v["version"] for v in theirs if v["version"] not in mine] or [99]
    made_up = "A" * 43
    for number in foreign:
        for url in (f"/u/{own}/v/{number}", f"/u/{own}/v/{number}/file", f"/u/{own}/v/{number}/annotated",
                    f"/u/{own}/v/{number}/report", f"/api/u/{own}/uploads/{number}/file"):  # fmt: skip
            assert client.get(url).status_code == 404, url
    for token in (made_up, own[:-1], own + "A", "../" + own):
        for url in (f"/u/{token}", f"/u/{token}/template/department", f"/u/{token}/v/1", f"/u/{token}/v/1/file",
                    f"/u/{token}/v/1/annotated", f"/u/{token}/v/1/report", f"/api/u/{token}/uploads",
                    f"/api/u/{token}/uploads/1/file"):  # fmt: skip
            assert client.get(url).status_code == 404, url
    assert client.post(f"/api/u/{made_up}/uploads", files={"file": ("a.xlsx", b"x")}).status_code == 404
    other_csrf = _csrf(client.get(f"/u/{other}").text)
    forged = client.post(f"/u/{own}/submit", data={"csrf": other_csrf})
    assert forged.status_code == 403


def test_a_revoked_or_reissued_link_stops_working(desk):
    client, data = desk["client"], desk["data"]
    old = _token(desk["links"]["500103001"])
    made = run_xltool("desk", "reissue", "500103001", "--data", str(data))
    assert made.returncode == 0
    new = _token(made.stdout.strip())
    assert new != old
    assert client.get(f"/u/{old}").status_code == 404 and client.get(f"/u/{new}").status_code == 200
    assert run_xltool("desk", "revoke", "500103001", "--data", str(data)).returncode == 0
    assert client.get(f"/u/{new}").status_code == 404
    assert run_xltool("desk", "revoke", "nobody", "--data", str(data)).returncode == 2


def test_an_oversized_upload_is_refused_with_413(desk):
    """Over the limit (here 1 MB; 20 MB by default): 413 with a Chinese message, declared length or not."""
    settings = Settings(data=desk["data"], db_url=desk["db"], processes=1, max_upload=1024 * 1024)
    with TestClient(create_app(settings), base_url="http://desk.test") as client:
        token = _token(desk["links"]["500102001"])
        big = b"PK" + b"\0" * (2 * 1024 * 1024)
        answer = client.post(f"/api/u/{token}/uploads", files={"file": ("big.xlsx", big)})
        assert answer.status_code == 413 and "1 MB" in answer.json()["error"]
        page = client.post(f"/u/{token}/upload", files={"file": ("big.xlsx", big)}, data={"csrf": "x"})
        assert page.status_code == 413 and "上限" in page.text
        assert page.headers["x-frame-options"] == "DENY"

        def chunks():  # no declared length: counted while it is read
            for _ in range(40):
                yield b"x" * 65536

        streamed = client.post(f"/api/u/{token}/uploads", content=chunks(),
                               headers={"content-type": "multipart/form-data; boundary=zz"})  # fmt: skip
        assert streamed.status_code == 413 and "上限" in streamed.json()["error"]
        assert client.get("/healthz").status_code == 200


def test_hostile_files_get_their_message_and_the_desk_keeps_serving(desk, tmp_path):
    client = desk["client"]
    token = _token(desk["links"]["500102001"])
    corpus = tmp_path / "hostile"
    corpus.mkdir()
    build_hostile(corpus)
    for name, code in (("zip-bomb.xlsx", "file.too-large"), ("encrypted.xlsx", "file.encrypted"),
                       ("million-rows.xlsx", "file.too-large"), ("not-a-zip.xlsx", "file.unreadable")):  # fmt: skip
        answer = _upload(client, token, corpus / name)
        assert answer.status_code == 201, name
        body = answer.json()
        assert not body["valid"] and body["findings"][0]["code"] == code, (name, body["findings"])
        assert "请" in body["findings"][0]["message"] or body["findings"][0]["message"]
    stray = _upload(client, token, corpus / "stray-cell-xfd.xlsx")
    assert stray.status_code == 201
    assert client.get("/healthz").json() == {"ok": True}


def test_a_slow_file_is_stopped_and_others_are_still_served(desk, monkeypatch):
    """A file whose validation never ends: after the time limit the upload is answered with file.timeout, the worker
    is replaced, and the next file is validated as usual."""
    import support

    from xltool.desk import worker

    settings = Settings(data=desk["data"], db_url=desk["db"], processes=1, timeout=2)
    with TestClient(create_app(settings), base_url="http://desk.test") as client:
        token = _token(desk["links"]["500102001"])
        workbook = _filled(desk["folder"], "xishan")
        monkeypatch.setattr(worker, "validate", support.sleep_in_worker)
        answer = _upload(client, token, workbook)
        assert answer.status_code == 201
        (finding,) = answer.json()["findings"]
        assert finding["code"] == "file.timeout" and "2 秒" in finding["message"]
        assert client.get("/healthz").status_code == 200
        monkeypatch.undo()
        again = _upload(client, token, workbook)
        assert again.status_code == 201 and not any(f["code"].startswith("file.") for f in again.json()["findings"])


def test_uploads_and_logins_are_rate_limited(desk):
    settings = Settings(data=desk["data"], db_url=desk["db"], processes=1, uploads_per_window=1, logins_per_window=2)
    with TestClient(create_app(settings), base_url="http://desk.test") as client:
        token = _token(desk["links"]["500102001"])
        workbook = _filled(desk["folder"], "xishan")
        assert _upload(client, token, workbook).status_code in (201, 409)
        limited = _upload(client, token, workbook)
        assert limited.status_code == 429 and "频繁" in limited.json()["error"]
        codes = [_login(client, "wrong").status_code for _ in range(3)]
        assert codes[-1] == 429


def test_a_form_post_without_its_token_is_refused(desk):
    client = desk["client"]
    token = _token(desk["links"]["500102001"])
    assert client.post(f"/u/{token}/submit", data={}).status_code == 403
    page = client.get("/office/login")
    assert client.post("/office/login", data={"password": PASSWORD}).status_code == 403
    assert client.post("/office/logout", data={}, follow_redirects=False).status_code in (303, 403)
    del page


def test_serving_on_all_addresses_warns(desk):
    import subprocess
    import time

    proc = subprocess.Popen([sys.executable, "-m", "xltool", "serve", "--data", str(desk["data"]), "--host", "0.0.0.0",
                             "--port", "0", "--processes", "1"] + (["--db", desk["db"]] if desk["db"] else []),
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        deadline, seen = time.monotonic() + 60, ""
        while time.monotonic() < deadline and "HTTPS" not in seen:
            line = proc.stderr.readline() if proc.stderr else ""
            if not line:
                break
            seen += line
        assert "同一网络中的其他电脑都能访问" in seen and "HTTPS" in seen
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_other_commands_do_not_load_the_web_stack():
    code = ("import sys, xltool.cli; heavy = {'starlette', 'uvicorn', 'sqlalchemy', 'jinja2', 'alembic', 'pebble'}; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))")  # fmt: skip
    import subprocess

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_file_that_kills_its_worker_is_answered_and_the_next_one_is_served(desk, monkeypatch):
    import support

    from xltool.desk import worker

    settings = Settings(data=desk["data"], db_url=desk["db"], processes=1)
    with TestClient(create_app(settings), base_url="http://desk.test") as client:
        token = _token(desk["links"]["500102001"])
        workbook = _filled(desk["folder"], "xishan")
        monkeypatch.setattr(worker, "validate", support.die_in_worker)
        crashed = _upload(client, token, workbook)
        assert crashed.status_code == 201
        assert crashed.json()["findings"][0]["code"] == "file.unreadable"
        assert "进程意外退出" in crashed.json()["findings"][0]["message"]
        monkeypatch.undo()
        again = _upload(client, token, workbook)
        assert again.status_code == 201 and again.json()["schema"] == "xltool/report@1"
        assert again.json()["findings"] == [] or again.json()["findings"][0]["code"] != "file.unreadable"
