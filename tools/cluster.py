"""The production topology on one machine: `make cluster`, `make cluster-stop` (and `tools/chaos.py` breaks it).

    python tools/cluster.py start | stop | status

Starts, on loopback ports, without a container engine:
- HAProxy in front (health checks on /healthz, X-Forwarded-For and X-Forwarded-Proto), the app trusting one hop;
- two gunicorn app servers with production settings, sharing SECRET_KEY, NATIONAL_ID_KEY and the upload folder;
- a PostgreSQL primary and a streaming replica of the cluster's own (Debian's binaries, run as the postgres user);
- a Redis server of the cluster's own (so that the chaos run can stop it without touching the machine's Redis);
- `flask jobs run`, the one scheduler.
Everything lives under CLUSTER_DIR (default /var/tmp/jood-cluster); `stop` stops exactly the processes whose PIDs
`start` recorded in its state file, and the two PostgreSQL servers with pg_ctl.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
CLUSTER_DIR = Path(os.environ.get("CLUSTER_DIR", "/var/tmp/jood-cluster"))  # noqa: S108 - the folder this tool owns
STATE = CLUSTER_DIR / "state.json"
PORTS = {"balancer": 8400, "app1": 8401, "app2": 8402, "primary": 55432, "replica": 55433, "redis": 56379}
WEBHOOK_SECRET = "whsec_cluster_not_a_real_secret"  # noqa: S105 - a local cluster's signing secret
APP_SERVERS = ("app1", "app2")


def pg_bin(name: str) -> str:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not versions:
        raise SystemExit("PostgreSQL's server binaries are missing (Debian: apt-get install postgresql)")
    return str(versions[-1] / name)


def as_postgres(*command: str, **kwargs) -> subprocess.CompletedProcess:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], check=True, capture_output=True, text=True, **kwargs)  # noqa: S603


def database_url(which: str = "primary") -> str:
    return f"postgresql://postgres@127.0.0.1:{PORTS[which]}/jood"


def environment(state: dict | None = None) -> dict[str, str]:
    """What every app server and the jobs runner share (docs/deployment.md's table)."""
    state = state or load_state()
    return {
        **{key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")},
        "JOOD_ENV": "production",
        "SECRET_KEY": state["secret_key"],
        "NATIONAL_ID_KEY": state["national_id_key"],
        "DATABASE_URL": database_url("primary"),
        "DATABASE_REPLICA_URL": database_url("replica"),
        "REDIS_URL": f"redis://127.0.0.1:{PORTS['redis']}/0",
        "UPLOAD_FOLDER": str(CLUSTER_DIR / "uploads"),
        "MAIL_OUTBOX": str(CLUSTER_DIR / "outbox"),
        "TRUSTED_PROXY_HOPS": "1",
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{PORTS['balancer']}",
        "SESSION_COOKIE_SECURE": "0",  # the cluster speaks plain http on loopback; production terminates TLS
        "GUNICORN_WORKERS": os.environ.get("CLUSTER_WORKERS", "2"),
        "GUNICORN_ACCESSLOG": "-",
    }


def load_state() -> dict:
    return json.loads(STATE.read_text()) if STATE.exists() else {}


def save_state(state: dict) -> None:
    STATE.write_text(json.dumps(state, indent=2))


def alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:  # a zombie (exited, not yet reaped by its parent) is not alive
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def spawn(name: str, command: list[str], env: dict[str, str]) -> int:
    """Start a long-running process in a session of its own (so that its whole group can be killed), logging to a
    file; returns its PID."""
    log = open(CLUSTER_DIR / "logs" / f"{name}.log", "ab")  # noqa: SIM115 - the child keeps it
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,  # noqa: S603
                               start_new_session=True)
    return process.pid


def wait_http(url: str, seconds: float = 40.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


# --- the pieces ----------------------------------------------------------------------------------------------------


def ensure_packages() -> None:
    missing = [package for package, binary in (("haproxy", "haproxy"), ("redis-server", "redis-server"))
               if shutil.which(binary) is None]
    if missing and os.geteuid() == 0:
        print(f"Installing {', '.join(missing)} from Debian's packages...")
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True,  # noqa: S603, S607
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}, capture_output=True)
    elif missing:
        raise SystemExit(f"missing: {', '.join(missing)} (apt-get install them, or run as root)")


