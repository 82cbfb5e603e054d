# The session fixture `running_system` lives in tests/conftest.py, so that tests/system and
# tests/browser share one running system (gateway, Rasa, action server) per test session.
