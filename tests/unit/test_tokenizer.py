import pickle
import string

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.util import DummyTokenizer

from korean_nlu.kiwi_tokenizer import segment
from korean_nlu.pipeline import analyse, korean_nlp


def surfaces(text):
    return [text[s.start : s.end] for s in segment(text)]


def test_unspaced_sentence_is_split_into_words():
    assert surfaces("주민등록증재발급수수료얼마에요")[:4] == ["주민등록증", "재", "발급", "수수료"]


def test_domain_terms_stay_whole_with_particles_split_off():
    tokens = surfaces("민증이 없어졌고 국방전자카드도 잃어버렸어요")
    assert "민증" in tokens and "국방전자카드" in tokens
    assert "이" in tokens and "도" in tokens


def test_overlapping_morphemes_are_merged_into_one_surface_token():
    # Kiwi gives 잃어버리 and 었 over the same character 렸.
    segs = segment("잃어버렸는데")
    assert [("잃어버렸는데"[s.start : s.end], s.lemma) for s in segs][0] == ("잃어버렸", "잃어버리+었")


def test_lemma_and_tag_come_from_kiwi():
    doc = analyse("민증 잃어버렸어요")
    assert [(t.text, t.lemma_, t.tag_) for t in doc][0] == ("민증", "민증", "NNP")


def test_offsets_slice_the_original_text_after_normalisation():
    text = "ＩＤ　card  재발급ㅋㅋㅋㅋ 👍👍👍"
    doc = analyse(text)
    assert doc.text == text
    for token in doc:
        assert text[token.idx : token.idx + len(token.text)] == token.text


def test_typos_no_spaces_emoji_latin_numbers():
    for text in ["주민등록쯩 재발금 되요?", "민증재발급ㄱㄱ🙏🙏", "fee 얼마? 5,000원 맞죠", "1234"]:
        segs = segment(text)
        assert segs, text
        assert "".join(text[s.start : s.end] for s in segs).replace(" ", "") == text.replace(" ", "")


def test_empty_and_very_long_input():
    assert segment("") == []
    long_text = "민증 재발급 수수료 얼마예요 " * 700  # about 10,000 characters
    segs = segment(long_text)
    assert segs[-1].end <= len(long_text)
    assert all(a.end <= b.start for a, b in zip(segs, segs[1:]))


def test_entities_carry_the_canonical_value():
    ents = [(e.text, e.label_, e.ent_id_) for e in analyse("병장인데국방카드발급돼요? 열어주세요").ents]
    assert ("병장", "military_status", "현역병") in ents
    assert ("국방카드", "card_type", "국방전자카드") in ents
    assert all(text != "열" for text, _, _ in ents)  # 열다 (to open) is not 열 (heat)


alphabet = st.sampled_from(
    list("민증재발급잃어버렸는데국방전자카드ㅋㅠ ")
    + list(string.ascii_letters + string.digits + "!?.,~")
    + ["👍", "\u200d", "\u3000", "Ａ", "\x00", "\n", "\u1100", "\u1161", "\u0301"]
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=alphabet, max_size=60) | st.text(max_size=40))
def test_tokenizing_never_raises_overlaps_or_leaves_the_text(text):
    segs = segment(text)
    for seg in segs:
        assert 0 <= seg.start < seg.end <= len(text)
    for a, b in zip(segs, segs[1:]):
        assert a.end <= b.start
    doc = analyse(text)
    assert doc.text == text


def test_the_tokenizer_survives_pickling_and_the_pipeline_a_bytes_round_trip():
    nlp = korean_nlp()
    text = "민증잃어버렸는데 국방전자카드도 재발급돼요?"
    tokens = [(t.text, t.lemma_, t.tag_) for t in nlp(text)]
    tokenizer = pickle.loads(pickle.dumps(nlp.tokenizer))
    assert isinstance(tokenizer, DummyTokenizer)
    assert [(t.text, t.lemma_, t.tag_) for t in tokenizer(text)] == tokens
    # A pipeline built from the same config reads the bytes back with the same tokens and entities.
    copy = spacy.blank("ko", config=nlp.config).from_bytes(nlp.to_bytes())
    assert [(t.text, t.lemma_, t.tag_) for t in copy(text)] == tokens
    assert [(e.text, e.ent_id_) for e in copy(text).ents] == [(e.text, e.ent_id_) for e in nlp(text).ents]