def init_postgres() -> None:
    primary, replica = CLUSTER_DIR / "pg-primary", CLUSTER_DIR / "pg-replica"
    sockets = CLUSTER_DIR / "sockets"
    for folder in (primary.parent, sockets):
        folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:  # PostgreSQL runs as postgres: it writes its data, sockets and logs itself
        for folder in (CLUSTER_DIR, sockets, CLUSTER_DIR / "logs"):
            shutil.chown(folder, "postgres", "postgres")
    as_postgres(pg_bin("initdb"), "-D", str(primary), "--auth=trust", "-U", "postgres", "-E", "UTF8",
                "--locale=C.UTF-8")
    with open(primary / "postgresql.conf", "a") as conf:
        conf.write(f"\nport = {PORTS['primary']}\nlisten_addresses = '127.0.0.1'\n"
                   f"unix_socket_directories = '{sockets}'\nwal_level = replica\nmax_wal_senders = 5\n"
                   "hot_standby = on\nfsync = on\n")
    with open(primary / "pg_hba.conf", "a") as hba:
        hba.write("host replication postgres 127.0.0.1/32 trust\n")
    as_postgres(pg_bin("pg_ctl"), "-D", str(primary), "-l", str(CLUSTER_DIR / "logs" / "pg-primary.log"), "-w",
                "start")
    as_postgres(pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(PORTS["primary"]), "-U", "postgres", "jood")
    as_postgres(pg_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(PORTS["primary"]), "-U", "postgres",
                "-D", str(replica), "-R", "-X", "stream")
    with open(replica / "postgresql.auto.conf", "a") as conf:
        conf.write(f"port = {PORTS['replica']}\n")
    start_postgres("replica")


def start_postgres(which: str) -> None:
    folder = CLUSTER_DIR / f"pg-{which}"
    as_postgres(pg_bin("pg_ctl"), "-D", str(folder), "-l", str(CLUSTER_DIR / "logs" / f"pg-{which}.log"), "-w",
                "start")


def stop_postgres(which: str, mode: str = "fast") -> None:
    folder = CLUSTER_DIR / f"pg-{which}"
    if (folder / "postmaster.pid").exists():
        as_postgres(pg_bin("pg_ctl"), "-D", str(folder), "-m", mode, "-w", "stop")


def start_redis(state: dict) -> None:
    state["pids"]["redis"] = spawn("redis", ["redis-server", "--port", str(PORTS["redis"]), "--bind", "127.0.0.1",
                                             "--save", "", "--appendonly", "no"], dict(os.environ))


def start_app_server(state: dict, name: str) -> None:
    env = {**environment(state), "GUNICORN_BIND": f"127.0.0.1:{PORTS[name]}",
           "GUNICORN_CONTROL_SOCKET": str(CLUSTER_DIR / f"{name}.ctl")}
    state["pids"][name] = spawn(name, [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "app:app"], env)


def start_jobs(state: dict) -> None:
    state["pids"]["jobs"] = spawn("jobs", [str(BIN / "flask"), "--app", "app", "jobs", "run"], environment(state))


ERROR_PAGE_SCRIPT = """
from flask_babel import force_locale, gettext as _
from flask import render_template
from jood import create_app
app = create_app()
with app.test_request_context("/"), force_locale("ar"):
    message = _("The service is briefly unavailable. Please try again in a minute.")
    body = render_template("errors/standalone.html", status=503, title=_("Service unavailable"), lang="ar",
                           direction="rtl", message=message)
data = body.encode()
head = ("HTTP/1.1 503 Service Unavailable\\r\\nContent-Type: text/html; charset=utf-8\\r\\n"
        "Cache-Control: no-store\\r\\nRetry-After: 5\\r\\nConnection: close\\r\\n"
        "Content-Length: %d\\r\\n\\r\\n" % len(data))
import sys
sys.stdout.buffer.write(head.encode() + data)
"""


def write_error_page(state: dict) -> Path:
    """HAProxy's own 503 (no app server healthy, e.g. the database is away) as the app would say it, in Arabic."""
    page = CLUSTER_DIR / "haproxy-503.http"
    rendered = subprocess.run([str(BIN / "python"), "-c", ERROR_PAGE_SCRIPT],  # noqa: S603
                              cwd=ROOT, env=environment(state), check=True, capture_output=True)
    page.write_bytes(rendered.stdout)
    return page


