"""Airflow 3 auth manager: portal identity instead of passwords.

Set as ``[core] auth_manager`` on the API server (rendered as
``AIRFLOW__CORE__AUTH_MANAGER=airflow_portal_auth.auth_manager.PortalAuthManager``).
It is Airflow's SimpleAuthManager (roles VIEWER, USER, OP, ADMIN; users
are the ``sub``/``role`` of a validated JWT, nothing is stored) without
its users and password file:

* ``GET /auth/portal?ticket=<jwt>`` checks a portal login ticket and
  starts Airflow's own session for its subject and role (a JWT signed by
  Airflow, handed to the UI in the ``_token`` cookie), then shows the UI;
* API tokens the portal signs are plain Airflow bearer tokens (audience
  ``[api_auth] jwt_audience``, issuer ``[api_auth] jwt_issuer``, key
  ``[api_auth] jwt_secret``), validated by Airflow itself;
* logging in and out sends people to the Deployment's page in the portal
  (``AIRFLOW_PORTAL_DEPLOYMENT_URL``).

Written against apache/airflow 3.0 and 3.1 (``base_auth_manager.py``,
``simple/simple_auth_manager.py``, ``simple/routes/login.py``); imports
Airflow, so it runs only inside the Airflow image.
"""

import os
from urllib.parse import urlsplit

from airflow import __version__ as AIRFLOW_VERSION
from airflow.api_fastapi.auth.managers.base_auth_manager import (
    COOKIE_NAME_JWT_TOKEN,
    BaseAuthManager,
)
from airflow.api_fastapi.auth.managers.simple.simple_auth_manager import (
    SimpleAuthManager,
)
from airflow.api_fastapi.auth.managers.simple.user import SimpleAuthManagerUser
from airflow.configuration import conf
from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, RedirectResponse

from .portal_tokens import TICKET_PARAMETER, PortalTokenError, verify_ticket


def _version_at_least(major, minor):
    parts = []
    for piece in AIRFLOW_VERSION.split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts) >= (major, minor)


def portal_url():
    """The Deployment's page in the portal (rendered into the API server's env)."""
    return os.environ.get("AIRFLOW_PORTAL_DEPLOYMENT_URL") or "/"


def _base_url():
    return conf.get("api", "base_url", fallback="/") or "/"


def _cookie_path():
    return urlsplit(_base_url()).path or "/"


class PortalAuthManager(SimpleAuthManager):
    """SimpleAuthManager whose users come from portal-signed tokens only."""

    def init(self):
        # SimpleAuthManager.init writes a generated password per configured
        # user into a file of this pod; there are no such users here.
        BaseAuthManager.init(self)

    def get_url_login(self, **kwargs):
        return portal_url()

    def get_url_logout(self):
        return portal_url()

    def get_fastapi_app(self):
        app = FastAPI(
            title="Airflow Portal sign-in",
            description="Exchanges a portal login ticket for an Airflow session.",
        )
        manager = self

        @app.get("/portal")
        def portal(request: Request):
            ticket = request.query_params.get(TICKET_PARAMETER, "")
            try:
                claims = verify_ticket(ticket, conf.get("api_auth", "jwt_secret"))
            except PortalTokenError as error:
                return PlainTextResponse(
                    "The sign-in link is not valid (%s). Open Airflow again from %s."
                    % (error, portal_url()),
                    status_code=401,
                )
            user = SimpleAuthManagerUser(username=claims["sub"], role=claims["role"])
            response = RedirectResponse(url=_base_url(), status_code=303)
            secure = request.base_url.scheme == "https" or bool(
                conf.get("api", "ssl_cert", fallback="")
            )
            response.set_cookie(
                COOKIE_NAME_JWT_TOKEN,
                manager.generate_jwt(user),
                path=_cookie_path(),
                secure=secure,
                # Airflow 3.0's UI reads the cookie with JavaScript (and moves it
                # to local storage); from 3.1 the API server reads it itself.
                httponly=_version_at_least(3, 1),
                samesite="lax",
            )
            response.headers["Cache-Control"] = "no-store"
            response.headers["Referrer-Policy"] = "no-referrer"
            return response

        return app
