# The Rasa server: the official image plus the Korean language layer and the project's code.
# Build from the repository root: docker build -f deploy/rasa.Dockerfile -t doumi-rasa .
# The model is not baked in: it comes from the shared volume mounted at /app/models.
FROM rasa/rasa:3.6.21

USER 0
# What the official image lacks, at the versions requirements.txt pins (a test checks they match).
RUN pip install --no-cache-dir spacy==3.4.4 kiwipiepy==0.24.1

WORKDIR /app
COPY config.yml domain.yml credentials.yml ./
COPY korean_nlu ./korean_nlu
COPY channels ./channels
COPY stores ./stores
# The Korean tokenizer's entity vocabulary is read from knowledge/ when the model loads.
COPY knowledge ./knowledge
RUN mkdir -p /app/models && chgrp -R 0 /app && chmod -R g=u /app

USER 1001
ENV PYTHONPATH=/app \
    RASA_TELEMETRY_ENABLED=false \
    SANIC_REQUEST_MAX_SIZE=1000000 \
    SANIC_KEEP_ALIVE_TIMEOUT=75
EXPOSE 5005
# endpoints.yml comes from the deployment (action server, PostgreSQL, Redis).
CMD ["run", "--model", "/app/models", "--endpoints", "/etc/doumi/endpoints.yml", "--credentials", "credentials.yml", "--port", "5005"]