def haproxy_config() -> str:
    servers = "\n".join(f"    server {name} 127.0.0.1:{PORTS[name]} check inter 500ms fall 2 rise 2"
                        for name in APP_SERVERS)
    return f"""global
    maxconn 2000
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    retries 2
    option redispatch
    errorfile 503 {CLUSTER_DIR / "haproxy-503.http"}
frontend jood
    bind 127.0.0.1:{PORTS['balancer']}
    option forwardfor
    http-request set-header X-Forwarded-Proto http
    default_backend app
backend app
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
{servers}
"""


def start_haproxy(state: dict) -> None:
    config = CLUSTER_DIR / "haproxy.cfg"
    write_error_page(state)
    config.write_text(haproxy_config())
    state["pids"]["haproxy"] = spawn("haproxy", ["haproxy", "-db", "-f", str(config)], dict(os.environ))


def flask(state: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "flask"), "--app", "app", *args], cwd=ROOT, env=environment(state),  # noqa: S603
                          check=True, capture_output=True, text=True)


# --- commands ------------------------------------------------------------------------------------------------------


def start() -> None:
    state = load_state()
    if state and any(alive(pid) for pid in state.get("pids", {}).values()):
        raise SystemExit(f"a cluster is already running (see {STATE}); `make cluster-stop` first")
    if CLUSTER_DIR.exists():
        stop_postgres("replica")
        stop_postgres("primary")
        shutil.rmtree(CLUSTER_DIR)
    for folder in ("logs", "uploads", "outbox"):
        (CLUSTER_DIR / folder).mkdir(parents=True, exist_ok=True)
    ensure_packages()
    from cryptography.fernet import Fernet

    state = {"secret_key": secrets.token_hex(32), "national_id_key": Fernet.generate_key().decode(), "pids": {},
             "ports": PORTS, "dir": str(CLUSTER_DIR)}
    save_state(state)
    started = time.monotonic()
    init_postgres()
    start_redis(state)
    save_state(state)
    flask(state, "db", "upgrade")
    flask(state, "seed-demo")
    for name in APP_SERVERS:
        start_app_server(state, name)
    start_jobs(state)
    start_haproxy(state)
    save_state(state)
    ready = all(wait_http(f"http://127.0.0.1:{PORTS[name]}/healthz") for name in (*APP_SERVERS, "balancer"))
    status()
    if not ready:
        raise SystemExit(f"the cluster did not become healthy; see {CLUSTER_DIR / 'logs'}")
    print(f"cluster ready in {time.monotonic() - started:.0f} s: http://127.0.0.1:{PORTS['balancer']}/")


def kill_group(pid: int, sig: int = signal.SIGTERM) -> None:
    try:
        os.killpg(pid, sig)
    except OSError:
        pass


def stop_process(name: str, state: dict, timeout: float = 15.0) -> None:
    pid = state.get("pids", {}).get(name)
    if not alive(pid):
        return
    kill_group(pid)
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    kill_group(pid, signal.SIGKILL)


def stop() -> None:
    state = load_state()
    if not state:
        print("no cluster state: nothing to stop")
        return
    for name in ("haproxy", *APP_SERVERS, "jobs", "redis"):
        stop_process(name, state)
    stop_postgres("replica")
    stop_postgres("primary")
    left = [name for name, pid in state.get("pids", {}).items() if alive(pid)]
    print("cluster stopped" if not left else f"still running: {left}")


def status() -> None:
    state = load_state()
    if not state:
        print("no cluster")
        return
    print(f"Jood cluster in {CLUSTER_DIR}")
    print(f"  balancer    http://127.0.0.1:{PORTS['balancer']}/  (HAProxy, pid {state['pids'].get('haproxy')})")
    for name in APP_SERVERS:
        print(f"  {name:<11} http://127.0.0.1:{PORTS[name]}/  (gunicorn master, pid {state['pids'].get(name)})")
    print(f"  jobs        flask jobs run (pid {state['pids'].get('jobs')})")
    for which in ("primary", "replica"):
        pid_file = CLUSTER_DIR / f"pg-{which}" / "postmaster.pid"
        pid = pid_file.read_text().split()[0] if pid_file.exists() else "stopped"
        print(f"  {which:<11} {database_url(which)}  (PostgreSQL, pid {pid})")
    print(f"  redis       redis://127.0.0.1:{PORTS['redis']}/0  (pid {state['pids'].get('redis')})")
    print(f"  logs        {CLUSTER_DIR / 'logs'}")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "status"
    {"start": start, "stop": stop, "status": status}.get(command, status)()
