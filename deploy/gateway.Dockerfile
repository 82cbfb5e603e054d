# syntax=docker/dockerfile:1
# The gateway (bot/): FastAPI under uvicorn on :8000, the only process residents and workers reach.
# Build from the repository root after `make train` (the learned risk screen models/triage/ is copied in):
#   docker build -f deploy/gateway.Dockerfile -t assistant-gateway .
# Only the runtime lock (requirements.lock) is installed: no pytest, ruff, Playwright or Chromium.
ARG PYTHON_IMAGE=python:3.10-slim-bookworm

FROM ${PYTHON_IMAGE} AS dependencies
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv && /opt/venv/bin/python -m pip install -q pip==24.2
COPY requirements.lock /tmp/requirements.lock
RUN /opt/venv/bin/python -m pip install -q -r /tmp/requirements.lock

FROM ${PYTHON_IMAGE}
# Voikko (libvoikko1 + the Finnish dictionary voikko-fi): the risk screening and the catalogue search lemmatise.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libvoikko1 voikko-fi \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /home/app --create-home --shell /usr/sbin/nologin app
COPY --from=dependencies /opt/venv /opt/venv
WORKDIR /app
# Code and data are owned by root and read-only for the app user. The live catalogue the editors change is
# a volume (CATALOGUE_DIR, deploy/kubernetes/gateway.yaml); service_catalogue/ here is its first content.
COPY alembic.ini ./
COPY migrations/ migrations/
COPY bot/ bot/
COPY common/ common/
COPY triage/ triage/
COPY finnish_nlu/ finnish_nlu/
COPY service_catalogue/ service_catalogue/
# The learned risk screen's fingerprint hashes the NLU data: without it every start would retrain.
COPY data/nlu/ data/nlu/
COPY models/triage/ models/triage/
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DATA_DIR=/tmp/data \
    TRIAGE_CACHE_DIR=/tmp/triage-cache
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/live', timeout=4)"]
# As scripts/run_system.py starts it, but on all interfaces: X-Forwarded-For is believed only from
# TRUSTED_PROXIES (bot.main), never from uvicorn's own proxy-header handling.
CMD ["uvicorn", "bot.main:create_app", "--factory", "--host", "0.0.0.0", "--port", "8000", "--no-proxy-headers"]
