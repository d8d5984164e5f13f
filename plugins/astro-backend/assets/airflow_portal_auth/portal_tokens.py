"""Verification of the tokens the portal signs for this Deployment.

Pure functions over PyJWT (which every Airflow image ships); nothing here
imports Airflow. The constants mirror ``AIRFLOW_ACCESS`` of the portal's
``@airflow-portal/plugin-astro-common`` (a cross-language test keeps them
equal).
"""

import jwt

ALGORITHM = "HS512"
ISSUER = "airflow-portal"
TICKET_AUDIENCE = "airflow-portal:login"
API_AUDIENCE = "apache-airflow"
SERVICE_SUBJECT = "airflow-portal:service"
PROXY_TOKEN_HEADER = "x-airflow-portal-token"
TICKET_PARAMETER = "ticket"
ROLES = ("ADMIN", "OP", "USER", "VIEWER")
FAB_ROLES = {"ADMIN": "Admin", "OP": "Op", "USER": "User", "VIEWER": "Viewer"}
REQUIRED_CLAIMS = ("iss", "aud", "sub", "role", "iat", "nbf", "exp", "jti")
LEEWAY_SECONDS = 10


class PortalTokenError(Exception):
    """A token the portal did not sign for this use, or one no longer valid."""


def verify(token, key, audience):
    """The claims of a portal token for ``audience``, or PortalTokenError.

    Only HS512 with ``key`` is accepted (``alg: none`` and every other
    algorithm are refused before any key is used); ``iss``, ``aud``,
    ``exp``/``nbf`` (with a leeway of LEEWAY_SECONDS) and every required
    claim are checked, and ``role`` must be one of ROLES.
    """
    if not token or not isinstance(token, str):
        raise PortalTokenError("no token")
    if not key:
        raise PortalTokenError("no signing key configured")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise PortalTokenError("malformed token: %s" % error) from None
    if header.get("alg") != ALGORITHM:
        raise PortalTokenError("algorithm %r refused" % header.get("alg"))
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=audience,
            issuer=ISSUER,
            leeway=LEEWAY_SECONDS,
            options={"require": list(REQUIRED_CLAIMS)},
        )
    except jwt.PyJWTError as error:
        raise PortalTokenError("invalid token: %s" % error) from None
    if claims.get("role") not in ROLES:
        raise PortalTokenError("unknown role %r" % claims.get("role"))
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise PortalTokenError("no subject")
    return claims


def verify_ticket(token, key):
    """The claims of a login ticket (audience TICKET_AUDIENCE)."""
    return verify(token, key, TICKET_AUDIENCE)


def verify_api_token(token, key):
    """The claims of an Airflow API token (audience API_AUDIENCE)."""
    return verify(token, key, API_AUDIENCE)


def fab_role(role):
    """The Airflow 2 (FAB) role of a portal role."""
    try:
        return FAB_ROLES[role]
    except KeyError:
        raise PortalTokenError("unknown role %r" % role) from None


def bearer_token(get_header):
    """The token of a request: ``Authorization: Bearer`` first, else the proxy header.

    ``get_header(name)`` returns a header's value or None.
    """
    authorization = get_header("authorization") or ""
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    proxied = (get_header(PROXY_TOKEN_HEADER) or "").strip()
    return proxied or None
