# syntax=docker/dockerfile:1
# The action server (actions/): rasa-sdk on :5055, reached by Rasa only (Authorization: Bearer
# ACTION_SERVER_SECRET on every path but /health). It never imports the gateway package bot/
# (tests/test_deployable_units.py), so bot/ is not in this image.
# Build from the repository root after `make train` (the learned risk screen models/triage/ is copied in):
#   docker build -f deploy/actions.Dockerfile -t assistant-actions .
ARG PYTHON_IMAGE=python:3.10-slim-bookworm

FROM ${PYTHON_IMAGE} AS dependencies
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv && /opt/venv/bin/python -m pip install -q pip==24.2
COPY requirements.lock /tmp/requirements.lock
RUN /opt/venv/bin/python -m pip install -q -r /tmp/requirements.lock

FROM ${PYTHON_IMAGE}
# Voikko: the catalogue search and the entity normaliser (finnish_nlu) lemmatise.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libvoikko1 voikko-fi \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /home/app --create-home --shell /usr/sbin/nologin app
COPY --from=dependencies /opt/venv /opt/venv
WORKDIR /app
COPY actions/ actions/
COPY common/ common/
COPY triage/ triage/
COPY finnish_nlu/ finnish_nlu/
COPY service_catalogue/ service_catalogue/
COPY data/nlu/ data/nlu/
COPY models/triage/ models/triage/
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    TRIAGE_CACHE_DIR=/tmp/triage-cache \
    SANIC_HOST=0.0.0.0
USER 10001:10001
EXPOSE 5055
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5055/health', timeout=4)"]
CMD ["python", "-m", "actions.server", "--port", "5055"]
