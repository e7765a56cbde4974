"""The web chat page (web/, served by channels/webchat.py) in a real browser: Debian's Chromium
driven by Playwright, against the real Rasa server.

Screenshots go to results/screenshots/ (git-ignored), for CI to keep.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "results" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
# Headless and offline: no first-run pages, no update or sync traffic.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
XSS = "<img src=x onerror=alert(1)>"
WEBHOOK = "**/webhooks/rest/webhook"


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        reason = f"Debian's chromium is not installed ({CHROMIUM}); .ci/run installs it (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, rasa_url):
    """A fresh phone-sized browser (empty storage) on the chat page, after the greeting."""
    context = browser.new_context(viewport=PHONE, locale="ko-KR")
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{rasa_url}/webhooks/webchat/")
    expect(bot_messages(page).first).to_contain_text("신분증 민원 도우미예요")
    yield page
    context.close()


def bot_messages(page):
    return page.locator("#log .msg.bot:not(.typing)")


def user_messages(page):
    return page.locator("#log .msg.user")


def type_and_send(page, text):
    page.locator("#message").click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def wait_for_answer(page):
    expect(page.locator("#log .typing")).to_have_count(0, timeout=30_000)


def press(page, title):
    page.locator("#log .choice:enabled", has_text=re.compile(f"^{re.escape(title)}$")).last.click()


def screenshot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name))


def test_a_question_typed_without_spaces_buttons_and_a_walkthrough_survive_a_reload(page):
    type_and_send(page, "주민등록증재발급수수료얼마에요")
    expect(user_messages(page).last).to_have_text("주민등록증재발급수수료얼마에요")
    expect(bot_messages(page).last).to_contain_text("5,000원")  # the answer first

    press(page, "내 수수료 확인")
    expect(bot_messages(page).last).to_contain_text("어떤 이유로 재발급하시나요?")
    press(page, "분실")
    expect(user_messages(page).last).to_have_text("분실")  # the title, not the payload
    expect(bot_messages(page).last).to_contain_text("준비하실 것")
    expect(page.locator("#log")).to_contain_text("수수료는 5,000원이에요.")

    press(page, "주민센터 방문 재발급")
    expect(page.locator(".progress-step").last).to_have_text("1/6단계")
    press(page, "다음")
    progress = page.locator(".progress").last
    expect(progress.locator(".progress-step")).to_have_text("2/6단계")
    expect(progress.locator(".progress-title")).to_have_text("주민센터 방문 재발급")
    expect(progress.locator(".steps span.done")).to_have_count(2)
    expect(progress).to_be_visible()
    screenshot(page, "webchat-walkthrough-step-2.png")
    transcript = page.locator("#log .msg").all_inner_texts()

    page.reload()
    expect(page.locator(".progress-step").last).to_have_text("2/6단계")
    assert page.locator("#log .msg").all_inner_texts() == transcript
    # Only the latest buttons can still be pressed, and the server still knows the conversation.
    assert page.locator("#log .choice:enabled").all_inner_texts() == ["다음", "이전", "처음부터", "그만"]
    press(page, "다음")
    expect(page.locator(".progress-step").last).to_have_text("3/6단계")


def test_enter_while_a_korean_syllable_is_being_composed_does_not_send(page):
    page.locator("#message").click()
    page.keyboard.type("모바일신분증어디서써")
    ime = page.context.new_cdp_session(page)
    ime.send("Input.imeSetComposition", {"text": "요", "selectionStart": 1, "selectionEnd": 1})
    page.keyboard.press("Enter")  # the IME's Enter: it ends the syllable, it must not send
    page.wait_for_timeout(500)
    expect(user_messages(page)).to_have_count(0)
    ime.send("Input.insertText", {"text": "요"})
    page.keyboard.press("Enter")
    expect(user_messages(page)).to_have_text(["모바일신분증어디서써요"])
    wait_for_answer(page)
    expect(bot_messages(page).last).to_contain_text("은행")


def test_html_in_user_and_bot_text_is_shown_as_text(page):
    type_and_send(page, XSS)
    expect(user_messages(page).last).to_have_text(XSS)
    wait_for_answer(page)
    # A bot message (and button) carrying markup, as a compromised or buggy server might send.
    page.route(
        WEBHOOK,
        lambda route: route.fulfill(
            json=[{"recipient_id": "x", "text": f"[{XSS}] 1/2단계\n{XSS}", "buttons": [{"title": XSS, "payload": XSS}]}]
        ),
    )
    type_and_send(page, "다음")
    expect(bot_messages(page).last.locator(".text")).to_have_text(XSS)
    expect(bot_messages(page).last.locator(".progress-title")).to_have_text(XSS)
    expect(bot_messages(page).last.locator(".choice")).to_have_text(XSS)
    page.unroute(WEBHOOK)
    page.reload()  # and again from the stored history
    expect(bot_messages(page).last.locator(".text")).to_have_text(XSS)
    assert page.locator("#log img").count() == 0
    assert page.dialogs == []


def test_a_typing_indicator_shows_while_the_bot_is_answering(page):
    held = []
    page.route(WEBHOOK, lambda route: held.append(route))  # hold the request until the indicator has been seen
    type_and_send(page, "안녕하세요")
    expect(page.locator("#log .typing")).to_be_visible()
    expect(page.locator("#send")).to_be_disabled()
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    held[0].continue_()
    wait_for_answer(page)
    expect(bot_messages(page)).to_have_count(2)
    expect(page.locator("#send")).to_be_enabled()


FAILURES = {
    "refused": lambda route: route.abort("connectionrefused"),
    "bad-gateway": lambda route: route.fulfill(status=502, body="Bad Gateway"),
    "no-answer": lambda route: route.fulfill(json=[]),
}


@pytest.mark.parametrize("failure", FAILURES)
def test_an_unreachable_server_gets_a_polite_message_and_a_retry(page, failure):
    page.route(WEBHOOK, FAILURES[failure])
    type_and_send(page, "모바일 신분증 어디서 써요")
    notice = page.locator("#log .msg.notice")
    expect(notice).to_contain_text("죄송해요, 지금 도우미에 연결하지 못했어요")
    expect(page.locator("#log .typing")).to_have_count(0)
    screenshot(page, f"webchat-unreachable-{failure}.png")
    page.unroute(WEBHOOK)
    notice.get_by_role("button", name="다시 시도").click()
    expect(notice).to_have_count(0)
    wait_for_answer(page)
    expect(bot_messages(page).last).to_contain_text("은행")
    expect(user_messages(page)).to_have_text(["모바일 신분증 어디서 써요"])  # sent once, kept once


def test_a_360_px_phone_with_large_text_never_scrolls_sideways(page):
    # The browser's own font size setting, as a user with large text has it (default 16).
    page.context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": 28}})
    type_and_send(page, "주민등록증재발급하려면무엇을준비해야하는지자세하게알려주세요" * 2)
    wait_for_answer(page)
    press(page, "주민센터 방문 재발급")
    expect(page.locator(".progress-step").last).to_have_text("1/6단계")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") == 28
    sizes = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert sizes[0] <= sizes[1] == PHONE["width"]
    for box in page.locator("#log .bubble, #log .choice, #send, #message").all():
        b = box.bounding_box()
        assert b["x"] >= 0 and b["x"] + b["width"] <= PHONE["width"]
    screenshot(page, "webchat-360px-large-text.png")


def test_the_page_is_served_with_a_strict_content_security_policy(rasa_url):
    res = requests.get(f"{rasa_url}/webhooks/webchat/", timeout=30)
    assert res.status_code == 200 and res.headers["Content-Type"].startswith("text/html")
    assert "script-src 'self'" in res.headers["Content-Security-Policy"]
    assert requests.get(f"{rasa_url}/webhooks/webchat", timeout=30).url.endswith("/webhooks/webchat/")
    for name in ["credentials.yml", "..%2Fcredentials.yml", "webchat.py"]:
        assert requests.get(f"{rasa_url}/webhooks/webchat/{name}", timeout=30).status_code == 404
