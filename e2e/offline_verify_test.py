"""The offline verifier in a real Chromium: opened once while the server runs, it checks a printed certificate's SC1:
record after the server has been stopped, with the browser's own Web Crypto; a changed record is refused."""
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

from common import OUT, PASSWORD, sign_in


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port, workdir):
    """A demo server of our own, so that the test can cut it off without disturbing the other tests."""
    binary = os.environ.get("SKILLCHAIN_BIN", ".build/debug/skillchain")
    env = dict(os.environ, SKILLCHAIN_SQLITE_PATH=f"{workdir}/offline.sqlite", SKILLCHAIN_DEMO_PASSWORD=PASSWORD,
               SKILLCHAIN_PUBLIC_URL=f"http://127.0.0.1:{port}", SKILLCHAIN_BACKUP_DIR=f"{workdir}/backups")
    log = open(f"{workdir}/server.log", "w")
    server = subprocess.Popen([binary, "serve", "--demo", "--hostname", "127.0.0.1", "--port", str(port)], env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1)
            return server
        except Exception:
            time.sleep(0.5)
    server.kill()
    raise AssertionError("the server did not start: " + open(f"{workdir}/server.log").read()[-2000:])


def printed_record(browser, base):
    """The SC1: text of a demo certificate's printed offline QR, read by zbarimg."""
    context = browser.new_context(viewport={"width": 900, "height": 1400}, locale="zh-CN", device_scale_factor=3)
    page = context.new_page()
    sign_in(page, "hr", base)
    page.goto(f"{base}/certificates")
    number = page.locator("table.list code").first.inner_text()
    holder = page.locator("table.list tbody tr").first.locator("td").nth(1).inner_text().split()[0]
    page.goto(f"{base}/certificates/{number}/print")
    assert f"{base}/verify/offline" in page.locator(".qr.offline").inner_text()
    qr = f"{OUT}/offline-verify-qr.png"
    page.locator(".qr.offline svg").screenshot(path=qr)
    context.close()
    text = subprocess.run(["zbarimg", "--quiet", "--raw", qr], capture_output=True, text=True, check=True).stdout.strip()
    assert text.startswith("SC1:")
    return number, holder, text


def test_a_printed_record_verifies_with_the_server_gone_and_a_changed_one_does_not(browser):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as workdir:
        server = start_server(port, workdir)
        try:
            number, holder, record = printed_record(browser, base)
            # The command line does the same check, and keeps the trust list for use without the network.
            info = urllib.request.urlopen(f"{base}/log").read().decode()
            key = next(line for line in info.splitlines() if line.startswith("127.0.0.1/skillchain+"))
            binary = os.environ.get("SKILLCHAIN_BIN", ".build/debug/skillchain")
            saved = f"{workdir}/trust-list.txt"
            cli = subprocess.run([binary, "verify-qr", record, "--key", key, "--url", base, "--save", saved], capture_output=True, text=True)
            assert cli.returncode == 0 and f"number: {number}" in cli.stdout, cli.stdout + cli.stderr
            context = browser.new_context(viewport={"width": 1000, "height": 1000}, locale="zh-CN")
            page = context.new_page()
            page.goto(f"{base}/verify/offline")
            page.wait_for_selector("#trust-status[data-state=loaded]")
            page.wait_for_selector("#offline[data-ready=true]")
            page.wait_for_function("navigator.serviceWorker.controller !== null")
            assert "0 天前" in page.inner_text("#trust-status")

            # The network is cut: the server is stopped and the browser is offline.
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
            context.set_offline(True)
            assert page.evaluate("fetch('/healthz').then(() => 'answered', () => 'unreachable')") == "unreachable"
            page.reload()
            page.wait_for_selector("#trust-status[data-state=loaded]")
            assert "联网查询" in page.inner_text("main") or "需要联网" in page.inner_text("main")

            page.fill("#record", record)
            page.click("#check")
            page.wait_for_selector("#result:not([hidden])")
            assert page.inner_text("#offline-status") == "签名有效"
            facts = page.inner_text("#offline-facts")
            assert number in facts and holder in facts
            page.screenshot(path=f"{OUT}/offline-verify-valid.png", full_page=True)

            # One changed character of the record: refused, with the reason.
            i = len(record) // 2
            changed = record[:i] + ("A" if record[i] != "A" else "B") + record[i + 1:]
            page.fill("#record", changed)
            page.click("#check")
            page.wait_for_selector("#offline-status.invalid")
            assert page.inner_text("#offline-explanation") in ("签名不符：证书内容已被改动。", "核验码无法解码（可能扫描不完整或被改动）。",
                                                                "核验码的内容结构不正确。")
            cli = subprocess.run([binary, "verify-qr", changed, "--key", key, "--trust-list", saved], capture_output=True, text=True)
            assert cli.returncode != 0 and "changed" in cli.stdout + cli.stderr
            cli = subprocess.run([binary, "verify-qr", record, "--key", key, "--trust-list", saved], capture_output=True, text=True)
            assert cli.returncode == 0, cli.stdout + cli.stderr
            page.fill("#record", "")
            page.click("#check")
            assert page.inner_text("#record-error") == "请粘贴或扫描以 SC1: 开头的核验码。"
            page.screenshot(path=f"{OUT}/offline-verify-refused.png", full_page=True)
            context.close()
        finally:
            if server.poll() is None:
                server.kill()
