"""Rasa 3.6 graph components over the Korean spaCy pipeline (korean_nlu.pipeline)."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.tokenizers.spacy_tokenizer import POS_TAG_KEY
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from korean_nlu import lexicon
from korean_nlu.pipeline import analyse, use_vocabulary


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class KoreanTokenizer(Tokenizer):
    """Kiwi morpheme segments as Rasa tokens; lemma = morpheme forms, data[pos] = Kiwi tag.

    Training saves the knowledge files' vocabulary (Kiwi's user words and the entity patterns
    come from it) in the model, and loading the model puts it back, as Rasa's JiebaTokenizer does:
    a model never runs with a vocabulary edited after it was trained."""

    VOCABULARY_FILE = "vocabulary.json"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
            # Part of the config so that Rasa's training cache is invalidated when the
            # vocabulary (and so the segmentation) changes.
            "vocabulary_fingerprint": lexicon.fingerprint(),
        }

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource) -> None:
        super().__init__(config)
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KoreanTokenizer:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        with self._model_storage.write_to(self._resource) as directory:
            saved = [list(term) for term in lexicon.file_terms()]
            (directory / self.VOCABULARY_FILE).write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> KoreanTokenizer:
        with model_storage.read_from(resource) as directory:
            saved = json.loads((directory / cls.VOCABULARY_FILE).read_text(encoding="utf-8"))
        use_vocabulary(saved)
        return cls(config, model_storage, resource)

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        doc = analyse(message.get(attribute) or "")
        tokens = [Token(t.text, t.idx, lemma=t.lemma_, data={POS_TAG_KEY: t.tag_}) for t in doc if t.text.strip()]
        return self._apply_token_pattern(tokens)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class KnowledgeEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Entities matched by the EntityRuler, with the canonical value from the knowledge data."""

    @staticmethod
    def required_components() -> List[type]:
        return [KoreanTokenizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"vocabulary_fingerprint": lexicon.fingerprint()}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KnowledgeEntityExtractor:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            found = [
                {
                    "entity": ent.label_,
                    "value": ent.ent_id_,
                    "start": ent.start_char,
                    "end": ent.end_char,
                    "confidence": None,
                }
                for ent in analyse(message.get(TEXT) or "").ents
            ]
            message.set(
                ENTITIES,
                message.get(ENTITIES, []) + self.add_extractor_name(found),
                add_to_output=True,
            )
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # Training examples carry their annotated entities; nothing to add.
        return training_data
