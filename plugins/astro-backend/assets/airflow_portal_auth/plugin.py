"""Airflow 3 plugin: accept the portal's proxy header on the API server.

Mounted into the API server's plugins folder only. Registers
``ProxyTokenMiddleware`` as a root middleware (``fastapi_root_middlewares``
of ``AirflowPlugin``), so the backend's service credential, sent through
the Kubernetes service proxy in ``X-Airflow-Portal-Token``, reaches
Airflow's own bearer-token authentication.
"""

from airflow.plugins_manager import AirflowPlugin

from airflow_portal_auth.proxy_header import ProxyTokenMiddleware


class AirflowPortalAuthPlugin(AirflowPlugin):
    name = "airflow_portal_auth"
    fastapi_root_middlewares = [
        {
            "middleware": ProxyTokenMiddleware,
            "args": [],
            "kwargs": {},
            "name": "Airflow Portal proxy token",
        }
    ]
