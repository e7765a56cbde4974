# The Rasa server: the official image plus the runtime layer and the project's code.
# Build from the repository root: docker build -f deploy/rasa.Dockerfile -t doumi-rasa .
# The model is not baked in: it comes from the shared volume mounted at /app/models.
FROM rasa/rasa:3.6.21

USER 0
# The runtime layer (requirements/runtime.txt, a test checks the pins): pip keeps what the
# official image already has at these versions and adds spaCy 3.4.4, kiwipiepy and ko-pii.
COPY requirements/runtime.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt && rm /tmp/requirements.txt

WORKDIR /app
# Every package that config.yml, credentials.yml, endpoints.yml and privacy/logging.yml name
# (tests/scale/test_deploy.py imports them from a copy of this tree and loads the model with it).
COPY config.yml domain.yml credentials.yml ./
COPY korean_nlu ./korean_nlu
COPY privacy ./privacy
COPY channels ./channels
COPY rasa_fixes ./rasa_fixes
COPY stores ./stores
# The Korean tokenizer's entity vocabulary is read from knowledge/ when the model loads.
COPY knowledge ./knowledge
# The web chat page, served by channels/webchat.py.
COPY web ./web
RUN mkdir -p /app/models /app/var && chgrp -R 0 /app && chmod -R g=u /app

USER 1001
ENV PYTHONPATH=/app \
    RASA_TELEMETRY_ENABLED=false \
    SANIC_REQUEST_MAX_SIZE=1000000 \
    SANIC_KEEP_ALIVE_TIMEOUT=75
EXPOSE 5005
# endpoints.yml comes from the deployment (action server, PostgreSQL, Redis). Every log line is
# redacted (privacy/logging.yml), as with scripts/run.sh.
CMD ["run", "--model", "/app/models", "--endpoints", "/etc/doumi/endpoints.yml", "--credentials", "credentials.yml", "--port", "5005", "--logging-config-file", "privacy/logging.yml"]
