#!/usr/bin/env bash
# Trains the Rasa model only when what it is trained from has changed: the config, the domain,
# the training data or the code of our own graph components (Rasa's own fingerprint ignores our code).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA_DIR=${DATA_DIR:-var}
MODEL=models/assistant.tar.gz
stamp_file="$DATA_DIR/model.stamp"
# The learned risk screen first (it checks its own fingerprint: corpus, NLU data, its code), so no process
# trains it at start-up; the Rasa policy loads it while Rasa trains.
.venv/bin/python -m triage.train
# The risk corpus (triage/corpus) trains the learned screen above, not Rasa: it is left out of the stamp.
stamp=$(cat config.yml domain.yml $(find data finnish_nlu triage -path triage/corpus -prune -o -type f \( -name '*.yml' -o -name '*.py' \) -print | sort) | sha256sum | cut -c1-16)
if [ -f "$MODEL" ] && [ "$(cat "$stamp_file" 2>/dev/null)" = "$stamp" ]; then
  echo "[train] model is up to date ($MODEL)"
  exit 0
fi
echo "[train] training the Rasa model (about 5 minutes on 2 cores)"
.venv/bin/rasa train --fixed-model-name assistant --out models --quiet
echo "$stamp" > "$stamp_file"
