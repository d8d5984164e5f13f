"""Airflow 2 (FAB) security manager: portal identity instead of passwords.

``AUTH_REMOTE_USER`` style (see ``webserver_config``): FAB never asks for a
password. ``GET /auth/portal?ticket=<jwt>`` checks a portal login ticket,
creates or updates the FAB user named by its ``sub`` with the role the
portal gave (Admin or Viewer; the role is replaced at every sign-in, so a
permission removed in the portal is gone at the next one) and logs the
user in with Flask-Login. FAB's login page sends people to the portal.

Written against apache/airflow 2.x ``airflow/www/fab_security/`` and the
FAB provider's ``auth_manager/security_manager/override.py`` (2.8+); imports
Airflow, so it runs only inside the Airflow image.
"""

import hashlib
import os

from flask import g, make_response, redirect, request
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.views import AuthRemoteUserView
from flask_login import login_user

from .portal_tokens import (
    TICKET_PARAMETER,
    PortalTokenError,
    fab_role,
    verify_ticket,
)

try:  # Airflow 2.8+: the FAB provider's security manager
    from airflow.providers.fab.auth_manager.security_manager.override import (
        FabAirflowSecurityManagerOverride as _BaseSecurityManager,
    )
except ImportError:  # Airflow 2.7
    from airflow.www.security import AirflowSecurityManager as _BaseSecurityManager

SIGNING_KEY_VARIABLE = "AIRFLOW_PORTAL_JWT_SECRET"


def signing_key():
    """The Deployment's ``jwt-secret`` (from Secret ``airflow-keys``, webserver only)."""
    return os.environ.get(SIGNING_KEY_VARIABLE, "")


def portal_url():
    return os.environ.get("AIRFLOW_PORTAL_DEPLOYMENT_URL") or "/"


class PortalTicketView(BaseView):
    """``/auth/portal``: a portal login ticket in, a FAB session out."""

    route_base = "/auth"
    default_view = "portal"

    @expose("/portal")
    def portal(self):
        try:
            claims = verify_ticket(request.args.get(TICKET_PARAMETER, ""), signing_key())
            user = self.appbuilder.sm.sync_portal_user(claims)
        except PortalTokenError as error:
            return make_response(
                "The sign-in link is not valid (%s). Open Airflow again from %s."
                % (error, portal_url()),
                401,
            )
        login_user(user, remember=False)
        response = redirect(self.appbuilder.get_url_for_index)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response


class PortalLoginView(AuthRemoteUserView):
    """FAB's login page: signed-in users go to Airflow, the others to the portal."""

    @expose("/login/")
    def login(self):
        if g.user is not None and g.user.is_authenticated:
            return redirect(self.appbuilder.get_url_for_index)
        return redirect(portal_url())


class PortalSecurityManager(_BaseSecurityManager):
    authremoteuserview = PortalLoginView

    def register_views(self):
        super().register_views()
        self.appbuilder.add_view_no_menu(PortalTicketView())

    def sync_portal_user(self, claims):
        """The FAB user of a verified token's subject, created or updated to its role."""
        username = claims["sub"]
        role = self.find_role(fab_role(claims["role"]))
        if role is None:
            raise PortalTokenError("FAB role %s does not exist" % fab_role(claims["role"]))
        user = self.find_user(username=username)
        if user is None:
            digest = hashlib.sha256(username.encode("utf-8")).hexdigest()[:24]
            user = self.add_user(
                username=username,
                first_name=claims.get("name") or username,
                last_name="-",
                email="%s@airflow-portal.invalid" % digest,
                role=role,
            )
            if not user:
                raise PortalTokenError("could not create the Airflow user %s" % username)
        elif [r.name for r in user.roles] != [role.name]:
            user.roles = [role]
            self.update_user(user)
        return user
