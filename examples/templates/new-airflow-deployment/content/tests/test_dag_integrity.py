"""Every DAG in dags/ imports without errors."""

from airflow.models import DagBag


def test_dags_import():
    bag = DagBag(dag_folder="dags", include_examples=False)
    assert bag.import_errors == {}
    assert bag.dags
