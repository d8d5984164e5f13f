"""Airflow 2 REST API authentication with portal-signed API tokens.

Listed first in ``[api] auth_backends`` (before the session backend, so
the UI keeps working). Accepts ``Authorization: Bearer <token>`` or, for
calls through the Kubernetes service proxy, ``X-Airflow-Portal-Token``;
the token's subject becomes (or updates) a FAB user with its role and is
logged in for the request, as Airflow's own basic-auth backend does.
"""

from functools import wraps

from flask import Response, current_app, request
from flask_login import login_user

from .fab_security import signing_key
from .portal_tokens import PortalTokenError, bearer_token, verify_api_token

CLIENT_AUTH = None


def init_app(_app):
    """Nothing to set up: the key is read from the environment per request."""


def _portal_user():
    token = bearer_token(request.headers.get)
    if not token:
        return None
    try:
        claims = verify_api_token(token, signing_key())
        return current_app.appbuilder.sm.sync_portal_user(claims)
    except PortalTokenError:
        return None


def requires_authentication(function):
    @wraps(function)
    def decorated(*args, **kwargs):
        user = _portal_user()
        if user is None:
            return Response("Unauthorized", 401, {"WWW-Authenticate": "Bearer"})
        login_user(user, remember=False)
        return function(*args, **kwargs)

    return decorated
