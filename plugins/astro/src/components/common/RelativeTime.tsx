const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "3 minutes ago" for a timestamp, relative to `now`. */
export function formatRelative(timestamp: string, now: number = Date.now()) {
  const seconds = Math.round((new Date(timestamp).getTime() - now) / 1000);
  if (Number.isNaN(seconds)) {
    return timestamp;
  }
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      return format.format(Math.round(seconds / size), unit);
    }
  }
  return timestamp;
}

/** A timestamp as relative words, with the exact time on hover. */
export function RelativeTime(props: { timestamp: string }) {
  const date = new Date(props.timestamp);
  return (
    <time
      dateTime={props.timestamp}
      title={Number.isNaN(date.getTime()) ? undefined : date.toLocaleString()}
    >
      {formatRelative(props.timestamp)}
    </time>
  );
}
