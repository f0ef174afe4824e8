"""Traffic logs: one JSON line per request, personal values removed, 90 days kept."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from home import traffic
from tests.desk_helpers import desk_users


@pytest.fixture
def log_dir(tmp_path, settings):
    settings.TRAFFIC_LOG_DIR = tmp_path / "traffic"
    return settings.TRAFFIC_LOG_DIR


def lines(folder):
    found = []
    for path in sorted(Path(folder).glob("traffic-*.jsonl")):
        found += [json.loads(line) for line in path.read_text().splitlines()]
    return found


@pytest.mark.django_db
def test_a_request_leaves_one_line_without_personal_query_values(client, log_dir):
    token = "Zx8kQ2mN5pR7tV9wY1bC3dF6gH4jK0lA2sD5fG8hJ1k"
    response = client.get(
        "/track/",
        {
            "email": "somchai@example.go.th",
            "q": "สมชาย@example.com",
            "token": token,
            "phone": "081-234-5678",
            "x": "0812345678",
            "page": "2",
            "s": token,
        },
        REMOTE_ADDR="203.0.113.7",
    )
    entries = lines(log_dir)
    assert len(entries) == 1
    entry = entries[0]
    assert set(entry) >= {"time", "client", "user", "method", "path", "query", "status", "bytes"}
    assert entry["client"] == "203.0.113.7"
    assert entry["method"] == "GET"
    assert entry["path"] == "/track/"
    assert entry["status"] == response.status_code
    assert entry["bytes"] == len(response.content) > 0
    assert entry["user"] == ""
    assert "page=2" in entry["query"]
    raw = (log_dir / f"traffic-{timezone.localdate().isoformat()}.jsonl").read_text()
    for secret in ("somchai", "example.com", token, "5678", "0812345678"):
        assert secret not in raw
    # The day's file carries the office's local date.
    assert entry["time"].startswith(timezone.localdate().isoformat())


@pytest.mark.django_db
def test_tracking_tokens_in_the_path_and_the_user_name_are_logged_as_expected(client, log_dir):
    users = desk_users()
    client.force_login(users["officer"])
    client.get("/track/ICT-2569-000001/Zx8kQ2mN5pR7tV9wY1bC3dF6gH4jK0lA2sD5fG8hJ1k/")
    client.post("/track/", {"reference": "x"})
    entries = lines(log_dir)
    assert [e["method"] for e in entries] == ["GET", "POST"]
    assert entries[0]["path"] == "/track/ICT-2569-000001/[removed]/"
    assert entries[0]["user"] == "officer1"
    assert entries[0]["status"] == 404


def test_clean_query_keeps_harmless_values_and_names():
    assert traffic.clean_query("page=3&fy=2569&kind=month") == "page=3&fy=2569&kind=month"
    assert traffic.clean_query("next=/admin/&code=ABC123") == "next=%2Fadmin%2F&code=[removed]"
    assert "a%40b.co" not in traffic.clean_query("a%40b.co=1")


def make_days(folder, today, count):
    folder.mkdir(parents=True, exist_ok=True)
    for back in range(count):
        day = today - dt.timedelta(days=back)
        (folder / f"traffic-{day.isoformat()}.jsonl").write_text("{}\n")
    (folder / "notes.txt").write_text("not a log")


def test_purge_keeps_ninety_days(log_dir):
    today = dt.date(2026, 5, 1)
    make_days(log_dir, today, 120)
    result = traffic.purge(today)
    kept = [day for day, _path in traffic.log_files()]
    assert result["removed"] == 30
    assert len(kept) == 90
    assert kept[0] == today - dt.timedelta(days=89)
    assert kept[-1] == today
    assert (log_dir / "notes.txt").exists()


def test_purge_keeps_longer_when_configured_and_never_fewer_than_ninety(log_dir):
    today = dt.date(2026, 5, 1)
    make_days(log_dir, today, 200)
    with override_settings(TRAFFIC_LOG_DAYS=30):
        traffic.purge(today)
    assert len(traffic.log_files()) == 90
    make_days(log_dir, today, 200)
    with override_settings(TRAFFIC_LOG_DAYS=180):
        traffic.purge(today)
    assert len(traffic.log_files()) == 180


def test_purge_is_scheduled():
    from services.core.schedules import SCHEDULES

    assert any(entry[1] == "home.traffic.purge" for entry in SCHEDULES)


@pytest.mark.django_db
def test_export_for_a_date_range_is_for_administrators_only(client, log_dir):
    today = timezone.localdate()
    log_dir.mkdir(parents=True)
    for back in range(5):
        day = today - dt.timedelta(days=back)
        (log_dir / f"traffic-{day.isoformat()}.jsonl").write_text(
            json.dumps({"time": day.isoformat(), "path": f"/day{back}/"}) + "\n"
        )
    users = desk_users()
    start = (today - dt.timedelta(days=3)).isoformat()
    end = (today - dt.timedelta(days=1)).isoformat()
    for role in ("officer", "approver", "director", "executive", "staff"):
        client.force_login(users[role])
        response = client.get("/admin/traffic-logs/", {"start": start, "end": end})
        assert response.status_code in (302, 403), role
    client.force_login(users["admin"])
    response = client.get("/admin/traffic-logs/", {"start": start, "end": end})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    paths = [json.loads(line)["path"] for line in body.splitlines() if '"path"' in line]
    assert sorted(paths) == ["/day1/", "/day2/", "/day3/"]
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.django_db
def test_export_with_bad_dates_says_so_and_keeps_the_input(client, log_dir):
    client.force_login(desk_users()["admin"])
    response = client.get("/admin/traffic-logs/", {"start": "2026-05-09", "end": "2026-05-01"})
    assert response.status_code == 400
    assert "วันที่เริ่มต้นต้องไม่อยู่หลังวันที่สิ้นสุด" in response.content.decode()
    assert 'value="2026-05-09"' in response.content.decode()
    response = client.get("/admin/traffic-logs/", {"start": "<script>", "end": ""})
    assert response.status_code == 400
    assert "<script>" not in response.content.decode()
    response = client.get("/admin/traffic-logs/")
    assert response.status_code == 200


def test_overlong_paths_and_values_are_logged_removed_without_scanning_them():
    from home.traffic import REMOVED, clean_path, clean_query

    hostile = "a" * 100_000  # no "@": a backtracking pattern would take minutes
    assert clean_path(f"/search/{hostile}/page/") == f"/search/{REMOVED}/page/"
    assert REMOVED in clean_query(f"q={hostile}") and hostile not in clean_query(f"q={hostile}")


@pytest.mark.django_db
def test_a_day_file_removed_while_open_is_made_again(client, log_dir, monkeypatch):
    monkeypatch.setattr(traffic, "RECHECK_SECONDS", 0)  # look at the file on every line
    client.get("/", {"page": "1"})
    path = traffic.file_for(timezone.localdate())
    assert path.read_text().count("\n") == 1
    path.unlink()  # as the purge or an administrator would
    client.get("/", {"page": "2"})
    lines = path.read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["query"] == "page=2"
