import os
import tempfile
import unittest
from unittest import mock

from gantry_worker import Client, Resources, Worker


class ClientTlsTest(unittest.TestCase):
    """The CA file option; the handshake against a real HTTPS node is tested by HttpsApiTest (Java)."""

    def test_a_missing_ca_file_is_refused_at_once(self):
        with self.assertRaises(ValueError) as e:
            Client("https://127.0.0.1:8443", ca_file="/no/such/ca.pem")
        self.assertIn("ca_file", str(e.exception))

    def test_a_pem_that_is_no_certificate_is_refused_at_once(self):
        with tempfile.NamedTemporaryFile("w", suffix=".pem", delete=False) as f:
            f.write("not a certificate\n")
        try:
            with self.assertRaises(Exception):
                Client("https://127.0.0.1:8443", ca_file=f.name)
        finally:
            os.unlink(f.name)

    def test_the_worker_takes_its_ca_file_from_the_environment(self):
        with mock.patch.dict(os.environ, {"GANTRY_CA_FILE": "/no/such/env-ca.pem"}):
            with self.assertRaises(ValueError) as e:
                Worker("https://127.0.0.1:8443", capabilities=["cpu"], resources=Resources(1, 1.0))
        self.assertIn("env-ca.pem", str(e.exception))


if __name__ == "__main__":
    unittest.main()
