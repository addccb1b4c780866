"""Feishu / Lark adapter: encrypted events and signatures made the way Feishu makes them."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
import uuid
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from fastapi.testclient import TestClient

from api.integrations.feishu import decrypt_feishu
from core.errors import AuthError
from core.settings import Settings
from tests.api.test_integrations_fakes import FakePlatform, RecordingResponder, integrations_client

ENCRYPT_KEY = "kudryavka-encrypt-key"
TOKEN = "v-verification-token"


def encrypt(key: str, plaintext: str) -> str:
    """Encrypt like Feishu: base64(iv + AES-256-CBC(sha256(key), iv, PKCS#7(plaintext)))."""
    data = plaintext.encode()
    pad = 16 - len(data) % 16
    iv = os.urandom(16)
    encryptor = Cipher(algorithms.AES(hashlib.sha256(key.encode()).digest()), modes.CBC(iv)).encryptor()
    return base64.b64encode(iv + encryptor.update(data + bytes([pad]) * pad) + encryptor.finalize()).decode()


def message_event(text: str, *, token: str = TOKEN, sender_type: str = "user", mentions: list | None = None) -> dict:
    return {
        "schema": "2.0",
        "header": {"event_id": uuid.uuid4().hex, "event_type": "im.message.receive_v1",
                   "create_time": str(int(time.time() * 1000)), "token": token, "app_id": "cli_a1b2c3",
                   "tenant_key": "2ca1d211f64f6438"},
        "event": {
            "sender": {"sender_id": {"open_id": "ou_84aad35d084aa403a838cf73ee18467"}, "sender_type": sender_type,
                       "tenant_key": "2ca1d211f64f6438"},
            "message": {"message_id": "om_5ce6d572455d361153b7cb51da133945", "chat_id": "oc_5ce6d572455d361153b7",
                        "chat_type": "group", "message_type": "text",
                        "content": json.dumps({"text": text}, ensure_ascii=False),
                        "mentions": mentions or []},
        },
    }


@pytest.fixture
def responder() -> RecordingResponder:
    return RecordingResponder("预热期建议两到三周。")


def make_client(platform: FakePlatform, responder: RecordingResponder, **overrides: Any) -> TestClient:
    values: dict[str, Any] = {"feishu_app_id": "cli_a1b2c3", "feishu_app_secret": "app-secret",
                              "feishu_verification_token": TOKEN, "feishu_encrypt_key": ENCRYPT_KEY,
                              "feishu_api_base": platform.url}
    values.update(overrides)
    return integrations_client(Settings(**values), responder)


def send_encrypted(client: TestClient, payload: dict, *, key: str = ENCRYPT_KEY, signed: bool = True,
                   age: int = 0, signature: str | None = None) -> Any:
    body = json.dumps({"encrypt": encrypt(key, json.dumps(payload, ensure_ascii=False))}).encode()
    headers = {"Content-Type": "application/json"}
    if signed:
        ts, nonce = str(int(time.time()) - age), uuid.uuid4().hex[:12]
        headers |= {"X-Lark-Request-Timestamp": ts, "X-Lark-Request-Nonce": nonce,
                    "X-Lark-Signature": signature or hashlib.sha256((ts + nonce + key).encode() + body).hexdigest()}
    return client.post("/integrations/feishu/events", content=body, headers=headers)


def test_decrypts_feishus_documented_sample() -> None:
    assert decrypt_feishu("test key", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=") == "hello world"
    with pytest.raises(AuthError):
        decrypt_feishu("other key", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=")


def test_encrypted_url_verification_returns_the_challenge(platform: FakePlatform, responder: RecordingResponder) -> None:
    client = make_client(platform, responder)
    check = {"challenge": "ajls384kdjx98XX", "token": TOKEN, "type": "url_verification"}
    response = send_encrypted(client, check, signed=False)
    assert response.status_code == 200
    assert response.json() == {"challenge": "ajls384kdjx98XX"}


def test_url_verification_with_the_wrong_token_is_refused(platform: FakePlatform, responder: RecordingResponder) -> None:
    client = make_client(platform, responder, feishu_encrypt_key=None)
    response = client.post("/integrations/feishu/events",
                           json={"challenge": "ajls384kdjx98XX", "token": "guess", "type": "url_verification"})
    assert response.status_code == 401
    assert "CEHUA_FEISHU_VERIFICATION_TOKEN" in response.json()["error"]["message"]


def test_signed_message_is_answered_with_the_reply_api(platform: FakePlatform, responder: RecordingResponder) -> None:
    client = make_client(platform, responder)
    event = message_event("@_user_1 中秋促销预热期多长？", mentions=[{"key": "@_user_1", "name": "策划助手"}])
    response = send_encrypted(client, event)
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    [token_request] = platform.wait_for("/open-apis/auth/v3/tenant_access_token/internal")
    assert token_request.body == {"app_id": "cli_a1b2c3", "app_secret": "app-secret"}
    [reply] = platform.wait_for("/open-apis/im/v1/messages/")
    assert responder.calls == [("中秋促销预热期多长？", "feishu:oc_5ce6d572455d361153b7")]
    assert reply.path == "/open-apis/im/v1/messages/om_5ce6d572455d361153b7cb51da133945/reply"
    assert reply.headers["authorization"] == "Bearer t-feishu"
    assert reply.body == {"msg_type": "text", "content": json.dumps({"text": "预热期建议两到三周。"}, ensure_ascii=False)}


def test_plaintext_events_are_checked_by_token_when_no_encrypt_key(
    platform: FakePlatform, responder: RecordingResponder
) -> None:
    client = make_client(platform, responder, feishu_encrypt_key=None)
    assert client.post("/integrations/feishu/events", json=message_event("你好")).json() == {"ok": True}
    forged = client.post("/integrations/feishu/events", json=message_event("你好", token="forged"))
    assert forged.status_code == 401
    platform.wait_for("/open-apis/im/v1/messages/")
    assert [call[0] for call in responder.calls] == ["你好"]


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"signature": "0" * 64}, "bad_signature"),
        ({"signed": False}, "bad_signature"),
        ({"key": "attacker-key"}, "bad_signature"),
        ({"age": 10 * 60}, "bad_signature"),  # stale: refused like any other failure
        ({"age": -10 * 60}, "bad_signature"),
    ],
)
def test_bad_signatures_get_401_and_no_reply(
    platform: FakePlatform, responder: RecordingResponder, kwargs: dict, code: str
) -> None:
    client = make_client(platform, responder)
    response = send_encrypted(client, message_event("你好"), **kwargs)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code
    assert responder.calls == []
    assert platform.requests == []


