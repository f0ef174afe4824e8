"""LINE through the Messaging API, against a local server that answers as the API documents."""

import base64
import hashlib
import hmac
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.utils import timezone

from services.core import line, outbox
from services.core.models import OutboxMessage
from services.tickets import moves
from services.tickets.creation import open_ticket
from services.tickets.models import Ticket

from .desk_helpers import desk_users
from .reporting import make_service

TOKEN = "test-channel-access-token"
SECRET = "test-channel-secret"
GROUP = "C0123456789abcdef0123456789abcdef"
USER = "U0123456789abcdef0123456789abcdef"


class LineApi(ThreadingHTTPServer):
    """POST /v2/bot/message/push as documented: 200 with sentMessages; 409 when the
    X-Line-Retry-Key was already accepted; 500 for the next ``fail_next`` calls."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests = []
        self.accepted = {}
        self.fail_next = 0
        self.lock = threading.Lock()

    @property
    def base(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _answer(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        server = self.server
        key = self.headers.get("X-Line-Retry-Key")
        with server.lock:
            server.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            if self.path != "/v2/bot/message/push":
                return self._answer(404, {"message": "Not found"})
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self._answer(401, {"message": "Authentication failed"})
            if key in server.accepted:
                return self._answer(
                    409,
                    {
                        "message": "The retry key is already accepted",
                        "sentMessages": server.accepted[key],
                    },
                )
            if server.fail_next:
                server.fail_next -= 1
                return self._answer(500, {"message": "An error occurred"})
            sent = [{"id": str(len(server.accepted) + 1), "quoteToken": "q"}]
            if key:
                server.accepted[key] = sent
            return self._answer(200, {"sentMessages": sent})


@pytest.fixture
def line_api(settings):
    server = LineApi()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.LINE_CHANNEL_ACCESS_TOKEN = TOKEN
    settings.LINE_CHANNEL_SECRET = SECRET
    settings.LINE_OFFICERS_GROUP_ID = GROUP
    settings.LINE_API_BASE = server.base
    settings.OUTBOX_BACKOFF_SECONDS = 0
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def service(home_page):
    return make_service(home_page, "line-test", "ICT 02", "ซ่อมคอมพิวเตอร์")


def file_request(service, email="line.person@example.com"):
    return open_ticket(
        service,
        {"requester_name": "ผู้ใช้ LINE", "requester_email": email},
        {"details": "ทดสอบ"},
    )


def pushes(server):
    return [r for r in server.requests if r["path"] == "/v2/bot/message/push"]


def test_a_new_ticket_pushes_one_message_to_the_officers_group(line_api, service):
    ticket = file_request(service)
    outbox.sweep()
    sent = pushes(line_api)
    assert len(sent) == 1
    push = sent[0]
    assert push["body"]["to"] == GROUP
    assert ticket.reference in push["body"]["messages"][0]["text"]
    assert push["body"]["messages"][0]["type"] == "text"
    message = OutboxMessage.objects.get(channel="line")
    assert push["headers"]["X-Line-Retry-Key"] == line.retry_key(message)
    assert uuid.UUID(push["headers"]["X-Line-Retry-Key"])
    assert message.status == OutboxMessage.Status.SENT
    # The e-mail goes as before, and asking again queues nothing new.
    assert len(mail.outbox) == 1
    from services.tickets.notify import notify_line_group

    notify_line_group("new", ticket)
    outbox.sweep()
    assert len(pushes(line_api)) == 1


def test_a_push_retried_after_a_failure_carries_the_same_retry_key(line_api, service):
    line_api.fail_next = 1
    file_request(service)
    outbox.sweep()
    message = OutboxMessage.objects.get(channel="line")
    assert message.status == OutboxMessage.Status.PENDING and message.attempts == 1
    assert "500" in message.last_error
    outbox.sweep()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    keys = [r["headers"]["X-Line-Retry-Key"] for r in pushes(line_api)]
    assert len(keys) == 2 and keys[0] == keys[1] == line.retry_key(message)
    assert len(line_api.accepted) == 1


def test_a_push_accepted_but_unanswered_is_not_sent_twice(line_api, service):
    file_request(service)
    outbox.sweep()
    # As if the answer were lost: the outbox tries again with the same key.
    OutboxMessage.objects.filter(channel="line").update(
        status=OutboxMessage.Status.PENDING, next_attempt_at=timezone.now()
    )
    outbox.sweep()
    statuses = [json.loads(json.dumps(r["body"]))["to"] for r in pushes(line_api)]
    assert len(statuses) == 2
    assert len(line_api.accepted) == 1  # the API delivered once
    assert OutboxMessage.objects.get(channel="line").status == OutboxMessage.Status.SENT


def sign(body, secret=SECRET):
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def webhook_body(text, user=USER):
    return json.dumps(
        {
            "destination": "Uoa",
            "events": [
                {
                    "type": "message",
                    "mode": "active",
                    "timestamp": 1,
                    "source": {"type": "user", "userId": user},
                    "replyToken": "r",
                    "message": {"id": "1", "type": "text", "text": text},
                }
            ],
        }
    ).encode()


def test_requester_links_line_from_the_tracking_page_and_gets_status_updates(
    client, line_api, service
):
    ticket = file_request(service)
    page = client.get(ticket.get_tracking_url())
    assert "รับแจ้งความคืบหน้าทาง LINE" in page.content.decode()
    response = client.post(ticket.get_tracking_url() + "line/")
    assert response.status_code == 302
    ticket.refresh_from_db()
    code = ticket.line_link_code
    assert code and len(code) == 8
    assert code in client.get(ticket.get_tracking_url()).content.decode()

    body = webhook_body(f"รหัส {code.lower()}")
    response = client.post(
        "/line/webhook/", body, content_type="application/json", HTTP_X_LINE_SIGNATURE=sign(body)
    )
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.line_user_id == USER and ticket.line_link_code is None

    users = desk_users()
    moves.resolve(ticket, users["admin"], note="เสร็จ")
    outbox.sweep()
    to_user = [p for p in pushes(line_api) if p["body"]["to"] == USER]
    assert len(to_user) == 2  # linked, then resolved
    assert ticket.reference in to_user[-1]["body"]["messages"][0]["text"]


def test_a_webhook_with_a_bad_signature_gets_400_and_changes_nothing(client, line_api, service):
    ticket = file_request(service)
    client.post(ticket.get_tracking_url() + "line/")
    ticket.refresh_from_db()
    before = (ticket.line_user_id, ticket.line_link_code, OutboxMessage.objects.count())
    body = webhook_body(ticket.line_link_code)
    for signature in ("", "bad", sign(body, "another-secret"), sign(body + b" ")):
        response = client.post(
            "/line/webhook/", body, content_type="application/json", HTTP_X_LINE_SIGNATURE=signature
        )
        assert response.status_code == 400
    ticket.refresh_from_db()
    assert (ticket.line_user_id, ticket.line_link_code, OutboxMessage.objects.count()) == before
    # A signed body that is not JSON is refused too; an unknown code links nothing.
    junk = b"{not json"
    assert (
        client.post(
            "/line/webhook/",
            junk,
            content_type="application/json",
            HTTP_X_LINE_SIGNATURE=sign(junk),
        ).status_code
        == 400
    )
    wrong = webhook_body("ZZZZZZZZ")
    assert (
        client.post(
            "/line/webhook/",
            wrong,
            content_type="application/json",
            HTTP_X_LINE_SIGNATURE=sign(wrong),
        ).content
        == b"ok 0"
    )
    ticket.refresh_from_db()
    assert ticket.line_user_id == ""


def test_with_no_token_line_is_off_and_nothing_changes(client, service, settings):
    assert settings.LINE_CHANNEL_ACCESS_TOKEN == ""
    ticket = file_request(service)
    outbox.sweep()
    assert not OutboxMessage.objects.filter(channel="line").exists()
    assert OutboxMessage.objects.filter(channel="email").count() == 1
    page = client.get(ticket.get_tracking_url()).content.decode()
    assert "รับแจ้งความคืบหน้าทาง LINE" not in page and "/line/" not in page
    assert client.post(ticket.get_tracking_url() + "line/").status_code == 404
    body = webhook_body("ABCDEFGH")
    assert (
        client.post(
            "/line/webhook/",
            body,
            content_type="application/json",
            HTTP_X_LINE_SIGNATURE=sign(body),
        ).status_code
        == 400
    )
    assert Ticket.objects.get(pk=ticket.pk).line_user_id == ""
