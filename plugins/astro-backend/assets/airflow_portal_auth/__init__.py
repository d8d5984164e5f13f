"""Sign-in to a Deployment's Airflow with portal identity (Airflow Portal).

The portal signs short-lived HS512 JWTs with the Deployment's own
``[api_auth] jwt_secret``; the modules here verify them inside Airflow:

* ``portal_tokens``: pure verification (PyJWT only) and the role mapping;
* ``proxy_header``: an ASGI middleware turning the portal's proxy header
  into ``Authorization: Bearer`` (the Kubernetes service proxy drops
  ``Authorization``);
* ``auth_manager``: the Airflow 3 auth manager (``/auth/portal``);
* ``plugin``: registers the middleware on the Airflow 3 API server;
* ``webserver_config`` and ``api_auth_backend``: the Airflow 2 (FAB)
  webserver's sign-in and its REST API authentication.
"""
