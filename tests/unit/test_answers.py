"""The answer engine (actions/answers.py, actions/ranker.py) over the facts in knowledge/facts."""

import pytest

from actions import answers, facts, knowledge, ranker
from actions.answers import ActionAnswer
from actions.replies import button, routing
from tests.support.actions import entity, run, texts, tracker


def answer_of(text, slots=None, entities=None, events=None, intent=""):
    t = tracker(text, intent, entities, slots)
    t.events = events or []
    messages, slot_events = run(ActionAnswer(), t)
    return texts(messages), messages, {e["name"]: e["value"] for e in slot_events}


@pytest.mark.parametrize(
    "text, fact",
    [
        ("민증 재발급하면 며칠 걸려요?", "reissue.processing_time.weeks"),
        ("국방전자카드 발급 기간 얼마나 걸림", "military.processing_time.weeks"),
        ("사진 규격이 어떻게 돼요", "reissue.photo.size"),
        ("모바일 신분증 폰 잃어버렸어요", "mobile.lost.overview"),
        ("테이프로 붙여서 써도 돼요?", "reissue.faq.taped_card"),
        ("등기로 받을 때 집에 없으면 어떻게 돼요", "reissue.pickup.mail_returned"),
    ],
)
def test_a_question_is_answered_with_the_fact_that_answers_it(text, fact):
    said, _, slots = answer_of(text)
    assert facts.get(fact).answer in said


def test_a_follow_up_that_names_no_card_keeps_the_conversations_card():
    said, _, slots = answer_of("얼마나 걸려요?", slots={"card_type": "국방전자카드"})
    assert facts.get("military.processing_time.weeks").answer in said
    assert slots["card_type"] == "국방전자카드"


def test_a_card_named_in_the_message_wins_over_the_conversation():
    said, _, _ = answer_of("주민등록증 재발급은 얼마나 걸려요?", slots={"card_type": "국방전자카드"})
    assert facts.get("reissue.processing_time.weeks").answer in said


def test_the_previous_question_helps_a_short_follow_up():
    events = [{"event": "user", "text": "모바일 신분증 분실했어요"}, {"event": "user", "text": "그럼 비밀번호는요?"}]
    said, _, _ = answer_of("그럼 비밀번호는요?", slots={"card_type": "모바일 주민등록증"}, events=events)
    assert "비밀번호" in said


def test_a_lost_card_fee_answer_never_says_to_bring_the_damaged_card():
    said, _, _ = answer_of("민증 잃어버렸는데 재발급 수수료 있어요?")
    assert "5,000원" in said or "수수료가 발생" in said
    assert "훼손된 주민등록증을 가져" not in said


def test_an_unknown_question_gets_an_honest_not_sure_and_the_office():
    said, messages, _ = answer_of("ㅁㄴㅇㄹ ㅋㅋㅋ 쀍")
    assert said.startswith(knowledge.render(routing()["frames"]["not_sure"], office="").strip())
    assert knowledge.get("reissue.contact") in said
    assert messages[-1]["buttons"]


def test_one_answer_is_one_message_with_next_step_buttons():
    _, messages, _ = answer_of("재발급 수수료 얼마예요")
    assert len(messages) == 1 and messages[0]["buttons"]


def test_a_pilot_answer_checks_the_region_the_user_named():
    said, _, _ = answer_of("고양시도 모바일 신분증 시범 지역이었어요?", entities=[entity("region", "고양시")])
    assert "경기도 고양시" in said and "목록에 있어요" in said
    said, _, _ = answer_of("부산도 모바일 신분증 시범 지역이었어요?", entities=[entity("region", "부산광역시")])
    assert "목록에 없어요" in said


def test_also_links_are_shown_once_with_the_best_fact():
    ranked = [ranker.Ranked(f.id, 1.0, 1.0) for f in facts.facts().values() if f.also][:1]
    chosen = answers.choose(ranked + [ranker.Ranked("reissue.fee.general", -5.0, -5.0)])
    ids = [f.id for f in chosen]
    assert ids[0] == ranked[0].fact_id and len(ids) == len(set(ids))
    assert set(facts.get(ranked[0].fact_id).also) & set(ids)


