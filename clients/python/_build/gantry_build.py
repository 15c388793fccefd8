"""A PEP 517 build backend in the standard library only: builds the wheel, the sdist and an editable wheel of
gantry-worker, so installing it needs no network and no setuptools. It packages the `gantry_worker` package
beside this folder; name, version and the rest come from pyproject.toml's [project] table."""
import base64
import hashlib
import io
import os
import re
import tarfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "gantry_worker"
WHEEL_TAG = "py3-none-any"


def project():
    """The `key = "value"` entries of pyproject.toml's [project] table (all this project uses)."""
    with open(os.path.join(ROOT, "pyproject.toml"), encoding="utf-8") as f:
        text = f.read()
    section = re.search(r"^\[project\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    if not section:
        raise ValueError("pyproject.toml has no [project] table")
    values = dict(re.findall(r'^([A-Za-z-]+)\s*=\s*"([^"]*)"\s*$', section.group(1), re.M))
    for key in ("name", "version"):
        if key not in values:
            raise ValueError("pyproject.toml [project] lacks %s" % key)
    return values


def _dist_name(p):
    return re.sub(r"[-_.]+", "_", p["name"]).lower()


def _metadata(p):
    lines = ["Metadata-Version: 2.1", "Name: " + p["name"], "Version: " + p["version"]]
    if "description" in p:
        lines.append("Summary: " + p["description"])
    if "requires-python" in p:
        lines.append("Requires-Python: " + p["requires-python"])
    text = "\n".join(lines) + "\n"
    readme = os.path.join(ROOT, "README.md")
    if os.path.exists(readme):
        with open(readme, encoding="utf-8") as f:
            text += "Description-Content-Type: text/markdown\n\n" + f.read()
    return text


def _wheel_file():
    return "Wheel-Version: 1.0\nGenerator: gantry_build\nRoot-Is-Purelib: true\nTag: %s\n" % WHEEL_TAG


def _sources():
    """(path in the archive, absolute path) of every .py file of the package, sorted."""
    base = os.path.join(ROOT, PACKAGE)
    found = []
    for folder, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                full = os.path.join(folder, name)
                found.append((os.path.relpath(full, ROOT).replace(os.sep, "/"), full))
    return found


def _write_wheel(directory, entries):
    """entries: (archive path, bytes). Adds RECORD and returns the wheel's file name."""
    p = project()
    dist_info = "%s-%s.dist-info" % (_dist_name(p), p["version"])
    entries = list(entries) + [(dist_info + "/METADATA", _metadata(p).encode()),
                               (dist_info + "/WHEEL", _wheel_file().encode())]
    record = []
    for path, data in entries:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append("%s,sha256=%s,%d" % (path, digest, len(data)))
    record.append(dist_info + "/RECORD,,")
    entries.append((dist_info + "/RECORD", ("\n".join(record) + "\n").encode()))
    name = "%s-%s-%s.whl" % (_dist_name(p), p["version"], WHEEL_TAG)
    with zipfile.ZipFile(os.path.join(directory, name), "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, data in entries:
            wheel.writestr(zipfile.ZipInfo(path, date_time=(2020, 1, 1, 0, 0, 0)), data)
    return name


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    p = project()
    dist_info = "%s-%s.dist-info" % (_dist_name(p), p["version"])
    os.makedirs(os.path.join(metadata_directory, dist_info), exist_ok=True)
    for name, text in (("METADATA", _metadata(p)), ("WHEEL", _wheel_file())):
        with open(os.path.join(metadata_directory, dist_info, name), "w", encoding="utf-8") as f:
            f.write(text)
    return dist_info


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _write_wheel(wheel_directory, [(path, _read(full)) for path, full in _sources()])


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    # A .pth file puts this source folder on sys.path: edits take effect without reinstalling.
    return _write_wheel(wheel_directory, [("_gantry_worker_editable.pth", (ROOT + "\n").encode())])


def build_sdist(sdist_directory, config_settings=None):
    p = project()
    base = "%s-%s" % (_dist_name(p), p["version"])
    files = [("pyproject.toml", os.path.join(ROOT, "pyproject.toml")),
             ("_build/gantry_build.py", os.path.abspath(__file__))] + _sources()
    for extra in ("README.md",):
        if os.path.exists(os.path.join(ROOT, extra)):
            files.append((extra, os.path.join(ROOT, extra)))
    for folder, dirs, names in os.walk(os.path.join(ROOT, "tests")):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in sorted(names):
            if name.endswith(".py"):
                full = os.path.join(folder, name)
                files.append((os.path.relpath(full, ROOT).replace(os.sep, "/"), full))
    name = base + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as sdist:
        def add(path, data):
            info = tarfile.TarInfo(base + "/" + path)
            info.size, info.mtime, info.mode = len(data), int(time.time()), 0o644
            sdist.addfile(info, io.BytesIO(data))
        for path, full in files:
            add(path, _read(full))
        add("PKG-INFO", _metadata(p).encode())
    return name
