"""What this machine offers, for the registration: cores, memory, GPUs, and the capabilities that follow."""
import os
import platform
import shutil
import subprocess

#: Capabilities Gantry knows (API.md §2).
KNOWN_CAPABILITIES = ("cpu", "gpu", "high-memory", "ssd", "network")
#: Memory from which a machine declares `high-memory` by itself.
HIGH_MEMORY_GB = 64.0


class Resources:
    """cpu_cores, memory_gb, gpu_count and gpus (names): sent as the registration's metadata, which job
    `requirements` (minCpuCores, minMemoryGB, requireGpu) are checked against."""

    def __init__(self, cpu_cores, memory_gb, gpus=()):
        self.cpu_cores = int(cpu_cores)
        self.memory_gb = float(memory_gb)
        self.gpus = list(gpus)

    @property
    def gpu_count(self):
        return len(self.gpus)

    def with_overrides(self, cpu_cores=None, memory_gb=None, gpu_count=None):
        """A copy with the given values instead of the detected ones (gpu_count keeps known GPU names)."""
        gpus = self.gpus
        if gpu_count is not None:
            gpus = (self.gpus + ["gpu%d" % i for i in range(len(self.gpus), gpu_count)])[:gpu_count]
        return Resources(self.cpu_cores if cpu_cores is None else cpu_cores,
                         self.memory_gb if memory_gb is None else memory_gb, gpus)

    def capabilities(self):
        """cpu always; gpu with a GPU; high-memory from HIGH_MEMORY_GB. (ssd and network are for you to say.)"""
        found = ["cpu"]
        if self.gpus:
            found.append("gpu")
        if self.memory_gb >= HIGH_MEMORY_GB:
            found.append("high-memory")
        return found

    def metadata(self, version):
        return {"cpuCores": self.cpu_cores, "memoryGB": self.memory_gb, "gpuCount": self.gpu_count,
                "version": version, "platform": platform.platform()}

    def __repr__(self):
        return "Resources(cpu_cores=%d, memory_gb=%.1f, gpus=%r)" % (self.cpu_cores, self.memory_gb, self.gpus)


def detect():
    """The resources of this machine: os.cpu_count (the CPUs this process may use, where known), MemTotal of
    /proc/meminfo (else sysconf), and the GPUs `nvidia-smi` lists when it is installed."""
    return Resources(cpu_cores(), memory_gb(), nvidia_gpus())


def cpu_cores():
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


CGROUP_MEMORY_LIMITS = ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")


def memory_gb(meminfo_path="/proc/meminfo", cgroup_paths=CGROUP_MEMORY_LIMITS):
    """MemTotal, or the container's cgroup memory limit when that is lower."""
    try:
        with open(meminfo_path, encoding="ascii", errors="replace") as f:
            total = parse_meminfo(f.read())
        if total is not None:
            limit = cgroup_memory_gb(cgroup_paths)
            return min(total, limit) if limit else total
    except OSError:
        pass
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30, 1)
    except (ValueError, OSError, AttributeError):
        return 0.0


def parse_meminfo(text):
    """GiB of the MemTotal line of /proc/meminfo's text (in kB), rounded to 0.1; None when absent."""
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] == "MemTotal:" and parts[1].isdigit():
            kib = int(parts[1])
            unit = parts[2].lower() if len(parts) > 2 else "kb"
            factor = {"kb": 1024, "mb": 1024 ** 2, "gb": 1024 ** 3, "b": 1}.get(unit, 1024)
            return round(kib * factor / 2 ** 30, 1)
    return None


def cgroup_memory_gb(paths=CGROUP_MEMORY_LIMITS):
    """GiB of the first cgroup memory limit found (None for none, "max", or the v1 "unlimited" huge value)."""
    for path in paths:
        try:
            with open(path, encoding="ascii") as f:
                value = f.read().strip()
        except OSError:
            continue
        if value.isdigit() and int(value) < 2 ** 60:
            return round(int(value) / 2 ** 30, 1)
        return None
    return None


def nvidia_gpus(command="nvidia-smi", timeout=5.0):
    """Names of the GPUs `nvidia-smi` lists; [] when it is absent or fails."""
    if shutil.which(command) is None:
        return []
    try:
        out = subprocess.run([command, "--query-gpu=name", "--format=csv,noheader"], capture_output=True,
                             text=True, timeout=timeout)
    except (OSError, subprocess.SubprocessError):
        return []
    return parse_nvidia_smi(out.stdout) if out.returncode == 0 else []


def parse_nvidia_smi(text):
    """GPU names of `nvidia-smi --query-gpu=name --format=csv,noheader` output, one per line."""
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("No devices")]
