# The two commands of the README:  make run  (whole system, embedded SQLite)  and  make test  (every test).
.PHONY: run test setup setup-dev setup-test setup-fuzz fuzz train lint validate validate-deploy test-unit test-stories test-browser benchmark-nlu benchmark-risk benchmark-live-chat benchmark-routing benchmark-load clean

VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
VENV_FUZZ := .venv-fuzz

setup:
	bash scripts/setup.sh

# The runtime lock plus the development and test tools (requirements-dev.lock); setup-test adds Chromium.
setup-dev:
	WITH_DEV=1 bash scripts/setup.sh

setup-test:
	WITH_BROWSER=1 WITH_DEV=1 bash scripts/setup.sh

# The tools virtualenv (.venv-fuzz): schemathesis and kubernetes-validate cannot be installed beside Rasa 3.6.
setup-fuzz:
	bash scripts/setup_fuzz.sh

# The Kubernetes manifests (deploy/kubernetes) against the API's schemas, offline (docs/deployment.md).
validate-deploy: setup-fuzz
	$(VENV_FUZZ)/bin/python scripts/validate_manifests.py

# schemathesis against the gateway's OpenAPI document over HTTP (scripts/fuzz_gateway.py, docs/security.md).
# The learned risk screen is trained first (quick when up to date), so the gateway never trains it mid-run.
fuzz: setup setup-fuzz
	$(PY) -m triage.train
	$(PY) scripts/fuzz_gateway.py

train: setup
	bash scripts/train_if_changed.sh

run: train
	$(PY) scripts/run_system.py

lint: setup-dev
	$(VENV)/bin/ruff check .

validate:
	$(RASA) data validate --fail-on-warnings

test-stories: train
	$(RASA) test core --model models/assistant.tar.gz --stories tests/stories --fail-on-prediction-errors --out results/stories

test: setup-test setup-fuzz train
	$(VENV)/bin/ruff check .
	$(RASA) data validate --fail-on-warnings
	$(PY) scripts/validate_manifests.py
	$(RASA) test core --model models/assistant.tar.gz --stories tests/stories --fail-on-prediction-errors --out results/stories
	$(PY) -m pytest -ra
	$(PY) scripts/fuzz_gateway.py

benchmark-nlu: setup
	$(PY) -m benchmarks.nlu_benchmark --seeds 1 2 3

benchmark-risk: train
	$(PY) -m benchmarks.risk_cv
	$(PY) -m benchmarks.risk_conversations tests/risk_eval/blind_round6.yml tests/risk_eval/blind_round7.yml tests/risk_eval/blind_round8.yml --latency
	$(PY) -m benchmarks.risk_benchmark --compare
	$(PY) -m benchmarks.risk_benchmark --compare --testset tests/risk_eval/blind_round4.yml
	$(PY) -m benchmarks.risk_benchmark --compare --testset tests/risk_eval/blind_round5.yml

benchmark-routing: train
	$(PY) -m benchmarks.routing_benchmark --calibrate
	$(PY) -m benchmarks.routing_benchmark

benchmark-load: train
	$(PY) -m benchmarks.load_benchmark --conversations 20 --turns 9

benchmark-live-chat: setup
	$(PY) -m benchmarks.live_chat_benchmark --messages 100

clean:
	rm -rf results models test-artifacts
