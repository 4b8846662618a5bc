# The same steps as `make`: a venv with the project installed from pyproject.toml.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH="/app/.venv/bin:$PATH"
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core fonts-noto-core fonts-noto-cjk \
        gettext curl make libicu-dev pkg-config g++ \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY coalition ./coalition
COPY accounts ./accounts
COPY members ./members
COPY pledges ./pledges
COPY events ./events
RUN python -m venv .venv && .venv/bin/python -m pip install --upgrade pip && .venv/bin/python -m pip install -e .
COPY . .
RUN DEBUG=1 DATABASE_URL=postgres://unused@localhost/unused REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput
RUN DEBUG=1 DATABASE_URL=postgres://unused@localhost/unused REDIS_URL=redis://localhost:6379/0 \
    python manage.py compilemessages -l ru -l fr --ignore=.venv --ignore=staticfiles
RUN useradd --system --home /app coalition && mkdir -p /app/.data /app/backups && chown -R coalition /app/.data /app/backups
USER coalition
EXPOSE 8000
CMD ["gunicorn", "coalition.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
