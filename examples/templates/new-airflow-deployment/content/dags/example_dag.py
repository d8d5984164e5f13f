"""An example DAG of the ${{ values.name }} Deployment; replace it with your own."""

from datetime import datetime

from airflow.decorators import dag, task


@dag(
    dag_id="${{ values.name | replace('-', '_') }}_example",
    start_date=datetime(2026, 1, 1),
    schedule="@daily",
    catchup=False,
    tags=["example"],
)
def example():
    @task
    def extract() -> list[int]:
        return [1, 2, 3]

    @task
    def load(values: list[int]) -> None:
        print(f"Loaded {sum(values)}")

    load(extract())


example()
