"""The held-out NLU files (tests/nlu/): never trained on, scored by `make bench` and checked apart
from the training data by the tests. heldout.yml came first; heldout_extra.yml brings its
6-message classes to 14 messages."""

from tests.support.servers import ROOT

HELD_OUT = [ROOT / "tests" / "nlu" / "heldout.yml", ROOT / "tests" / "nlu" / "heldout_extra.yml"]
