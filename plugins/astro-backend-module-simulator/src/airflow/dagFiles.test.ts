import { parseDagFolder, SIMULATED_NOTE } from './dagFiles';
import { tokenizePython } from './pythonSource';

const FOLDER = '/opt/airflow/dags/current';

function parse(files: Record<string, string | Buffer>, airflowMajor = 3) {
  return parseDagFolder(
    new Map(
      Object.entries(files).map(([path, content]) => [
        path,
        Buffer.isBuffer(content) ? content : Buffer.from(content),
      ]),
    ),
    { airflowMajor, dagsFolder: FOLDER },
  );
}

const ids = (files: Record<string, string | Buffer>, major = 3) =>
  parse(files, major).dags.map(dag => dag.dagId);

describe('the simulated DAG processor', () => {
  it('finds DAG(...) constructs by their first argument or dag_id', () => {
    expect(
      ids({
        'classic.py': `
from airflow import DAG
from airflow.models import dag as _unused

with DAG("positional", schedule="@daily") as dag:
    pass

second = DAG(
    dag_id='keyword',  # a comment with DAG("not_a_dag")
    description="two",
)
third = models.DAG(dag_id=r'raw' "_concatenated")
text = "DAG('inside_a_string')"
"""DAG('inside_a_docstring')"""
`,
      }),
    ).toEqual(['positional', 'keyword', 'raw_concatenated']);
  });

  it('finds @dag functions, named by dag_id or the function', () => {
    expect(
      ids({
        'taskflow.py': `
import pendulum
from airflow.decorators import dag, task

@dag(schedule=None, start_date=pendulum.datetime(2024, 1, 1), catchup=False)
def tutorial_taskflow_api():
    @task()
    def extract():
        return {}
    extract()

@dag
def bare():
    pass

@airflow.decorators.dag(dag_id="explicit_id")
@other_decorator
def named_differently():
    pass

@dag("positional_id")
async def async_one():
    pass

tutorial_taskflow_api()
`,
      }),
    ).toEqual([
      'tutorial_taskflow_api',
      'bare',
      'explicit_id',
      'positional_id',
    ]);
  });

  it('skips files Airflow safe mode skips, and non-Python files', () => {
    expect(
      ids({
        'no_airflow.py': 'DAG("not_seen")\n',
        'helpers/util.py': 'def helper():\n    return 1\n',
        'notes.txt': 'from airflow import DAG\nDAG("text")',
        'dag.py.bak': 'from airflow import DAG\nDAG("backup")',
        'seen.py': '# airflow\nDAG("seen")\n',
      }),
    ).toEqual(['seen']);
  });

  it('does not see a DAG whose id is not a literal', () => {
    expect(
      ids({
        'dynamic.py': `
from airflow import DAG
for name in ["a", "b"]:
    DAG(f"dynamic_{name}")
DAG(dag_id=NAME)
DAG(f"plain_fstring")
`,
      }),
    ).toEqual(['plain_fstring']);
  });

  it('reads what a fresh DAG row shows from literal arguments', () => {
    const [dag] = parse({
      'etl.py': `
from airflow import DAG
with DAG(
    "etl",
    dag_display_name="ETL ✨",
    description="Loads things",
    schedule="0 3 * * *",
    tags=["team-a", "etl", "etl"],
    default_args={"owner": "data-team", "retries": 2},
    is_paused_upon_creation=False,
    max_active_runs=2,
    max_active_tasks=8,
):
    pass
`,
    }).dags;
    expect(dag).toEqual({
      dagId: 'etl',
      relativeFileloc: 'etl.py',
      line: 3,
      displayName: 'ETL ✨',
      description: 'Loads things',
      tags: ['team-a', 'etl'],
      schedule: { kind: 'string', value: '0 3 * * *' },
      scheduleInterval: { kind: 'absent' },
      owner: 'data-team',
      isPausedUponCreation: false,
      maxActiveTasks: 8,
      maxActiveRuns: 2,
      maxConsecutiveFailedDagRuns: undefined,
    });
  });

  it.each([
    ['x = (1,\n', "'(' was never closed", 1],
    ['from airflow import DAG\nDAG("a"\n  [1,\n', "'[' was never closed", 3],
    ['x = "abc\n', 'unterminated string literal (detected at line 1)', 1],
    [
      'x = """abc\n\ny = 2\n',
      'unterminated triple-quoted string literal (detected at line 3)',
      1,
    ],
    [
      'x = (1]\n',
      "closing parenthesis ']' does not match opening parenthesis '('",
      1,
    ],
    [
      'x = (1,\n2]\n',
      "closing parenthesis ']' does not match opening parenthesis '(' on line 1",
      2,
    ],
    ['x = 1)\n', "unmatched ')'", 1],
  ])('reports the syntax error of %j like CPython', (source, message, line) => {
    expect(tokenizePython(source).error).toEqual({ message, line });
  });

  it('turns a syntax error into an import error with a traceback', () => {
    const result = parse({
      'good.py': 'from airflow import DAG\nDAG("good")\n',
      'broken.py':
        'from airflow import DAG\nwith DAG("broken",\n    schedule=None:\n',
    });
    expect(result.dags.map(d => d.dagId)).toEqual(['good']);
    expect(result.importErrors).toEqual([
      {
        relativeFileloc: 'broken.py',
        stackTrace: [
          'Traceback (most recent call last):',
          `  File "${FOLDER}/broken.py", line 2`,
          '    with DAG("broken",',
          "SyntaxError: '(' was never closed",
          SIMULATED_NOTE,
        ].join('\n'),
      },
    ]);
  });

  it('turns a file that is not UTF-8 into an import error', () => {
    const result = parse({
      'latin1.py': Buffer.concat([
        Buffer.from('from airflow import DAG\nname = "caf'),
        Buffer.from([0xe9]),
        Buffer.from('"\nDAG(name)\n'),
      ]),
    });
    expect(result.dags).toEqual([]);
    expect(result.importErrors[0].stackTrace).toContain(
      `  File "${FOLDER}/latin1.py", line 2\n` +
        "SyntaxError: (unicode error) 'utf-8' codec can't decode byte 0xe9 in position 11: invalid continuation byte",
    );
  });

  it('turns a marked file into an import error with its message', () => {
    const result = parse({
      'needs_pandas.py':
        'from airflow import DAG\n# simulated-import-error: ModuleNotFoundError: No module named \'pandas\'\nDAG("x")\n',
    });
    expect(result.dags).toEqual([]);
    expect(result.importErrors[0].stackTrace).toBe(
      [
        'Traceback (most recent call last):',
        `  File "${FOLDER}/needs_pandas.py", line 2, in <module>`,
        "ModuleNotFoundError: No module named 'pandas'",
        SIMULATED_NOTE,
      ].join('\n'),
    );
  });

  it('rejects schedule_interval on Airflow 3 but not on Airflow 2', () => {
    const files = {
      'old.py':
        'from airflow import DAG\nwith DAG("old", schedule_interval="@daily"):\n    pass\n',
    };
    expect(parse(files, 2).dags[0]).toMatchObject({
      dagId: 'old',
      scheduleInterval: { kind: 'string', value: '@daily' },
    });
    const v3 = parse(files, 3);
    expect(v3.dags).toEqual([]);
    expect(v3.importErrors[0].stackTrace).toContain(
      `line 2, in <module>\n    with DAG("old", schedule_interval="@daily"):\n` +
        "TypeError: DAG.__init__() got an unexpected keyword argument 'schedule_interval'",
    );
  });

  it('makes the later file of a duplicated DAG id an import error', () => {
    const result = parse({
      'a.py': 'from airflow import DAG\nDAG("same")\n',
      'b.py': 'from airflow import DAG\nDAG("same")\nDAG("other")\n',
    });
    expect(result.dags.map(d => [d.dagId, d.relativeFileloc])).toEqual([
      ['same', 'a.py'],
    ]);
    expect(result.importErrors).toEqual([
      {
        relativeFileloc: 'b.py',
        stackTrace: `AirflowDagDuplicatedIdException: Ignoring DAG same from ${FOLDER}/b.py - also found in ${FOLDER}/a.py\n${SIMULATED_NOTE}`,
      },
    ]);
  });
});
