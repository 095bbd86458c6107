# One image for every process: the API (the default command), the Celery worker and the beat
# (docker-compose.yml shows each). Built here with ../shared/tools/container/build.
#
# The base image is named once. A release build pins it by digest:
#   --build-arg BASE_IMAGE=python:3.11-slim@sha256:<digest>
ARG BASE_IMAGE=python:3.11-slim
# The face library's engine. `source` compiles dlib with OpenBLAS (the whole image in ~7 min
# on 2 cores, once; the face encoding then takes a quarter of the time, README "Scale on paper").
# `bin` takes the prebuilt dlib-bin wheel, as the development setup does (seconds; no BLAS).
ARG DLIB=source
# The CPU generation the compiled dlib is built for. x86-64-v3 (AVX2 and FMA: Intel since 2013, AMD
# since 2015) runs its face detector 2.4x faster than dlib's own AVX-only flags; a host without
# AVX2 needs x86-64-v2, or DLIB=bin.
ARG DLIB_MARCH=x86-64-v3

# --- dlib: compiled with OpenBLAS, or the prebuilt wheel -----------------------------------------
# One stage with a branch rather than a stage per choice: `FROM dlib-${DLIB}` races in buildah.
FROM ${BASE_IMAGE} AS dlib
ARG DLIB
ARG DLIB_MARCH
COPY requirements/dlib-source.txt requirements/dlib-bin.txt /tmp/
# setup.py hands DLIB_* variables to CMake: insist on BLAS and LAPACK rather than silently
# building without them. CMake adds CFLAGS/CXXFLAGS to its own (dlib's AVX detection, -O3).
ENV DLIB_USE_BLAS=ON DLIB_USE_LAPACK=ON DLIB_USE_CUDA=OFF \
    CFLAGS="-O3 -march=${DLIB_MARCH}" CXXFLAGS="-O3 -march=${DLIB_MARCH}"
RUN set -e; \
    if [ "$DLIB" = source ]; then \
      apt-get update; \
      apt-get install -y --no-install-recommends build-essential libopenblas-dev liblapack-dev; \
      pip wheel --no-cache-dir --no-deps --require-hashes -r /tmp/dlib-source.txt -w /wheels; \
    elif [ "$DLIB" = bin ]; then \
      pip download --no-cache-dir --no-deps --require-hashes -r /tmp/dlib-bin.txt -d /wheels; \
    else \
      echo "DLIB must be source or bin, not '$DLIB'" >&2; exit 1; \
    fi

# --- the virtual environment: runtime requirements only, every one pinned by hash -------------
FROM ${BASE_IMAGE} AS venv
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY requirements.txt requirements/face.txt /tmp/requirements/
RUN pip install --no-cache-dir --require-hashes -r /tmp/requirements/requirements.txt
# face_recognition declares `dlib`, which would build from source: it goes in without its
# dependencies, over the dlib chosen above.
COPY --from=dlib /wheels /tmp/wheels
RUN pip install --no-cache-dir --no-deps /tmp/wheels/*.whl \
 && pip install --no-cache-dir --no-deps --require-hashes -r /tmp/requirements/face.txt

# --- the runtime image --------------------------------------------------------------------------
FROM ${BASE_IMAGE}
ARG DLIB
# The compiled dlib links OpenBLAS and LAPACK; the prebuilt wheel carries what it needs.
RUN if [ "$DLIB" = source ]; then \
      apt-get update \
      && apt-get install -y --no-install-recommends libopenblas0-pthread liblapack3 \
      && apt-get clean && rm -rf /var/lib/apt/lists/*; \
    fi
# The user first, so no later layer depends on it changing. Group 0 owns what the service
# writes, so a platform that runs the image under an arbitrary UID (in group 0) can write too.
RUN useradd --uid 10001 --gid 0 --home-dir /app --no-create-home --shell /usr/sbin/nologin etk

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    FLASK_APP=wsgi \
    INSTANCE_DIR=/app/instance \
    # One BLAS thread per process: gunicorn and Celery already run a process per core.
    OPENBLAS_NUM_THREADS=1 \
    OMP_NUM_THREADS=1

COPY --from=venv /opt/venv /opt/venv
WORKDIR /app
# The code stays root's and read-only to the service; only the data directory is writable.
COPY . .
RUN mkdir -p /app/instance \
 && chown 10001:0 /app/instance \
 && chmod 2775 /app/instance
# The SQLite file of the embedded default and the stored selfies and report files (STORAGE_DIR):
# the API and the workers must share it (docker-compose.yml), or use the S3 backend.
VOLUME ["/app/instance"]
USER 10001

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-m", "checkin.healthcheck"]
# Migrate (idempotent; PostgreSQL serialises concurrent runs), then hand the process to gunicorn.
# docker-compose.yml runs the migration once on its own and starts gunicorn alone.
CMD ["sh", "-c", "flask init-db && exec gunicorn -c gunicorn.conf.py wsgi:app"]
