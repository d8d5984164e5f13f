#!/usr/bin/env python3
"""DAG sync of an Airflow Deployment of the Astro portal.

Runs next to the Airflow components of a Deployment (as the init container
``dag-sync-init`` with ``--once`` and as the sidecar ``dag-sync``) and keeps
``$ASTRO_DAGS_DIR/current`` pointing at the DAG bundle the portal serves:

* ``GET $ASTRO_BUNDLE_URL/current`` names the bundle to serve
  (``{"version": "sha256:<hex>", ...}``; 404 while there is none);
* ``GET $ASTRO_BUNDLE_URL/versions/<version>`` is the bundle, a .tar.gz whose
  SHA-256 is the version;
* ``PUT $ASTRO_BUNDLE_URL/pods/$ASTRO_POD_NAME`` with ``{"version": ...}``
  (and ``"error"`` when a newer bundle could not be served) reports what this
  pod serves.

Each version is unpacked into ``versions/<hex>.tmp`` and renamed to
``versions/<hex>`` once complete; ``current`` is a symbolic link replaced
with rename(2), so Airflow sees the old tree or the new one, never a part of
either. The previous version stays (``previous``) for readers still in it;
older ones are deleted.

Only the Python 3 standard library is used: the script runs in the
Deployment's own Airflow image. The bearer token is never logged.
"""

import argparse
import gzip
import hashlib
import http.client
import json
import os
import posixpath
import random
import re
import shutil
import signal
import sys
import tarfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib

VERSION_PATTERN = re.compile(r"^sha256:([0-9a-f]{64})$")
HEX_PATTERN = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 1024 * 1024
MAX_BACKOFF_SECONDS = 300.0
REREPORT_SECONDS = 600.0
MAX_ERROR_LENGTH = 2000
EMPTY = "empty"
DOWNLOAD_SUFFIX = ".tar.gz.part"
STAGING_SUFFIX = ".tmp"
NETWORK_ERRORS = (urllib.error.URLError, http.client.HTTPException, OSError)
ARCHIVE_ERRORS = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile)


class SyncError(Exception):
    """A bundle could not be served; the message is safe to report and log."""


def env_number(name, default, kind=int):
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise SystemExit("dag-sync: %s must be a number, not %r" % (name, raw))
    if value <= 0:
        raise SystemExit("dag-sync: %s must be positive" % name)
    return value


class Settings:
    def __init__(self):
        self.base_url = os.environ.get("ASTRO_BUNDLE_URL", "").rstrip("/")
        self.token = os.environ.get("ASTRO_BUNDLE_TOKEN", "")
        self.pod_name = os.environ.get("ASTRO_POD_NAME", "")
        self.dags_dir = os.environ.get("ASTRO_DAGS_DIR", "/opt/airflow/dags")
        self.interval = env_number("ASTRO_SYNC_INTERVAL_SECONDS", 30.0, float)
        self.timeout = env_number("ASTRO_HTTP_TIMEOUT_SECONDS", 30.0, float)
        self.max_download_bytes = env_number(
            "ASTRO_BUNDLE_MAX_BYTES", 256 * 1024 * 1024
        )
        self.max_extracted_bytes = env_number(
            "ASTRO_BUNDLE_MAX_EXTRACTED_BYTES", 1024 * 1024 * 1024
        )
        self.max_entries = env_number("ASTRO_BUNDLE_MAX_ENTRIES", 50000)
        self.once_retry = env_number("ASTRO_ONCE_RETRY_SECONDS", 2.0, float)
        self.heartbeat_file = os.environ.get(
            "ASTRO_HEARTBEAT_FILE", "/tmp/dag-sync.alive"
        )
        if not self.base_url.startswith(("http://", "https://")):
            raise SystemExit("dag-sync: ASTRO_BUNDLE_URL must be an http(s) URL")
        if not self.token:
            raise SystemExit("dag-sync: ASTRO_BUNDLE_TOKEN is not set")


class Log:
    """One line per event on stdout; the token is masked wherever it appears."""

    def __init__(self, secret):
        self.secret = secret

    def __call__(self, level, message):
        if self.secret:
            message = message.replace(self.secret, "***")
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        sys.stdout.write("%s %s dag-sync: %s\n" % (stamp, level, message))
        sys.stdout.flush()


class Heartbeat:
    """Touches a file at least every few seconds while the process makes progress."""

    def __init__(self, path):
        self.path = path
        self.last = 0.0

    def __call__(self, force=False):
        now = time.monotonic()
        if not self.path or (not force and now - self.last < 5):
            return
        self.last = now
        try:
            with open(self.path, "a"):
                pass
            os.utime(self.path, None)
        except OSError:
            pass


