import { ReactNode, useLayoutEffect, useRef, useState } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  DeploymentHistory,
  DeploymentStatus,
} from '@airflow-portal/plugin-astro-common';
import {
  formatAge,
  formatBucket,
  historyRows,
  HistoryRow,
  summarizeHeartbeat,
  summarizeRuns,
  summarizeStatus,
  summarizeWorkers,
} from './historySeries';

const CHART_HEIGHT = 140;
/** Width before the container is measured (and in tests, where it is 0). */
const FALLBACK_WIDTH = 640;

/** The width of the element `ref` is on, following its resizes. */
function useWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(FALLBACK_WIDTH);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) {
      return undefined;
    }
    const measure = () => {
      const measured = Math.floor(element.getBoundingClientRect().width);
      if (measured > 0) {
        setWidth(measured);
      }
    };
    measure();
    if (typeof ResizeObserver === 'undefined') {
      return undefined;
    }
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

/** A titled chart whose text summary is its accessible name and caption. */
function ChartFrame(props: {
  title: string;
  summary: string;
  children: (width: number) => ReactNode;
}) {
  const { ref, width } = useWidth();
  return (
    <Box mb={2}>
      <Typography variant="subtitle2" component="h3">
        {props.title}
      </Typography>
      {/* The chart is laid out absolutely, so its fixed width never widens
          the card (a flex item would otherwise grow with it and never
          shrink back). */}
      <div
        ref={ref}
        role="img"
        aria-label={`${props.title}. ${props.summary}`}
        style={{ position: 'relative', height: CHART_HEIGHT }}
      >
        <div style={{ position: 'absolute', top: 0, left: 0 }}>
          {props.children(width)}
        </div>
      </div>
      <Typography variant="caption" color="textSecondary" component="p">
        {props.summary}
      </Typography>
    </Box>
  );
}

function useStatusColours(): Record<DeploymentStatus, string> {
  const theme = useTheme();
  const ok = theme.palette.success?.main ?? '#3E8635';
  const pending = theme.palette.info?.main ?? theme.palette.primary.main;
  return {
    HEALTHY: ok,
    UNHEALTHY: theme.palette.error.main,
    UNKNOWN: theme.palette.grey[500],
    CREATING: pending,
    DEPLOYING: pending,
    HIBERNATING: theme.palette.grey[400],
    DELETING: theme.palette.grey[600],
  };
}

/** The four history charts, sharing one time axis. */
export function HistoryCharts(props: {
  history: DeploymentHistory;
  rangeMs: number;
}) {
  const { history, rangeMs } = props;
  const theme = useTheme();
  const colours = useStatusColours();
  const rows = historyRows(history);
  const axis = (
    <XAxis
      dataKey="t"
      tickFormatter={(t: number) => formatBucket(t, rangeMs)}
      minTickGap={40}
      tick={{ fontSize: 11 }}
    />
  );
  const grid = <CartesianGrid strokeDasharray="3 3" vertical={false} />;
  const label = (t: unknown) =>
    `${formatBucket(Number(t), rangeMs)} (${history.bucketMinutes} min)`;
  const common = {
    data: rows,
    height: CHART_HEIGHT,
    margin: { top: 8, right: 16, bottom: 0, left: 0 },
  };
  const animate = false;
  // A lone point (e.g. a new Deployment's first) still shows.
  const dot = { r: 1.5 };

  return (
    <>
      <ChartFrame title="Health" summary={summarizeStatus(history)}>
        {width => (
          <BarChart {...common} width={width} barCategoryGap={0}>
            {grid}
            {axis}
            <YAxis
              domain={[0, 100]}
              ticks={[0, 50, 100]}
              unit=" %"
              width={48}
              tick={{ fontSize: 11 }}
            />
            <Tooltip
              labelFormatter={label}
              formatter={(value: number, _name, item) => {
                const point = (item.payload as HistoryRow).point;
                return [
                  `${value} % of ${point?.observations ?? 0} passes healthy${
                    point?.status ? `, then ${point.status}` : ''
                  }`,
                  'Health',
                ];
              }}
            />
            <Bar
              dataKey="healthyPercent"
              name="Healthy passes"
              isAnimationActive={animate}
              minPointSize={3}
            >
              {rows.map(row => (
                <Cell
                  key={row.t}
                  // Buckets no pass observed have no bar at all.
                  fill={
                    row.point?.status
                      ? colours[row.point.status]
                      : 'transparent'
                  }
                />
              ))}
            </Bar>
          </BarChart>
        )}
      </ChartFrame>
      <ChartFrame title="DAG runs" summary={summarizeRuns(history, rangeMs)}>
        {width => (
          <BarChart {...common} width={width}>
            {grid}
            {axis}
            <YAxis allowDecimals={false} width={48} tick={{ fontSize: 11 }} />
            <Tooltip labelFormatter={label} />
            <Bar
              dataKey="success"
              name="Successful"
              stackId="runs"
              fill={colours.HEALTHY}
              isAnimationActive={animate}
            />
            <Bar
              dataKey="failed"
              name="Failed"
              stackId="runs"
              fill={colours.UNHEALTHY}
              isAnimationActive={animate}
            />
          </BarChart>
        )}
      </ChartFrame>
      <ChartFrame title="Worker replicas" summary={summarizeWorkers(history)}>
        {width => (
          <LineChart {...common} width={width}>
            {grid}
            {axis}
            <YAxis allowDecimals={false} width={48} tick={{ fontSize: 11 }} />
            <Tooltip labelFormatter={label} />
            <Line
              type="stepAfter"
              dataKey="workersDesired"
              name="Wanted"
              stroke={theme.palette.text.secondary}
              strokeDasharray="4 3"
              dot={dot}
              isAnimationActive={animate}
            />
            <Line
              type="stepAfter"
              dataKey="workersReady"
              name="Ready"
              stroke={theme.palette.primary.main}
              strokeWidth={2}
              dot={dot}
              isAnimationActive={animate}
            />
          </LineChart>
        )}
      </ChartFrame>
      <ChartFrame
        title="Scheduler heartbeat age"
        summary={summarizeHeartbeat(history)}
      >
        {width => (
          <LineChart {...common} width={width}>
            {grid}
            {axis}
            <YAxis
              width={48}
              allowDecimals={false}
              tick={{ fontSize: 11 }}
              tickFormatter={(s: number) => formatAge(s)}
            />
            <Tooltip
              labelFormatter={label}
              formatter={(value: number) => [
                `${formatAge(value)} (oldest seen in the bucket)`,
                'Heartbeat age',
              ]}
            />
            <Line
              type="monotone"
              dataKey="schedulerAge"
              name="Heartbeat age"
              stroke={theme.palette.warning?.main ?? '#F0AB00'}
              strokeWidth={2}
              dot={dot}
              isAnimationActive={animate}
            />
          </LineChart>
        )}
      </ChartFrame>
    </>
  );
}
