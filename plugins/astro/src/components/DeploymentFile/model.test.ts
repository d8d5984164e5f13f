import { fileIssuesOf, lineRange, sizeProblem, MAX_FILE_BYTES } from './model';

describe('fileIssuesOf', () => {
  it("splits the backend's message into the file's fields, lines and messages", () => {
    expect(
      fileIssuesOf(
        'file.spec.settings.workerQueues[0].maxWorkers: must be at most 10 (line 12); file.kind: must be AstroDeploymentFile (line 2)',
      ),
    ).toEqual([
      {
        field: 'spec.settings.workerQueues[0].maxWorkers',
        message: 'must be at most 10',
        line: 12,
      },
      { field: 'kind', message: 'must be AstroDeploymentFile', line: 2 },
    ]);
  });

  it('keeps a problem of the whole file, and parts that name no field of it, as they are', () => {
    expect(fileIssuesOf('file: is not valid YAML (bad indentation)')).toEqual([
      {
        field: undefined,
        message: 'is not valid YAML (bad indentation)',
        line: undefined,
      },
    ]);
    expect(fileIssuesOf('workspace: no workspace named "x"')).toEqual([
      { message: 'workspace: no workspace named "x"' },
    ]);
  });
});

describe('lineRange', () => {
  const text = 'a: 1\nbb: 2\n\nccc: 3';
  it('finds where a line starts and ends', () => {
    expect(lineRange(text, 1)).toEqual({ start: 0, end: 4 });
    expect(lineRange(text, 2)).toEqual({ start: 5, end: 10 });
    expect(lineRange(text, 3)).toEqual({ start: 11, end: 11 });
    expect(lineRange(text, 4)).toEqual({ start: 12, end: 18 });
  });
  it('gives the end of the text for a line past it', () => {
    expect(lineRange(text, 9)).toEqual({ start: 18, end: 18 });
  });
});

describe('sizeProblem', () => {
  it('accepts a file of the limit and refuses one byte more', () => {
    expect(sizeProblem(MAX_FILE_BYTES)).toBeUndefined();
    expect(sizeProblem(MAX_FILE_BYTES + 1)).toMatch(/at most 1\.0 MiB/);
  });
});