class Client:
    def __init__(self, settings, heartbeat):
        self.settings = settings
        self.heartbeat = heartbeat
        self.opener = urllib.request.build_opener()

    def _request(self, method, path, body=None):
        data = None
        request = urllib.request.Request(
            self.settings.base_url + path, method=method
        )
        # Unredirected: a redirect to another host never receives the token.
        request.add_unredirected_header(
            "Authorization", "Bearer " + self.settings.token
        )
        request.add_header("User-Agent", "astro-dag-sync/1")
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            request.add_header("Content-Type", "application/json")
        return self.opener.open(request, data=data, timeout=self.settings.timeout)

    def current(self):
        """The bundle to serve as (version, deployId), or None when there is none."""
        try:
            with self._request("GET", "/current") as response:
                document = json.loads(response.read(65536).decode("utf-8"))
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise SyncError("GET current answered HTTP %d" % error.code)
        except NETWORK_ERRORS as error:
            raise SyncError("GET current failed: %s" % describe(error))
        except ValueError:
            raise SyncError("GET current answered something that is not JSON")
        version = document.get("version") if isinstance(document, dict) else None
        if not isinstance(version, str) or not VERSION_PATTERN.match(version):
            raise SyncError("GET current answered no valid version")
        return version, str(document.get("deployId", ""))

    def download(self, version, destination):
        """Streams a version into a new file; returns the SHA-256 (hex) of its bytes."""
        limit = self.settings.max_download_bytes
        digest = hashlib.sha256()
        received = 0
        path = "/versions/" + urllib.parse.quote(version, safe="")
        try:
            with self._request("GET", path) as response, open(
                destination, "xb"
            ) as out:
                while True:
                    chunk = response.read(CHUNK)
                    if not chunk:
                        break
                    received += len(chunk)
                    if received > limit:
                        raise SyncError(
                            "bundle %s is larger than %d bytes" % (version, limit)
                        )
                    digest.update(chunk)
                    out.write(chunk)
                    self.heartbeat()
        except urllib.error.HTTPError as error:
            raise SyncError("GET %s answered HTTP %d" % (version, error.code))
        except NETWORK_ERRORS as error:
            raise SyncError("downloading %s failed: %s" % (version, describe(error)))
        return digest.hexdigest()

    def report(self, version, error=None):
        body = {"version": version} if version else {}
        if error:
            body["error"] = error[:MAX_ERROR_LENGTH]
        path = "/pods/" + urllib.parse.quote(self.settings.pod_name, safe="")
        try:
            with self._request("PUT", path, body) as response:
                response.read()
        except urllib.error.HTTPError as failure:
            raise SyncError("PUT report answered HTTP %d" % failure.code)
        except NETWORK_ERRORS as failure:
            raise SyncError("PUT report failed: %s" % describe(failure))


def describe(error):
    reason = getattr(error, "reason", None)
    return str(reason if reason is not None else error) or type(error).__name__


# --- the DAGs folder -------------------------------------------------------


def link_target(path):
    try:
        return os.readlink(path)
    except OSError:
        return None


def version_of(target):
    """`sha256:<hex>` of a link target `versions/<hex>`, else None."""
    if target is None:
        return None
    name = posixpath.basename(target)
    return "sha256:" + name if HEX_PATTERN.match(name) else None


def replace_symlink(target, path):
    """Points `path` at `target` in one rename(2): readers see old or new."""
    temporary = "%s.tmp-%d" % (path, os.getpid())
    try:
        os.unlink(temporary)
    except FileNotFoundError:
        pass
    os.symlink(target, temporary)
    os.replace(temporary, path)


