# The action server: the official rasa-sdk image plus the actions and their knowledge data.
# Build from the repository root: docker build -f deploy/actions.Dockerfile -t doumi-actions .
FROM rasa/rasa-sdk:3.6.2

USER 0
# What the official image lacks, at the versions requirements.txt pins (a test checks they match).
RUN pip install --no-cache-dir korean-datetime==1.0.0 python-dateutil==2.8.2 PyYAML==6.0.3

WORKDIR /app
COPY actions ./actions
COPY knowledge ./knowledge
RUN chgrp -R 0 /app && chmod -R g=u /app

USER 1001
# Longer than the keep-alive of Rasa's HTTP client (15 s), so Rasa never reuses a closing connection.
ENV SANIC_KEEP_ALIVE_TIMEOUT=75
EXPOSE 5055
CMD ["start", "--actions", "actions", "--port", "5055"]
