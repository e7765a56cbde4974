# The action server: the official rasa-sdk image plus the actions, their knowledge data and the
# redacting log config. Build from the repository root:
#   docker build -f deploy/actions.Dockerfile -t doumi-actions .
FROM rasa/rasa-sdk:3.6.2

USER 0
# requirements/actions.txt: runtime.txt's pins for what actions/ and privacy/ import, without Rasa
# and TensorFlow (requirements/lock.py makes it; a test checks the pins). pip keeps rasa-sdk.
COPY requirements/actions.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt && rm /tmp/requirements.txt

WORKDIR /app
COPY actions ./actions
COPY knowledge ./knowledge
# The facts' paraphrases: the fact ranker (actions/ranker.py) is fitted on them at start.
COPY data/nlu/facts ./data/nlu/facts
# privacy/logging.yml and the redaction it calls (privacy.logs, with ko-pii).
COPY privacy ./privacy
RUN chgrp -R 0 /app && chmod -R g=u /app

USER 1001
# Longer than the keep-alive of Rasa's HTTP client (15 s), so Rasa never reuses a closing connection.
# Each request carries the whole conversation: the cap of scripts/env.sh (ACTIONS_REQUEST_MAX_SIZE).
ENV PYTHONPATH=/app \
    SANIC_KEEP_ALIVE_TIMEOUT=75 \
    SANIC_REQUEST_MAX_SIZE=64000000
EXPOSE 5055
# The image's entry point runs `python -m rasa_sdk` with these arguments; rasa_sdk spells the
# log config option --logging-config_file.
CMD ["start", "--actions", "actions", "--port", "5055", "--logging-config_file", "privacy/logging.yml"]
