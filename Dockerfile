# Minimal image on the same entrypoint as the systemd unit (`pasar serve`). No container engine or
# registry is reachable where this project is built, so this file is NOT built or tested in CI:
# docs/deploy.md (plain VPS + systemd) is the tested path.
FROM python:3.12-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client && rm -rf /var/lib/apt/lists/*
COPY --from=ghcr.io/astral-sh/uv:latest /uv /usr/local/bin/uv
ENV UV_PROJECT_ENVIRONMENT=/venv UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy PASAR_DATA_DIR=/data
WORKDIR /app
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --locked --no-dev --no-install-project
COPY . .
RUN uv sync --locked --no-dev
RUN useradd --system --home-dir /data pasar && install -d -o pasar /data
USER pasar
EXPOSE 8000
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["/venv/bin/pasar", "serve", "--bind", "0.0.0.0:8000"]