def test_cards_are_recognised_in_everyday_words():
    assert ranker.cards_in("폰신분증 잃어버림") == ["모바일 주민등록증"]
    assert ranker.cards_in("민증이랑 군카드") == ["주민등록증", "국방전자카드"]
    assert ranker.canonical("민증 재발급") == ranker.canonical("주민등록증재발급")


def test_a_generic_word_for_an_id_prefers_the_card_without_ruling_out_the_others():
    assert ranker.cards_in("폰에 있던 신분증", specific=True) == []
    assert ranker.cards_in("재외국민용 모바일 신분증 어디서 받아요") == ["재외국민 신원확인증"]
    # "주민증" may mean the mobile one: its facts still compete.
    said, _, slots = answer_of(
        "폰 잃어버렸는데 앱에 있던 주민증 비밀번호 바꿔야 돼요?", slots={"card_type": "주민등록증"}
    )
    assert facts.get("mobile.lost.change_password").answer in said
    # "신분증" after a question about the 국방전자카드 stays with the 국방전자카드.
    events = [
        {"event": "slot", "name": "card_type", "value": "국방전자카드"},
        {"event": "user", "text": "신분증 잃어버렸어요"},
    ]
    said, _, _ = answer_of("신분증 잃어버렸어요", slots={"card_type": "주민등록증"}, events=events)
    assert "국방전자카드" in said


def test_gibberish_and_laughter_are_not_taken_for_a_question():
    assert ranker.canonical("ㅋㅋㅋ 민증ㅠㅠ") == ranker.canonical("민증")
    said, _, _ = answer_of("ㅋㅋㅋㅋ ㅎㅎ ㅠㅠ")
    assert said.startswith(knowledge.render(routing()["frames"]["not_sure"], office="").strip())


def test_a_rank_without_a_card_means_the_military_card():
    said, _, slots = answer_of("어디서 신청해요?", slots={"military_status": "장교"})
    assert "국방복지포털" in said and slots["card_type"] == "국방전자카드"


def test_every_next_step_and_contact_exists():
    for card, steps in routing()["next_steps"].items():
        assert card in routing()["contacts"]
        for refs in steps.values():
            assert all(button(ref)["title"] for ref in refs)
    for path in routing()["contacts"].values():
        assert knowledge.get(path)


def test_a_reason_stated_in_the_question_gets_that_cases_fee():
    said, _, _ = answer_of("세탁기에 돌려서 휘었어요 돈 내야 돼요?", entities=[entity("damage_cause", "세탁기")])
    assert said.startswith(knowledge.render(routing()["frames"]["fee_paid"], amount="5,000원"))
    said, _, _ = answer_of("뒷면 주소 칸이 꽉 찼는데 돈 내요?", entities=[entity("reissue_reason", "기재란 부족")])
    assert said.startswith(routing()["frames"]["fee_free"])


def test_a_military_status_stated_in_the_question_gets_its_eligibility():
    said, _, _ = answer_of("상병인데 국방전자카드 돼요?", entities=[entity("military_status", "현역병")])
    assert "나라사랑카드" in said and "대상이 아니에요" in said


@pytest.mark.parametrize(
    "text, intent, frame",
    [
        ("내일 날씨 어때", "out_of_scope", "out_of_scope"),
        ("너 사람이야?", "bot_challenge", "iamabot"),
        # Asked as a 주민등록증 question, but about another document.
        ("여권 재발급 수수료 얼마예요", "", "out_of_scope"),
    ],
)
def test_small_talk_and_other_documents_get_their_own_reply(text, intent, frame):
    said, _, _ = answer_of(text, intent=intent)
    assert routing()["frames"][frame] in said
    if frame == "out_of_scope":
        assert knowledge.get("reissue.contact") in said


def test_a_greeting_is_greeted_unless_it_also_asks_a_question():
    _, messages, _ = answer_of("안녕하세요", intent="greet")
    assert [m.get("response") for m in messages] == ["utter_greet"]
    said, _, _ = answer_of("안녕하세요 주민등록증 분실하면 어떻게 해요?", intent="greet")
    assert facts.get("reissue.lost.overview").answer in said


