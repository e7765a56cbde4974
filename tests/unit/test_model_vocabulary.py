"""A model keeps the vocabulary it was trained with (korean_nlu.components.KoreanTokenizer), even
when knowledge/ is edited afterwards."""

import shutil

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.training_data import TrainingData

from korean_nlu import kiwi_tokenizer, lexicon, pipeline
from korean_nlu.components import KoreanTokenizer


def cards(text):
    return [(e.text, e.ent_id_) for e in pipeline.analyse(text).ents if e.label_ == "card_type"]


def forget_vocabulary():
    lexicon._model_terms = None
    lexicon.file_terms.cache_clear()
    kiwi_tokenizer.forget_kiwi()
    pipeline.korean_nlp.cache_clear()
    pipeline.analyse.cache_clear()


@pytest.fixture
def knowledge(tmp_path, monkeypatch):
    """A copy of the vocabulary files that the test may edit; everything is as before afterwards."""
    for name in ("vocabulary.yml", "regions.yml"):
        shutil.copy(lexicon.KNOWLEDGE_DIR / name, tmp_path / name)
    monkeypatch.setattr(lexicon, "KNOWLEDGE_DIR", tmp_path)
    forget_vocabulary()
    yield tmp_path
    monkeypatch.undo()
    forget_vocabulary()


def test_a_model_trained_with_a_word_still_knows_it_after_the_word_is_removed(knowledge, tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    resource = Resource("korean_tokenizer")
    context = ExecutionContext(GraphSchema({}), "test")
    config = KoreanTokenizer.get_default_config()
    KoreanTokenizer.create(config, storage, resource, context).train(TrainingData())
    assert cards("민증 잃어버렸어요") == [("민증", "주민등록증")]

    # knowledge/ edited after training: 민증 is no longer a word for the 주민등록증.
    vocabulary = knowledge / "vocabulary.yml"
    text = vocabulary.read_text(encoding="utf-8")
    vocabulary.write_text(text.replace("synonyms: [주민등록증, 민증, ", "synonyms: [주민등록증, "), encoding="utf-8")
    forget_vocabulary()
    assert cards("민증 잃어버렸어요") == []

    KoreanTokenizer.load(config, storage, resource, context)
    assert cards("민증 잃어버렸어요") == [("민증", "주민등록증")]
