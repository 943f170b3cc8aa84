# syntax=docker/dockerfile:1
# The app and the action server (issue #35): one image, two containers (compose.yaml runs each with its own
# command). Python 3.11 on Debian 12 slim; our dependencies from uv.lock, the same lock `make` uses, with
# their hashes, through uv pinned by hash in tools/uv-requirements.txt. No secret is baked in: every secret
# arrives as a file at run time (BOT_*_FILE). The engine has its own image: engine/Dockerfile.

FROM python:3.11-slim-bookworm AS build
WORKDIR /opt/bot
COPY tools/uv-requirements.txt tools/uv-requirements.txt
RUN python -m venv /opt/uv \
 && /opt/uv/bin/pip install --no-cache-dir --require-hashes -r tools/uv-requirements.txt
COPY pyproject.toml uv.lock ./
# Dependencies first (a layer that changes only with the lock), then our code; no development tools.
RUN UV_PROJECT_ENVIRONMENT=/opt/bot/.venv /opt/uv/bin/uv sync --frozen --no-dev --no-install-project
COPY bot bot
COPY actions actions
COPY tools/fetch_govuk_frontend.py tools/fetch_govuk_frontend.py
RUN UV_PROJECT_ENVIRONMENT=/opt/bot/.venv /opt/uv/bin/uv sync --frozen --no-dev \
 && /opt/bot/.venv/bin/python tools/fetch_govuk_frontend.py

FROM python:3.11-slim-bookworm
# Pango and HarfBuzz for the PDF exports (WeasyPrint); postgresql-client for `bot db backup` on PostgreSQL.
# Not pinned to versions (DL3008): Debian 12's security updates are what a rebuild should pick up.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
      postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 bot \
 && useradd --system --uid 10001 --gid bot --home-dir /data --no-create-home bot \
 && mkdir /data && chown bot:bot /data && chmod 0700 /data
COPY --from=build /opt/bot /opt/bot
WORKDIR /opt/bot
# Not secrets: where things are. The root filesystem can be read-only; all writes go to the /data volume.
ENV PATH=/opt/bot/.venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    BOT_ENV=production \
    BOT_DATA_DIR=/data \
    BOT_BIND_HOST=0.0.0.0 \
    BOT_APP_PORT=8080 \
    BOT_ACTIONS_PORT=5055 \
    BOT_LOG_FORMAT=json
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
# The app; compose.yaml runs the action server from the same image with `python -m actions.server`.
CMD ["python", "-m", "bot.web"]