def remove(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


class DagsFolder:
    def __init__(self, root):
        self.root = root
        self.versions = os.path.join(root, "versions")
        self.current = os.path.join(root, "current")
        self.previous = os.path.join(root, "previous")

    def prepare(self):
        """Creates the layout and drops what an interrupted run left behind."""
        os.makedirs(self.versions, exist_ok=True)
        for name in os.listdir(self.root):
            if ".tmp-" in name:
                remove(os.path.join(self.root, name))
        for name in os.listdir(self.versions):
            if name.endswith((DOWNLOAD_SUFFIX, STAGING_SUFFIX)):
                remove(os.path.join(self.versions, name))

    def served(self):
        """The version `current` points at, if it is a bundle."""
        target = link_target(self.current)
        if target is None or not os.path.isdir(self.current):
            return None
        return version_of(target)

    def has(self, hex_digest):
        path = os.path.join(self.versions, hex_digest)
        return os.path.isdir(path) and not os.path.islink(path)

    def ensure_current(self):
        """Without a bundle Airflow still finds its DAGs folder: an empty one."""
        if os.path.isdir(self.current):
            return
        empty = os.path.join(self.versions, EMPTY)
        os.makedirs(empty, exist_ok=True)
        replace_symlink(posixpath.join("versions", EMPTY), self.current)

    def switch(self, hex_digest):
        old = link_target(self.current)
        new = posixpath.join("versions", hex_digest)
        if old is not None and old != new and os.path.isdir(self.current):
            replace_symlink(old, self.previous)
        replace_symlink(new, self.current)

    def clean(self):
        """Deletes every version but the current and the previous one."""
        keep = set()
        for link in (self.current, self.previous):
            target = link_target(link)
            if target is not None:
                keep.add(posixpath.basename(target))
        for name in os.listdir(self.versions):
            if name not in keep:
                remove(os.path.join(self.versions, name))


# --- safe extraction -------------------------------------------------------


def member_path(name):
    """The relative path of an archive entry, or None for the root itself."""
    if "\x00" in name or name.startswith("/") or "\\" in name:
        raise SyncError("entry %r has an absolute or unusual path" % name)
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise SyncError("entry %r leaves the bundle (..)" % name)
    return "/".join(parts) if parts else None


def inside(root, path):
    return path == root or path.startswith(root + os.sep)


class Extractor:
    """Unpacks a .tar.gz into a new directory, refusing anything that could
    write or point outside it: absolute paths, `..`, entries under a
    symbolic link, links resolving outside the tree, devices, FIFOs; and
    stopping at a number of entries and of bytes."""

    def __init__(self, settings, heartbeat):
        self.max_entries = settings.max_entries
        self.max_bytes = settings.max_extracted_bytes
        self.heartbeat = heartbeat

    def extract(self, archive, destination):
        os.mkdir(destination, 0o755)
        self.root = os.path.realpath(destination)
        self.total = 0
        links = []
        entries = 0
        try:
            with tarfile.open(archive, "r:gz") as tar:
                for member in tar:
                    entries += 1
                    if entries > self.max_entries:
                        raise SyncError(
                            "bundle has more than %d entries" % self.max_entries
                        )
                    self.heartbeat()
                    path = member_path(member.name)
                    if path is None:
                        continue
                    target = self.prepare_parents(path)
                    if member.isdir():
                        if os.path.isdir(target) and not os.path.islink(target):
                            continue
                        self.refuse_existing(target, member.name)
                        os.mkdir(target, 0o755)
                    elif member.isreg():
                        self.refuse_existing(target, member.name)
                        self.write_file(tar, member, target)
                    elif member.issym():
                        self.refuse_existing(target, member.name)
                        self.check_symlink(path, member)
                        os.symlink(member.linkname, target)
                        links.append((member.name, target))
                    elif member.islnk():
                        self.refuse_existing(target, member.name)
                        self.copy_hard_link(member, target)
                    else:
                        raise SyncError(
                            "entry %r is not a file, directory or link" % member.name
                        )
        except ARCHIVE_ERRORS as error:
            raise SyncError("bundle is not a valid .tar.gz: %s" % describe(error))
        except OSError as error:
            raise SyncError("unpacking the bundle failed: %s" % describe(error))
        # Links are checked once all exist: a chain of links that each stay
        # inside can still resolve outside.
        for name, link in links:
            if not inside(self.root, os.path.realpath(link)):
                raise SyncError("link %r resolves outside the bundle" % name)

    def prepare_parents(self, path):
        """Creates missing parent directories; refuses to go through a link."""
        current = self.root
        parts = path.split("/")
        for part in parts[:-1]:
            current = os.path.join(current, part)
            if os.path.islink(current):
                raise SyncError("entry %r goes through a symbolic link" % path)
            if not os.path.exists(current):
                os.mkdir(current, 0o755)
            elif not os.path.isdir(current):
                raise SyncError("entry %r is under a file" % path)
        return os.path.join(current, parts[-1])

    def refuse_existing(self, target, name):
        if os.path.lexists(target):
            raise SyncError("entry %r appears twice" % name)

    def count(self, size, name):
        self.total += size
        if self.total > self.max_bytes:
            raise SyncError(
                "bundle unpacks to more than %d bytes (at %r)" % (self.max_bytes, name)
            )

    def write_file(self, tar, member, target):
        self.count(member.size, member.name)
        source = tar.extractfile(member)
        mode = 0o755 if member.mode & 0o111 else 0o644
        with open(target, "xb") as out:
            while True:
                chunk = source.read(CHUNK)
                if not chunk:
                    break
                out.write(chunk)
                self.heartbeat()
        os.chmod(target, mode)

    def check_symlink(self, path, member):
        link = member.linkname
        if not link or link.startswith("/") or "\x00" in link:
            raise SyncError("link %r points to an absolute path" % member.name)
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), link))
        if resolved == ".." or resolved.startswith("../"):
            raise SyncError("link %r points outside the bundle" % member.name)

    def copy_hard_link(self, member, target):
        source_path = member_path(member.linkname)
        source = os.path.realpath(os.path.join(self.root, source_path or ""))
        if (
            source_path is None
            or not inside(self.root, source)
            or os.path.islink(os.path.join(self.root, source_path))
            or not os.path.isfile(source)
        ):
            raise SyncError("hard link %r points outside the bundle" % member.name)
        self.count(os.path.getsize(source), member.name)
        shutil.copyfile(source, target)
        os.chmod(target, os.stat(source).st_mode & 0o777)


