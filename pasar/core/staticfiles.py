"""Static files as production serves them: hashed names, gzip and brotli copies (whitenoise).

whitenoise compresses every file again on each ``collectstatic``, which made each start of
``pasar serve`` and ``pasar demo`` wait ~20 s. A hashed name fixes the content, so a compressed copy
that already exists beside it is already right: only new files are compressed.
"""

from collections.abc import Iterable, Iterator
from pathlib import Path

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    def compress_files(self, paths: Iterable[str]) -> Iterator[tuple[str, str]]:
        root = Path(self.location)
        hashed = set(self.hashed_files.values())
        pending = []
        for path in paths:
            existing = [f"{path}{suffix}" for suffix in (".gz", ".br") if (root / f"{path}{suffix}").exists()]
            if existing and path in hashed:
                for name in existing:
                    yield path, name
            else:
                pending.append(path)
        yield from super().compress_files(pending)
