# The same install route as README.md / Makefile: requirements, then face_recognition --no-deps.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    INSTANCE_DIR=/app/instance

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt \
 && pip install --no-cache-dir --no-deps face_recognition==1.3.0

COPY . .
RUN useradd --create-home --uid 10001 etk \
 && mkdir -p /app/instance \
 && chown etk /app/instance
USER etk

EXPOSE 8000
# Migrate, then hand the process over to gunicorn.
CMD ["sh", "-c", "flask --app wsgi init-db && exec gunicorn -c gunicorn.conf.py wsgi:app"]
