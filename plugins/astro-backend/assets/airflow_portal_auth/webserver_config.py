"""Airflow 2 webserver configuration of an Airflow Portal Deployment.

Rendered as ``AIRFLOW__WEBSERVER__CONFIG_FILE``. People sign in through
the portal (``/auth/portal``, see ``fab_security``); there are no
passwords, and users are registered on their first sign-in.
"""

from flask_appbuilder.security.manager import AUTH_REMOTE_USER

from airflow_portal_auth.fab_security import PortalSecurityManager

AUTH_TYPE = AUTH_REMOTE_USER
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
SECURITY_MANAGER_CLASS = PortalSecurityManager
WTF_CSRF_ENABLED = True
