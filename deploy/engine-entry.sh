#!/bin/sh
# The engine container's entry (engine/Dockerfile): Rasa expands ${BOT_ENGINE_TOKEN} and ${BOT_ACTIONS_TOKEN}
# in endpoints.yml and credentials.yml from its environment only, so read each from its secret file here, at
# start, rather than baking it into the image or the compose file. Then check the data folder and exec Rasa.
# The data folder is BOT_DATA_DIR (the image's /data by default): Kubernetes puts it on a pod volume instead
# (deploy/kubernetes/app.yaml), as a kubelet-made volume's own root is open to all and the check refuses it.
# The tracker keys (issue #31) seal every event the engine stores; `bot run` derives them from the data keys,
# which the engine must never hold, so here they come ready-made from `bot keys tracker-keys` (one a line; the
# engine's reader, engine/extensions/tracker_seal.py, takes new lines as it takes commas).
# It listens on 127.0.0.1 unless BOT_ENGINE_BIND_HOST says otherwise (compose.scaled.yaml: the engines sit in
# their own containers on an internal network, behind HAProxy; every message is still signed, bot.hop_hosts).
set -eu
BOT_ENGINE_TOKEN="$(cat "$BOT_ENGINE_TOKEN_FILE")"
BOT_ACTIONS_TOKEN="$(cat "$BOT_ACTIONS_TOKEN_FILE")"
: "${BOT_TRACKER_KEYS_FILE:?give the engine its tracker keys file, written by bot keys tracker-keys (docs/production.md)}"
BOT_TRACKER_KEYS="$(cat "$BOT_TRACKER_KEYS_FILE")"
export BOT_ENGINE_TOKEN BOT_ACTIONS_TOKEN BOT_TRACKER_KEYS
unset BOT_ENGINE_TOKEN_FILE BOT_ACTIONS_TOKEN_FILE BOT_TRACKER_KEYS_FILE
# A tracker on PostgreSQL (compose.scaled.yaml): its URL carries the role's password, so it comes as a file too.
if [ -n "${BOT_TRACKER_URL_FILE:-}" ]; then
  BOT_TRACKER_URL="$(cat "$BOT_TRACKER_URL_FILE")"
  export BOT_TRACKER_URL
  unset BOT_TRACKER_URL_FILE
fi
# The shared Redis's password (compose.scaled.yaml), for Rasa's lock store: a file too, never the compose file.
# Empty is none (Rasa refuses an unset ${VAR}, and the in-memory lock store of one engine reads none).
BOT_LOCK_STORE_PASSWORD=""
if [ -n "${BOT_REDIS_PASSWORD_FILE:-}" ]; then
  BOT_LOCK_STORE_PASSWORD="$(cat "$BOT_REDIS_PASSWORD_FILE")"
  unset BOT_REDIS_PASSWORD_FILE
fi
# TLS to Redis (BOT_LOCK_STORE_SSL non-empty, with BOT_LOCK_STORE_CA_CERTS) is off unless set.
BOT_LOCK_STORE_SSL="${BOT_LOCK_STORE_SSL:-}"
BOT_LOCK_STORE_CA_CERTS="${BOT_LOCK_STORE_CA_CERTS:-}"
export BOT_LOCK_STORE_PASSWORD BOT_LOCK_STORE_SSL BOT_LOCK_STORE_CA_CERTS
umask 077
mkdir -p "$BOT_DATA_DIR/engine"
# Rasa's own command line through engine/extensions/rasa_launch.py, which imports skops before Rasa: the model
# loads with about 5 s less CPU (the figures are in that file).
exec python -m bot.runtime.engine_start "$BOT_DATA_DIR" /opt/bot/.venv-engine/bin/python \
  /opt/bot/engine/extensions/rasa_launch.py run \
  --model /opt/bot/models/engine.tar.gz --endpoints endpoints.yml --credentials credentials.yml \
  --interface "${BOT_ENGINE_BIND_HOST:-127.0.0.1}" --port "$BOT_ENGINE_PORT"
