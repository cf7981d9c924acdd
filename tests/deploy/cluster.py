"""Several bot workers in webhook mode behind a real nginx (deploy/nginx/bridge.conf, rendered
with free ports), for the three-worker test and the worker-scaling benchmark: nginx and each
worker are child processes (`nginx -g 'daemon off;'`, `python -m bridge`)."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "bridge.conf"
WEBHOOK_PATH = "/telegram/webhook"
SECRET = "cluster-secret_0123456789"
NO_NGINX = "[no nginx]"  # a skip's reason starts with it; tests/conftest.py sums it up


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def render_site(listen: int, worker_ports: list[int]) -> str:
    """The example configuration with this machine's ports (what an operator's envsubst does;
    nginx's own $variables are left alone)."""
    workers = "\n    ".join(
        f"server 127.0.0.1:{port} max_fails=1 fail_timeout=2s;" for port in worker_ports
    )
    return Template(SITE.read_text()).safe_substitute(
        BRIDGE_LISTEN=f"127.0.0.1:{listen}",
        BRIDGE_WEBHOOK_PATH=WEBHOOK_PATH,
        BRIDGE_WORKERS=workers,
    )


async def wait_port(port: int, timeout: float = 30) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            if loop.time() > deadline:
                raise TimeoutError(f"nothing listens on port {port}") from None
            await asyncio.sleep(0.05)


@dataclass
class Cluster:
    """nginx on `port`, in front of one worker per `worker_ports` entry."""

    directory: Path
    bot_api_url: str
    token: str
    database_url: str
    workers: int
    extra_env: dict[str, str] = field(default_factory=dict)
    # nginx logs each request's worker (`upstreams()`): off for benchmarks
    access_log: bool = False
    port: int = field(default_factory=free_port)
    worker_ports: list[int] = field(default_factory=list)
    processes: list[subprocess.Popen | None] = field(default_factory=list)
    nginx: subprocess.Popen | None = None

    @property
    def webhook_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{WEBHOOK_PATH}"

    async def start(self) -> None:
        binary = nginx_binary()
        assert binary is not None, "nginx is not installed"
        self.worker_ports = [free_port() for _ in range(self.workers)]
        self.processes = [None] * self.workers
        temp = self.directory / "nginx"
        temp.mkdir(parents=True, exist_ok=True)
        temp.chmod(0o777)  # nginx's workers (nobody, when started by root) buffer here
        (temp / "bridge.conf").write_text(render_site(self.port, self.worker_ports))
        (temp / "nginx.conf").write_text(
            "worker_processes 1;\n"
            f"pid {temp}/nginx.pid;\n"
            f"error_log {temp}/error.log warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n"
            + (
                "    log_format upstream '$upstream_addr';\n"
                f"    access_log {temp}/access.log upstream;\n"
                if self.access_log
                else "    access_log off;\n"
            )
            + "".join(
                f"    {kind}_temp_path {temp}/{kind};\n"
                for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
            )
            + f"    include {temp}/bridge.conf;\n"
            "}\n"
        )
        self.nginx = subprocess.Popen(
            [binary, "-p", str(temp), "-e", str(temp / "error.log"), "-c", str(temp / "nginx.conf")]
            + ["-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=(temp / "stderr.log").open("ab"),
        )
        await wait_port(self.port)
        for index in range(self.workers):
            self.start_worker(index)
        for port in self.worker_ports:
            await wait_port(port, timeout=60)

    def log(self, index: int) -> Path:
        return self.directory / f"worker-{index}.log"

    def start_worker(self, index: int) -> None:
        env = {
            **os.environ,
            "BOT_TOKEN": self.token,
            "BOT_API_URL": self.bot_api_url,
            "DATABASE_URL": self.database_url,
            "WEBHOOK_URL": self.webhook_url,
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_LISTEN": f"127.0.0.1:{self.worker_ports[index]}",
            "WORKER_NAME": f"worker-{index}",
            **self.extra_env,
        }
        self.processes[index] = subprocess.Popen(
            [sys.executable, "-m", "bridge"],
            env=env,
            cwd=ROOT,
            stdout=self.log(index).open("ab"),
            stderr=subprocess.STDOUT,
        )

    async def kill_worker(self, index: int) -> None:
        process = self.processes[index]
        assert process is not None
        process.send_signal(signal.SIGKILL)
        await asyncio.to_thread(process.wait)
        self.processes[index] = None

    async def stop(self) -> None:
        for process in self.processes:
            if process is not None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            if process is not None:
                try:  # the test's loop runs the Bot API server: wait without blocking it
                    await asyncio.to_thread(process.wait, 20)
                except subprocess.TimeoutExpired:
                    process.kill()
        if self.nginx is not None:
            self.nginx.send_signal(signal.SIGQUIT)  # graceful: finish what is in flight
            try:
                await asyncio.to_thread(self.nginx.wait, 10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()

    def upstreams(self) -> list[str]:
        """The worker (host:port) each request went to, in order (with `access_log`)."""
        path = self.directory / "nginx" / "access.log"
        return path.read_text().splitlines() if path.exists() else []

    def logs(self, tail: int = 3000) -> str:
        return "\n".join(
            f"--- worker {i} ---\n{self.log(i).read_text(errors='replace')[-tail:]}"
            for i in range(self.workers)
            if self.log(i).exists()
        )