def test_unencrypted_body_is_refused_when_an_encrypt_key_is_set(
    platform: FakePlatform, responder: RecordingResponder
) -> None:
    client = make_client(platform, responder)
    response = client.post("/integrations/feishu/events", json=message_event("你好"))
    assert response.status_code == 401
    assert responder.calls == []


def test_messages_from_apps_and_duplicates_get_no_second_reply(
    platform: FakePlatform, responder: RecordingResponder
) -> None:
    client = make_client(platform, responder)
    assert send_encrypted(client, message_event("你好", sender_type="app")).json()["ignored"] == \
        "not a user text message"
    event = message_event("你好")
    assert send_encrypted(client, event).json() == {"ok": True}
    assert send_encrypted(client, event).json() == {"ok": True, "ignored": "duplicate event"}
    assert len(platform.wait_for("/open-apis/im/v1/messages/")) == 1
    assert len(responder.calls) == 1


def test_not_configured_names_the_settings(responder: RecordingResponder) -> None:
    client = integrations_client(Settings(), responder)
    response = client.post("/integrations/feishu/events", json={"type": "url_verification"})
    assert response.status_code == 503
    message = response.json()["error"]["message"]
    assert "CEHUA_FEISHU_APP_ID, CEHUA_FEISHU_APP_SECRET, CEHUA_FEISHU_VERIFICATION_TOKEN" in message
