import os
import tempfile
import unittest

from gantry_worker import resources
from gantry_worker.resources import Resources

MEMINFO = """MemTotal:       65843052 kB
MemFree:        12345678 kB
MemAvailable:   40000000 kB
"""


class ResourcesTest(unittest.TestCase):
    def test_meminfo_total_in_gib(self):
        self.assertEqual(62.8, resources.parse_meminfo(MEMINFO))
        self.assertIsNone(resources.parse_meminfo("MemFree: 1 kB\n"))

    def test_memory_read_from_a_meminfo_file(self):
        with tempfile.NamedTemporaryFile("w", suffix="meminfo", delete=False) as f:
            f.write("MemTotal: 8388608 kB\n")
        try:
            self.assertEqual(8.0, resources.memory_gb(f.name))
        finally:
            os.unlink(f.name)

    def test_a_lower_cgroup_limit_wins(self):
        with tempfile.TemporaryDirectory() as d:
            meminfo, limit = os.path.join(d, "meminfo"), os.path.join(d, "memory.max")
            with open(meminfo, "w") as f:
                f.write(MEMINFO)
            with open(limit, "w") as f:
                f.write("max\n")
            self.assertEqual(62.8, resources.memory_gb(meminfo, [limit]))
            with open(limit, "w") as f:
                f.write("%d\n" % (4 * 2 ** 30))
            self.assertEqual(4.0, resources.memory_gb(meminfo, [limit]))
            self.assertEqual(62.8, resources.memory_gb(meminfo, [os.path.join(d, "absent")]))

    def test_memory_falls_back_to_sysconf_without_meminfo(self):
        self.assertGreater(resources.memory_gb("/nonexistent/meminfo"), 0)

    def test_nvidia_smi_lines_are_gpus(self):
        out = "NVIDIA A100-SXM4-40GB\nNVIDIA A100-SXM4-40GB\n\n"
        self.assertEqual(["NVIDIA A100-SXM4-40GB"] * 2, resources.parse_nvidia_smi(out))
        self.assertEqual([], resources.parse_nvidia_smi("No devices were found\n"))

    def test_no_nvidia_smi_means_no_gpu(self):
        self.assertEqual([], resources.nvidia_gpus(command="nvidia-smi-that-does-not-exist"))

    def test_a_failing_nvidia_smi_means_no_gpu(self):
        with tempfile.TemporaryDirectory() as d:
            fake = os.path.join(d, "nvidia-smi")
            with open(fake, "w") as f:
                f.write("#!/bin/sh\necho 'NVIDIA-SMI has failed' >&2\nexit 9\n")
            os.chmod(fake, 0o755)
            self.assertEqual([], resources.nvidia_gpus(command=fake))
            with open(fake, "w") as f:
                f.write("#!/bin/sh\necho 'Tesla T4'\n")
            self.assertEqual(["Tesla T4"], resources.nvidia_gpus(command=fake))

    def test_capabilities_follow_the_resources(self):
        self.assertEqual(["cpu"], Resources(4, 16).capabilities())
        self.assertEqual(["cpu", "gpu"], Resources(4, 16, ["T4"]).capabilities())
        self.assertEqual(["cpu", "gpu", "high-memory"], Resources(64, 512, ["A100"]).capabilities())

    def test_overrides_replace_what_was_detected(self):
        r = Resources(4, 16, ["T4"]).with_overrides(cpu_cores=32, gpu_count=3)
        self.assertEqual((32, 16.0, 3), (r.cpu_cores, r.memory_gb, r.gpu_count))
        self.assertEqual("T4", r.gpus[0])
        self.assertEqual(0, Resources(4, 16, ["T4"]).with_overrides(gpu_count=0).gpu_count)
        self.assertEqual({"cpuCores": 32, "memoryGB": 16.0, "gpuCount": 3, "version": "9"},
                         {k: v for k, v in r.metadata("9").items() if k != "platform"})

    def test_detect_finds_this_machine(self):
        r = resources.detect()
        self.assertGreaterEqual(r.cpu_cores, 1)
        self.assertGreater(r.memory_gb, 0)


if __name__ == "__main__":
    unittest.main()
