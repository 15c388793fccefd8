import base64
import hashlib
import os
import sys
import tarfile
import tempfile
import unittest
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "_build"))
import gantry_build  # noqa: E402  (the in-tree build backend pyproject.toml names)

import gantry_worker  # noqa: E402


class BuildBackendTest(unittest.TestCase):
    def test_the_wheel_holds_the_package_metadata_and_a_true_record(self):
        with tempfile.TemporaryDirectory() as d:
            name = gantry_build.build_wheel(d)
            self.assertEqual("gantry_worker-%s-py3-none-any.whl" % gantry_worker.__version__, name)
            with zipfile.ZipFile(os.path.join(d, name)) as wheel:
                names = wheel.namelist()
                for module in ("__init__", "worker", "jobs", "client", "context", "resources", "logs", "backoff"):
                    self.assertIn("gantry_worker/%s.py" % module, names)
                info = "gantry_worker-%s.dist-info/" % gantry_worker.__version__
                metadata = wheel.read(info + "METADATA").decode()
                self.assertIn("Name: gantry-worker\n", metadata)
                self.assertIn("Version: %s\n" % gantry_worker.__version__, metadata)
                self.assertIn("Root-Is-Purelib: true", wheel.read(info + "WHEEL").decode())
                for line in wheel.read(info + "RECORD").decode().splitlines():
                    path, digest, size = line.split(",")
                    if path == info + "RECORD":
                        continue
                    data = wheel.read(path)
                    expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                    self.assertEqual(("sha256=" + expected, str(len(data))), (digest, size), path)

    def test_the_version_of_pyproject_is_the_librarys(self):
        self.assertEqual(gantry_worker.__version__, gantry_build.project()["version"])

    def test_the_sdist_can_build_again(self):
        with tempfile.TemporaryDirectory() as d:
            name = gantry_build.build_sdist(d)
            with tarfile.open(os.path.join(d, name)) as sdist:
                names = sdist.getnames()
            base = name[: -len(".tar.gz")]
            for path in ("pyproject.toml", "PKG-INFO", "_build/gantry_build.py", "gantry_worker/worker.py"):
                self.assertIn(base + "/" + path, names)

    def test_the_editable_wheel_points_at_the_sources(self):
        with tempfile.TemporaryDirectory() as d:
            with zipfile.ZipFile(os.path.join(d, gantry_build.build_editable(d))) as wheel:
                self.assertEqual(ROOT, wheel.read("_gantry_worker_editable.pth").decode().strip())


if __name__ == "__main__":
    unittest.main()
