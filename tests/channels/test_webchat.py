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
# axe-core from npm (package.json; `make test` runs npm ci), with the WCAG 2.2 AA rule tags:
# the automated part of KWCAG 2.2.
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
XSS = "<img src=x onerror=alert(1)>"
WEBHOOK = "**/webhooks/rest/webhook"


def missing(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        missing(f"Debian's chromium is not installed ({CHROMIUM}); .ci/run installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, rasa_url):
    """A fresh phone-sized browser (empty storage) on the chat page, after the greeting."""
    context = browser.new_context(viewport=PHONE, locale="ko-KR")
    page = context.new_page()
    page.dialogs, page.accept_dialogs = [], False
    page.on(
        "dialog",
        lambda dialog: (
            page.dialogs.append(dialog.message),
            dialog.accept() if page.accept_dialogs else dialog.dismiss(),
        ),
    )
    page.goto(f"{rasa_url}/webhooks/webchat/")
    # The greeting goes through the action server like any message; the first one warms it up.
    expect(bot_messages(page).first).to_contain_text("신분증 민원 도우미예요", timeout=30_000)
    yield page
    context.close()


def bot_messages(page):
    return page.locator("#log .msg.bot:not(.typing)")


def user_messages(page):
    """The text of the user's messages (each bubble also starts with a hidden "나: " for screen readers)."""
    return page.locator("#log .msg.user .text")


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


@pytest.mark.parametrize("font_size", [32, 64], ids=["200%", "400%"])
def test_a_360_px_phone_with_large_text_never_scrolls_sideways(page, font_size):
    # The browser's own font size setting, as a user with large text has it (default 16).
    page.context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": font_size}})
    type_and_send(page, "주민등록증재발급하려면무엇을준비해야하는지자세하게알려주세요" * 2)
    wait_for_answer(page)
    press(page, "주민센터 방문 재발급")
    expect(page.locator(".progress-step").last).to_have_text("1/6단계")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") == font_size
    sizes = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert sizes[0] <= sizes[1] == PHONE["width"]
    for box in page.locator("#log .bubble, #log .choice, #send, #message").all():
        b = box.bounding_box()
        assert b["x"] >= 0 and b["x"] + b["width"] <= PHONE["width"]
    screenshot(page, f"webchat-360px-text-{font_size}px.png")


def test_the_page_is_served_with_a_strict_content_security_policy(rasa_url):
    res = requests.get(f"{rasa_url}/webhooks/webchat/", timeout=30)
    assert res.status_code == 200 and res.headers["Content-Type"].startswith("text/html")
    assert "script-src 'self'" in res.headers["Content-Security-Policy"]
    assert requests.get(f"{rasa_url}/webhooks/webchat", timeout=30).url.endswith("/webhooks/webchat/")
    for name in ["credentials.yml", "..%2Fcredentials.yml", "webchat.py"]:
        assert requests.get(f"{rasa_url}/webhooks/webchat/{name}", timeout=30).status_code == 404


@pytest.fixture(scope="module")
def axe():
    if not AXE.exists():
        missing(f"axe-core is not installed ({AXE}); `make test` installs it with npm ci (package.json)")
    return AXE.read_text(encoding="utf-8")


def violations(page, axe):
    """axe-core's WCAG 2.2 AA violations on the page as it is now: rule, impact and where."""
    page.evaluate(axe)  # through the DevTools protocol: the page's CSP does not stop it
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


@pytest.mark.parametrize("width", [360, 1280])
def test_axe_finds_no_wcag_violation_on_the_welcome_mid_walkthrough_and_after_a_side_question(page, axe, width):
    page.set_viewport_size({"width": width, "height": 800})
    assert violations(page, axe) == []
    type_and_send(page, '/start_walkthrough{"procedure":"reissue_visit"}')
    expect(page.locator(".progress-step").last).to_have_text("1/6단계")
    press(page, "다음")
    expect(page.locator(".progress-step").last).to_have_text("2/6단계")
    assert violations(page, axe) == []
    type_and_send(page, "사진 규격은요?")
    expect(bot_messages(page).last).to_contain_text("3.5cm")
    # One answer is one message, and only its buttons are on the page: back to the step, or stop.
    expect(bot_messages(page).last).to_contain_text("2/6단계 안내로 돌아갈까요?")
    assert page.locator("#log .choices").count() == 1
    assert violations(page, axe) == []
    screenshot(page, f"webchat-side-question-{width}px.png")


def test_speaker_labels_and_a_main_landmark_for_screen_readers(page):
    type_and_send(page, "재발급 수수료 얼마예요")
    wait_for_answer(page)
    assert page.locator("main #log[role=log]").count() == 1
    assert page.locator("#log .msg.user .bubble").last.text_content().startswith("나: ")
    assert bot_messages(page).last.locator(".bubble").text_content().startswith("도우미: ")


def test_a_whole_fee_check_by_keyboard_alone(page):
    type_and_send(page, "재발급 수수료 얼마예요")
    wait_for_answer(page)
    # From the input, back through the answer's buttons to the fee check.
    for _ in range(10):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.textContent") == "내 수수료 확인":
            break
    page.keyboard.press("Enter")
    expect(bot_messages(page).last).to_contain_text("어떤 이유로 재발급하시나요?")
    # Focus is on the new reply's first button, not lost to the page.
    assert page.evaluate("document.activeElement.className") == "choice"
    for _ in range(10):
        if page.evaluate("document.activeElement.textContent") == "분실":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(bot_messages(page).last).to_contain_text("준비하실 것")
    expect(page.locator("#log")).to_contain_text("수수료는 5,000원이에요.")
    assert page.evaluate("document.activeElement.className") == "choice"


def test_a_new_conversation_is_started_only_after_confirmation(page):
    type_and_send(page, "재발급 수수료 얼마예요")
    wait_for_answer(page)
    page.locator("#restart").click()
    assert page.dialogs == ["지금까지의 대화를 지우고 새로 시작할까요?"]
    expect(user_messages(page)).to_have_count(1)  # cancelled: nothing lost
    page.accept_dialogs = True
    page.locator("#restart").click()
    expect(user_messages(page)).to_have_count(0)
    expect(bot_messages(page).first).to_contain_text("신분증 민원 도우미예요")


def test_an_answer_can_be_rated_on_a_line_of_its_own(page):
    type_and_send(page, "재발급 수수료 얼마예요")
    wait_for_answer(page)
    rating = bot_messages(page).last.locator(".rating")
    expect(rating).to_contain_text("도움이 됐나요?")
    expect(rating.locator(".choice")).to_have_text(["👍 도움됐어요", "👎 아쉬워요"])
    press(page, "👍 도움됐어요")
    expect(user_messages(page).last).to_have_text("👍 도움됐어요")
    expect(bot_messages(page).last).to_contain_text("의견 고마워요")
