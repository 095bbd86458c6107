"""dlib's models are shared by every thread of a process and are not thread-safe: gunicorn's
gthread workers and a threaded Celery worker analyse faces from several threads at once."""

import subprocess
import sys

from tests.support.faces import FACE_FIXTURES, REPOSITORY, face_photo

# Run in a child process: a heap corruption kills the process, which must fail this test, not
# the test run. No warm-up: the first analyses race each other too.
SCRIPT = """
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from checkin.verification.faces import analyse_faces
from checkin.verification.images import decode_image

paths = sorted(Path(sys.argv[1]).glob("*/*.jpg"))
images = [decode_image(path.read_bytes(), max_bytes=10 << 20, max_pixels=50_000_000).preview for path in paths]
with ThreadPoolExecutor(16) as pool:
    found = list(pool.map(lambda i: [face.box for face in analyse_faces(images[i % len(images)])], range(32)))
alone = [[face.box for face in analyse_faces(image)] for image in images]
assert found == [alone[i % len(images)] for i in range(32)], "threads saw other faces than one thread"
print("analyses", len(found))
"""


def test_sixteen_threads_analyse_faces_at_once_without_crashing_and_agree_with_one_thread():
    face_photo("obama/obama_2.jpg")  # skips (or fails in CI) without the fixtures
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(FACE_FIXTURES)], cwd=REPOSITORY, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr[-2000:]}"
    assert result.stdout.strip() == "analyses 32"
