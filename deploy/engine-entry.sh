#!/bin/sh
# The engine container's entry (engine/Dockerfile): Rasa expands ${BOT_ENGINE_TOKEN} and ${BOT_ACTIONS_TOKEN}
# in endpoints.yml and credentials.yml from its environment only, so read each from its secret file here, at
# start, rather than baking it into the image or the compose file. Then check the data folder and exec Rasa.
# The data folder is BOT_DATA_DIR (the image's /data by default): Kubernetes puts it on a pod volume instead
# (deploy/kubernetes/app.yaml), as a kubelet-made volume's own root is open to all and the check refuses it.
set -eu
BOT_ENGINE_TOKEN="$(cat "$BOT_ENGINE_TOKEN_FILE")"
BOT_ACTIONS_TOKEN="$(cat "$BOT_ACTIONS_TOKEN_FILE")"
export BOT_ENGINE_TOKEN BOT_ACTIONS_TOKEN
unset BOT_ENGINE_TOKEN_FILE BOT_ACTIONS_TOKEN_FILE
umask 077
mkdir -p "$BOT_DATA_DIR/engine"
exec python -m bot.runtime.engine_start "$BOT_DATA_DIR" /opt/bot/.venv-engine/bin/rasa run \
  --model /opt/bot/models/engine.tar.gz --endpoints endpoints.yml --credentials credentials.yml \
  --interface 127.0.0.1 --port "$BOT_ENGINE_PORT"
