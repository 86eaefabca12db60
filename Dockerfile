# The production image: one image for web, worker and beat (the command differs).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 BPOREG_VAR_DIR=/var/lib/bporeg
WORKDIR /app
# pg_dump and pg_restore (PostgreSQL 15, as the compose file's server) for ops/backup and ops/restore.
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 bporeg && mkdir -p /var/lib/bporeg && chown bporeg /var/lib/bporeg

COPY . .
RUN pip install --no-cache-dir .
RUN DEBUG=false SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input

USER bporeg
EXPOSE 8000
CMD ["gunicorn", "bporeg.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
