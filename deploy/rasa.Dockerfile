# syntax=docker/dockerfile:1
# The Rasa server: `rasa run` on :5005 with the gateway's channel only (credentials.yml names
# bot.rasa_channel.GatewayInput) and without --enable-api, so no tracker can be read over HTTP.
#
# The trained model is COPIED from the build context, not trained in a build stage: the image must carry
# exactly the model `make test` ran the test stories against (rasa test --fail-on-prediction-errors), and
# DIET/TED training is not bit-for-bit reproducible on another machine's CPUs and thread counts. A build
# stage would also add about 5 minutes and the training data to every build. So: `make train`
# (scripts/train_if_changed.sh) writes models/assistant.tar.gz and models/triage/, `make test` checks
# them, then, from the repository root:
#   docker build -f deploy/rasa.Dockerfile -t assistant-rasa .
# A missing model fails the build (COPY of a missing file) instead of producing an image that cannot answer.
ARG PYTHON_IMAGE=python:3.10-slim-bookworm

FROM ${PYTHON_IMAGE} AS dependencies
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv && /opt/venv/bin/python -m pip install -q pip==24.2
COPY requirements.lock /tmp/requirements.lock
RUN /opt/venv/bin/python -m pip install -q -r /tmp/requirements.lock

FROM ${PYTHON_IMAGE}
# Voikko: the tokenizer finnish_nlu.components.FinnishTokenizer and the risk policy lemmatise.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libvoikko1 voikko-fi \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /home/app --create-home --shell /usr/sbin/nologin app
COPY --from=dependencies /opt/venv /opt/venv
WORKDIR /app
# What the model's graph loads besides Rasa: our NLU components, the risk screening policy (triage/, which
# uses common/) and the channel class. Only bot/rasa_channel.py of the gateway package is needed.
COPY finnish_nlu/ finnish_nlu/
COPY triage/ triage/
COPY common/ common/
COPY bot/__init__.py bot/rasa_channel.py bot/rasa_action_validation.py bot/
COPY data/nlu/ data/nlu/
COPY models/triage/ models/triage/
COPY models/assistant.tar.gz models/assistant.tar.gz
# No telemetry (nothing may be downloaded or sent at run time); Rasa unpacks the model under /tmp.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/home/app \
    RASA_TELEMETRY_ENABLED=false \
    TF_CPP_MIN_LOG_LEVEL=2 \
    MPLCONFIGDIR=/tmp/matplotlib \
    TRIAGE_CACHE_DIR=/tmp/triage-cache
USER 10001:10001
EXPOSE 5005
# `rasa run` without --enable-api still serves GET / ("Hello from Rasa: 3.6.21", rasa/server.py
# add_root_route via rasa/core/run.py _create_app_without_api); Sanic binds the port only after the
# model has loaded (before_server_start), so an answer there means the model is in memory.
HEALTHCHECK --interval=30s --timeout=5s --start-period=300s \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5005/', timeout=4)"]
# endpoints.yml and credentials.yml come from a ConfigMap mounted at /etc/rasa (deploy/kubernetes/rasa.yaml);
# the secrets in them are ${VAR}s that Rasa reads from its environment.
CMD ["rasa", "run", "--model", "models/assistant.tar.gz", "--interface", "0.0.0.0", "--port", "5005", \
     "--endpoints", "/etc/rasa/endpoints.yml", "--credentials", "/etc/rasa/credentials.yml"]
