# CodeAhead's production image: `bin/serve web` (gunicorn) by default, `bin/serve worker` for the
# email worker, `bin/serve migrate` once per release (compose.yaml runs all three).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# The dependencies first, at the versions of the lock file (without the dev tools): this layer
# is rebuilt only when they change.
COPY pyproject.toml requirements.lock ./
RUN pip install --constraint requirements.lock .

COPY . .

# Static files are collected into the image (WhiteNoise serves them, compressed, under hashed
# names). collectstatic reads no database; DEBUG off needs a secret and hosts, these are for this step only.
RUN DEBUG=0 SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost DATABASE_URL=postgresql://unused@localhost/unused \
    python manage.py collectstatic --noinput --verbosity 0

# Never as root: the files stay root's (read-only to the site), the process is this user's.
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin codeahead
USER codeahead

ENV GUNICORN_BIND=0.0.0.0:8000
EXPOSE 8000
CMD ["bin/serve", "web"]
