# Sanctions exposure checker: `docker build -t exposure .` then `docker run -p 8000:8000 exposure`
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /srv/exposure

# Dependencies first, in their own layer: code changes do not reinstall them.
COPY pyproject.toml README.md ./
RUN mkdir -p app && touch app/__init__.py \
 && pip install . \
 && pip uninstall -y exposure

COPY app ./app
COPY lists ./lists
COPY rules ./rules
RUN pip install --no-deps . \
 && useradd --system --uid 10001 --home-dir /srv/exposure exposure \
 && mkdir -p /var/lib/exposure && chown exposure /var/lib/exposure

USER exposure
ENV EXPOSURE_DATABASE_URL=sqlite:////var/lib/exposure/exposure.db \
    EXPOSURE_LISTS_DIR=/srv/exposure/lists \
    EXPOSURE_RULES_DIR=/srv/exposure/rules \
    EXPOSURE_DATA_DIR=/var/lib/exposure/data
VOLUME ["/var/lib/exposure"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"

CMD ["exposure", "serve", "--host", "0.0.0.0", "--port", "8000"]
