"""WeCom adapter: URL check and encrypted XML messages made the way WeCom's WXBizMsgCrypt makes them."""

from __future__ import annotations

import base64
import hashlib
import os
import struct
import time
import uuid
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from fastapi.testclient import TestClient

from api.integrations.wecom import decrypt_wecom, wecom_signature
from core.errors import AuthError
from core.settings import Settings
from tests.api.test_integrations_fakes import FakePlatform, RecordingResponder, integrations_client

TOKEN = "QDG6eK"
AES_KEY = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt"
CORP_ID = "ww1436e0e65a779aee"


def encrypt(plaintext: str, *, receive_id: str = CORP_ID, aes_key: str = AES_KEY) -> str:
    """Encrypt like WXBizMsgCrypt: random16 + len4 + msg + receive id, PKCS#7 to 32, AES-CBC iv=key[:16]."""
    key = base64.b64decode(aes_key + "=")
    msg = plaintext.encode()
    data = os.urandom(16) + struct.pack(">I", len(msg)) + msg + receive_id.encode()
    pad = 32 - len(data) % 32
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(data + bytes([pad]) * pad) + encryptor.finalize()).decode()


def text_message(content: str, user: str = "ZhangSan") -> str:
    return (f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{content}]]></Content><MsgId>{uuid.uuid4().int % 10**19}</MsgId>"
            "<AgentID>1000002</AgentID></xml>")


@pytest.fixture
def responder() -> RecordingResponder:
    return RecordingResponder("可以按预热、爆发、返场三个阶段安排。")


@pytest.fixture
def client(platform: FakePlatform, responder: RecordingResponder) -> TestClient:
    settings = Settings(wecom_token=TOKEN, wecom_encoding_aes_key=AES_KEY, wecom_corp_id=CORP_ID,
                        wecom_corp_secret="corp-secret", wecom_agent_id="1000002", wecom_api_base=platform.url)
    return integrations_client(settings, responder)


def signed_query(encrypt_text: str, *, token: str = TOKEN, age: int = 0) -> dict[str, str]:
    ts, nonce = str(int(time.time()) - age), str(uuid.uuid4().int % 10**9)
    signature = hashlib.sha1("".join(sorted([token, ts, nonce, encrypt_text])).encode()).hexdigest()
    return {"msg_signature": signature, "timestamp": ts, "nonce": nonce}


def post_message(client: TestClient, inner_xml: str, **kwargs: Any) -> Any:
    encrypted = encrypt(inner_xml)
    body = f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt>" \
           "<AgentID><![CDATA[1000002]]></AgentID></xml>"
    return client.post("/integrations/wecom/events", params=signed_query(encrypted, **kwargs), content=body.encode(),
                       headers={"Content-Type": "text/xml"})


def test_signature_and_decryption_match_wecoms_published_samples() -> None:
    echostr = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
    assert wecom_signature(TOKEN, "1409659589", "263014780", echostr) == "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
    sample = "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA=="
    assert decrypt_wecom(AES_KEY, sample, CORP_ID) == "1288432023552776189"
    with pytest.raises(AuthError, match="another corp id"):
        decrypt_wecom(AES_KEY, sample, "ww0000000000000000")


def test_url_verification_returns_the_decrypted_echostr(client: TestClient) -> None:
    echostr = encrypt("6470871357279547284")
    response = client.get("/integrations/wecom/events", params=signed_query(echostr) | {"echostr": echostr})
    assert response.status_code == 200
    assert response.text == "6470871357279547284"


def test_url_verification_survives_an_unencoded_plus_in_echostr(client: TestClient) -> None:
    echostr = next(e for e in (encrypt("6470871357279547284") for _ in range(200)) if "+" in e)
    query = "&".join(f"{k}={v}" for k, v in (signed_query(echostr) | {"echostr": echostr}).items())
    response = client.get("/integrations/wecom/events?" + query)  # "+" sent raw, as some proxies do
    assert response.status_code == 200
    assert response.text == "6470871357279547284"


def test_url_verification_with_a_bad_signature_gets_401(client: TestClient) -> None:
    echostr = encrypt("6470871357279547284")
    params = signed_query(echostr, token="not-the-token") | {"echostr": echostr}
    response = client.get("/integrations/wecom/events", params=params)
    assert response.status_code == 401
    assert "6470871357279547284" not in response.text


def test_encrypted_message_is_answered_with_message_send(
    client: TestClient, platform: FakePlatform, responder: RecordingResponder
) -> None:
    response = post_message(client, text_message("双十一活动分几个阶段？"))
    assert response.status_code == 200
    assert response.text == ""
    [token_request] = platform.wait_for("/cgi-bin/gettoken")
    assert token_request.query == {"corpid": CORP_ID, "corpsecret": "corp-secret"}
    [sent] = platform.wait_for("/cgi-bin/message/send")
    assert responder.calls == [("双十一活动分几个阶段？", "wecom:ZhangSan")]
    assert sent.query == {"access_token": "wecom-token"}
    assert sent.body == {"touser": "ZhangSan", "msgtype": "text", "agentid": 1000002,
                         "text": {"content": "可以按预热、爆发、返场三个阶段安排。"}}


def test_message_for_another_corp_is_refused(
    client: TestClient, platform: FakePlatform, responder: RecordingResponder
) -> None:
    encrypted = encrypt(text_message("你好"), receive_id="ww0000000000000000")
    body = f"<xml><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    response = client.post("/integrations/wecom/events", params=signed_query(encrypted), content=body.encode())
    assert response.status_code == 401
    assert responder.calls == []
    assert platform.requests == []


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [({"token": "wrong-token"}, "bad_signature"), ({"age": 600}, "stale_request")],
)
def test_bad_signature_or_replay_gets_401_and_no_reply(
    client: TestClient, platform: FakePlatform, responder: RecordingResponder, kwargs: dict, code: str
) -> None:
    response = post_message(client, text_message("你好"), **kwargs)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code
    assert responder.calls == []
    assert platform.requests == []


def test_xml_with_entities_is_refused(client: TestClient, responder: RecordingResponder) -> None:
    body = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xml><Encrypt>&a;</Encrypt></xml>'
    response = client.post("/integrations/wecom/events", params=signed_query("aaaa"), content=body.encode())
    assert response.status_code == 401
    assert responder.calls == []


def test_not_configured_names_the_settings(responder: RecordingResponder) -> None:
    client = integrations_client(Settings(wecom_token=TOKEN), responder)
    response = client.get("/integrations/wecom/events")
    assert response.status_code == 503
    assert response.json()["error"]["message"] == (
        "the WeCom integration is not configured: set CEHUA_WECOM_ENCODING_AES_KEY, CEHUA_WECOM_CORP_ID, "
        "CEHUA_WECOM_CORP_SECRET, CEHUA_WECOM_AGENT_ID in the server's environment"
    )