def test_a_question_the_facts_answer_is_answered_though_taken_for_small_talk():
    said, _, _ = answer_of("민증 재발급하면 며칠 걸려요?", intent="out_of_scope")
    assert facts.get("reissue.processing_time.weeks").answer in said
    assert routing()["frames"]["out_of_scope"] not in said


def test_a_bare_yes_with_nothing_pending_gets_the_menu():
    _, messages, _ = answer_of("네", intent="affirm")
    assert messages[0]["response"] == "utter_how_can_i_help"


def test_a_stated_loss_answers_how_long_not_the_fee():
    said, _, _ = answer_of("분실 재발급은 얼마나 걸려?", entities=[entity("reissue_reason", "분실")])
    assert said.startswith(facts.get("reissue.processing_time.weeks").answer)


def test_an_answer_offers_its_source_and_the_source_is_the_seed_passage():
    said, messages, slots = answer_of("민증 재발급하면 며칠 걸려요?")
    # After the next steps: the source, then the rating.
    assert messages[0]["buttons"][-3:] == [
        button(b) for b in ["intent:show_source", "intent:feedback:up", "intent:feedback:down"]
    ]
    assert messages[0]["buttons"][-2]["payload"] == '/feedback{"topic":"up"}'
    t = tracker("/show_source", "show_source", slots={"facts": slots["facts"]})
    shown, _ = run(answers.ActionShowSource(), t)
    fact = facts.get("reissue.processing_time.weeks")
    seed = (facts.ROOT / "sources" / fact.source).read_text(encoding="utf-8")
    assert fact.quote in shown[0]["text"] and fact.quote in seed
    assert knowledge.source_titles()[fact.source] in shown[0]["text"]


def test_the_source_with_no_answer_yet_is_explained():
    shown, _ = run(answers.ActionShowSource(), tracker("근거 보여줘", "show_source"))
    assert shown[0]["text"] == routing()["frames"]["no_source"]


def test_each_question_of_a_message_is_answered():
    said, _, _ = answer_of("민증 재발급하면 며칠 걸려요? 그동안 신분증 없으면 어떡해요?")
    assert facts.get("reissue.processing_time.weeks").answer in said
    assert "확인서" in said


def test_an_intent_about_another_card_does_not_pull_the_answer_off_the_conversations_card():
    # The intent classifier reads "어디어디서 써요?" alone as a mobile-ID usage question.
    said, _, slots = answer_of("어디어디서 써요?", slots={"card_type": "재외국민 신원확인증"}, intent="mobile_id_usage")
    assert "재외국민 신원확인증" in said and slots["card_type"] == "재외국민 신원확인증"


def test_a_rank_with_a_generic_word_for_an_id_means_the_military_card():
    said, _, _ = answer_of(
        "장교인데 신분증 어디서 발급해요?", slots={"military_status": "장교", "card_type": "주민등록증"}
    )
    assert "국방복지포털" in said


def test_extra_questions_never_crowd_out_what_the_best_fact_needs():
    said, _, _ = answer_of("모서리가 조금 닳았는데 재발급해야 돼요? 수수료는 얼마예요? 며칠 걸려요?")
    needed = ["reissue.damage.worn_corner", "reissue.damage.scanner", "reissue.fee.general"]
    assert all(facts.get(f).answer in said for f in needed + ["reissue.processing_time.weeks"])
    said, _, _ = answer_of("안녕하세요? 민증 재발급 수수료 얼마예요? 감사합니다")
    assert said == facts.get("reissue.fee.general").answer  # nothing for the greeting or the thanks


def test_a_loss_told_in_a_verb_gets_the_loss_fee():
    # "잃어버렸는데" is no entity (the patterns are nouns); the lost_card intent says it.
    said, _, _ = answer_of("지갑째 잃어버렸는데 돈 내야 돼요?", intent="lost_card")
    assert said.startswith(knowledge.render(routing()["frames"]["fee_paid"], amount="5,000원"))
