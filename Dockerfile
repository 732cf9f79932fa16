# Image of the web app, of the worker and of the one-shot jobs of docker-compose.yml (same
# code, different command).
# Debian 12 (bookworm) named, not whatever Debian « slim » follows that day: its PostgreSQL client
# is version 15, the servers' of docker-compose.yml, which the backup's pg_dump/pg_restore need
# (a newer pg_dump writes settings a 15 server refuses inside pg_restore --single-transaction).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATA_DIR=/var/lib/parcours \
    PARCOURS_ENV=production
WORKDIR /app

# pg_dump and pg_restore for `python -m ops.sauvegarde` run in this image (docs/sauvegardes.md).
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/*

# The runtime dependencies of pyproject.toml at the versions of requirements.lock, each with
# its hashes (requirements-image.lock, `make lock`): pip refuses any file whose hash differs.
# Not `-c requirements.lock`: hashes in a constraints file put pip in hash-checking mode for
# the unpinned requirements of pyproject.toml, which it then refuses. A layer of its own:
# rebuilt only when the lock changes.
COPY requirements-image.lock ./
RUN pip install --require-hashes --no-deps -r requirements-image.lock

# .dockerignore keeps the development secrets (config/partners.dev.toml) and the tests out:
# the partners' secrets come from the environment only, checked at start (core/production.py).
COPY . .
# The version this image serves (core/version.py: /livez, parcours_build_info, the
# administration's footer): `make image` passes `git describe`. Late in the file, so that a
# new version does not rebuild the dependencies' layer.
ARG PARCOURS_VERSION=""
ENV PARCOURS_VERSION=${PARCOURS_VERSION}
# Bytecode compiled once here: with PYTHONDONTWRITEBYTECODE and a read-only /app, the worker
# would otherwise compile the workflow modules from source for every workflow it starts or
# replays (its sandbox imports them afresh each time) — twice the CPU per new parcours.
RUN pip install --no-deps -e . \
 && python -m compileall -q /app \
 && useradd --system --uid 1000 parcours \
 && mkdir -p "$DATA_DIR" && chown parcours "$DATA_DIR"
USER parcours
EXPOSE 8000
# Behind the proxy of docker-compose.yml (FORWARDED_ALLOW_IPS says whom to trust).
CMD ["python", "-m", "uvicorn", "web.app:create_app", "--factory", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers"]
