"""ASGI middleware: the portal's proxy header as ``Authorization: Bearer``.

The Kubernetes API server consumes ``Authorization`` of a service proxy
request, so the portal backend sends its service credential in
``X-Airflow-Portal-Token``. When a request has no ``Authorization``, this
middleware adds one with that token; the token is then validated by
Airflow exactly like any bearer token. Standard library only.
"""

from .portal_tokens import PROXY_TOKEN_HEADER

_PROXY = PROXY_TOKEN_HEADER.encode("latin-1")


class ProxyTokenMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope.get("type") in ("http", "websocket"):
            headers = list(scope.get("headers") or [])
            names = {name.lower() for name, _ in headers}
            if b"authorization" not in names:
                for name, value in headers:
                    if name.lower() == _PROXY and value.strip():
                        scope = dict(scope)
                        scope["headers"] = headers + [
                            (b"authorization", b"Bearer " + value.strip())
                        ]
                        break
        await self.app(scope, receive, send)