# --- the loop --------------------------------------------------------------


class Syncer:
    def __init__(self, settings, log):
        self.settings = settings
        self.log = log
        self.heartbeat = Heartbeat(settings.heartbeat_file)
        self.client = Client(settings, self.heartbeat)
        self.folder = DagsFolder(settings.dags_dir)
        self.extractor = Extractor(settings, self.heartbeat)
        self.reported = None
        self.reported_at = 0.0
        self.announced_empty = False
        self.folder.prepare()

    def sync(self):
        """One round: serve the current bundle. Returns the served version."""
        served = self.folder.served()
        try:
            wanted = self.client.current()
            if wanted is None:
                if served is None:
                    self.folder.ensure_current()
                    if not self.announced_empty:
                        self.log("INFO", "no DAG bundle yet: the DAGs folder is empty")
                        self.announced_empty = True
                self.report(served)
                return served
            version, deploy_id = wanted
            if version != served:
                self.install(version, deploy_id)
                served = version
            self.report(served)
            return served
        except (SyncError, OSError) as error:
            message = str(error)
            self.log("ERROR", message)
            self.report(served, message)
            raise SyncError(message)

    def install(self, version, deploy_id):
        hex_digest = VERSION_PATTERN.match(version).group(1)
        final = os.path.join(self.folder.versions, hex_digest)
        if not self.folder.has(hex_digest):
            download = final + DOWNLOAD_SUFFIX
            staging = final + STAGING_SUFFIX
            remove(download)
            remove(staging)
            try:
                actual = self.client.download(version, download)
                if actual != hex_digest:
                    raise SyncError(
                        "checksum mismatch: %s has sha256:%s" % (version, actual)
                    )
                self.extractor.extract(download, staging)
                os.rename(staging, final)
            finally:
                remove(download)
                remove(staging)
        self.folder.switch(hex_digest)
        self.folder.clean()
        self.log("INFO", "serving %s (deploy %s)" % (version, deploy_id or "?"))

    def report(self, served, error=None):
        """Tells the portal what this pod serves, or why it serves nothing yet."""
        if not self.settings.pod_name or (served is None and not error):
            return
        due = time.monotonic() - self.reported_at > REREPORT_SECONDS
        if not error and self.reported == served and not due:
            return
        try:
            self.client.report(served, error)
            # After an error the next good round reports again.
            self.reported = None if error else served
            self.reported_at = time.monotonic()
        except SyncError as failure:
            self.reported = None
            self.log("WARN", str(failure))

    def sleep(self, seconds):
        deadline = time.monotonic() + seconds
        while True:
            self.heartbeat(force=True)
            left = deadline - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(left, 5.0))

    def run_once(self, attempts=3):
        """For the init container: 0 once the pod has DAGs to start with."""
        for attempt in range(1, attempts + 1):
            try:
                self.sync()
                return 0
            except SyncError:
                if self.folder.served() is not None:
                    self.log("WARN", "starting with the bundle already served")
                    return 0
                if attempt < attempts:
                    self.sleep(self.settings.once_retry * attempt)
        return 1

    def run_forever(self):
        failures = 0
        while True:
            try:
                self.sync()
                failures = 0
                delay = self.settings.interval
            except SyncError:
                failures += 1
                backoff = min(self.settings.interval * 2**failures, MAX_BACKOFF_SECONDS)
                delay = max(self.settings.interval, backoff * random.uniform(0.5, 1.0))
            self.sleep(delay)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Sync an Astro DAG bundle.")
    parser.add_argument(
        "--once", action="store_true", help="sync once and exit (init container)"
    )
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    settings = Settings()
    log = Log(settings.token)
    try:
        syncer = Syncer(settings, log)
        if args.once:
            return syncer.run_once()
        syncer.run_forever()
    except KeyboardInterrupt:
        return 0
    except Exception as error:  # unexpected: exit and let Kubernetes retry
        log("ERROR", "unexpected %s: %s" % (type(error).__name__, error))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
