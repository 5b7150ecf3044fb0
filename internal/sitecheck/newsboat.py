"""Reads the first item of a feed in newsboat, the terminal feed reader, as
a subscriber does: it subscribes to the feed, opens the feed and its first
item in a pseudo-terminal 100 columns wide, and saves the item as newsboat
shows it (its "s" key), then prints that text.

    python3 newsboat.py <feed-url> <work-dir>

newsboat has no command that prints an item, so the keys are typed; each
is sent once the screen shows what it acts on. Exits 1 with a message on
standard error when newsboat does not get that far.
"""

import os
import pty
import select
import struct
import subprocess
import sys
import time

COLUMNS, LINES = 100, 40
WAIT = 30  # seconds for each screen


def main():
    url, work = sys.argv[1], sys.argv[2]
    saved = os.path.join(work, "saved")
    os.makedirs(saved, exist_ok=True)
    urls, config, cache = (os.path.join(work, n) for n in ("urls", "config", "cache.db"))
    with open(urls, "w") as f:
        f.write(url + "\n")
    with open(config, "w") as f:
        f.write('auto-reload no\nshow-read-feeds yes\nsave-path "%s"\n' % saved)
    env = dict(os.environ, TERM="xterm", LANG="C.UTF-8", LC_ALL="C.UTF-8", HOME=work)
    argv = ["newsboat", "-u", urls, "-C", config, "-c", cache]
    subprocess.run(argv + ["-x", "reload"], env=env, check=True, timeout=60,
                   stdout=subprocess.DEVNULL)

    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(argv[0], argv, env)
    import fcntl
    import termios
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    screen = b""

    def until(what, key=None):
        nonlocal screen
        if key is not None:
            screen = b""
            os.write(fd, key)
        end = time.time() + WAIT
        while what.encode() not in screen:
            if time.time() > end:
                sys.exit("newsboat: no %r on the screen after %ds; it shows:\n%s" %
                         (what, WAIT, screen[-2000:].decode("utf-8", "replace")))
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    screen += os.read(fd, 65536)
                except OSError:
                    sys.exit("newsboat exited early:\n" + screen[-2000:].decode("utf-8", "replace"))

    try:
        until("ENTER:Open")          # the list of feeds
        until("Articles in feed", b"\r")
        until("Link:", b"\r")        # the first item
        until("Save", b"s")          # the file name prompt
        os.write(fd, b"\r")
        end = time.time() + WAIT
        while not os.listdir(saved):
            if time.time() > end:
                sys.exit("newsboat saved nothing in %s" % saved)
            time.sleep(0.2)
        time.sleep(0.5)  # the file is written whole
        for key in (b"q", b"q", b"q"):
            os.write(fd, key)
            time.sleep(0.2)
    finally:
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
    name = os.listdir(saved)[0]
    with open(os.path.join(saved, name), encoding="utf-8") as f:
        sys.stdout.write(f.read())


if __name__ == "__main__":
    main()
